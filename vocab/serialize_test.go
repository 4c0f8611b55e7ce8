package vocab

import (
	"context"
	"reflect"
	"testing"

	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

func TestSerialize_RoundTripsThroughResolve(t *testing.T) {
	for _, tt := range []struct {
		name     string
		v        Type
		wantType any // the "type" on the wire
		check    func(t *testing.T, got Type)
	}{
		{
			name:     "note",
			v:        newNote(t),
			wantType: "Note",
			check: func(t *testing.T, got Type) {
				n, ok := got.(streamsvocab.ActivityStreamsNote)
				if !ok {
					t.Fatalf("resolved to %T, want a Note", got)
				}
				if to := n.GetActivityStreamsTo(); to == nil || to.Len() != 1 || to.At(0).GetIRI().String() != PublicAudience {
					t.Errorf("to = %v, want the public collection", to)
				}
			},
		},
		{
			name:     "task, with a core type second",
			v:        newTask(t),
			wantType: []any{"Task", "Page"},
			check: func(t *testing.T, got Type) {
				task, ok := got.(streamsvocab.HolonTask)
				if !ok {
					t.Fatalf("resolved to %T, want a Holon Task", got)
				}
				if n := task.GetActivityStreamsName(); n == nil || n.At(0).GetXMLSchemaString() != "Build the raised beds" {
					t.Errorf("name = %v", n)
				}
			},
		},
		{
			name:     "proposal",
			v:        newProposal(t),
			wantType: "Question",
			check: func(t *testing.T, got Type) {
				q, ok := got.(streamsvocab.ActivityStreamsQuestion)
				if !ok {
					t.Fatalf("resolved to %T, want a Question", got)
				}
				if p := q.GetHolonPhase(); p == nil || p.Get() != "consensus" {
					t.Errorf("phase = %v, want consensus", p)
				}
				if c := q.GetTootVotersCount(); c == nil || c.Get() != 12 {
					t.Errorf("votersCount = %v, want 12", c)
				}
			},
		},
		{
			name:     "association",
			v:        newGroup(t),
			wantType: "Group",
			check: func(t *testing.T, got Type) {
				g, ok := got.(streamsvocab.ActivityStreamsGroup)
				if !ok {
					t.Fatalf("resolved to %T, want a Group", got)
				}
				keys := g.GetW3IDSecurityV1PublicKey()
				if keys == nil || keys.Len() != 1 || !keys.At(0).IsW3IDSecurityV1PublicKey() {
					t.Fatalf("publicKey = %v", keys)
				}
				if pem := keys.At(0).Get().GetW3IDSecurityV1PublicKeyPem(); pem == nil || pem.Get() == "" {
					t.Error("publicKeyPem lost")
				}
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Marshal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			sent := jsonValue(t, b).(map[string]any)
			if !reflect.DeepEqual(sent["type"], tt.wantType) {
				t.Errorf("type on the wire = %v, want %v", sent["type"], tt.wantType)
			}
			if !reflect.DeepEqual(sent["@context"], jsonValue(t, mustJSON(t, Context()))) {
				t.Errorf("@context = %v, want Context()", sent["@context"])
			}

			got, err := Resolve(context.Background(), b)
			if err != nil {
				t.Fatalf("resolve: %v\n%s", err, b)
			}
			tt.check(t, got)

			again, err := Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(jsonValue(t, again), sent) {
				t.Errorf("round trip changed the document:\nsent %s\ngot  %s", b, again)
			}
		})
	}
}

func TestMarshal_LeavesHTMLAlone(t *testing.T) {
	b, err := Marshal(newNote(t))
	if err != nil {
		t.Fatal(err)
	}
	if want := `<p>Garden day on Saturday &amp; <a href=`; !contains(b, want) {
		t.Errorf("content escaped: %s", b)
	}
}

func TestSerialize_RefusesNil(t *testing.T) {
	if _, err := Serialize(nil); err == nil {
		t.Fatal("Serialize(nil) succeeded")
	}
}

// Marshal splices the encoded context in: the bytes are those of encoding
// Serialize's whole map.
func TestMarshal_IsTheEncodingOfSerialize(t *testing.T) {
	for _, v := range []Type{newNote(t), newTask(t), newProposal(t), newGroup(t)} {
		got, err := Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Serialize(v)
		if err != nil {
			t.Fatal(err)
		}
		want, err := encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("Marshal:\n%s\nencoding Serialize:\n%s", got, want)
		}
	}
	if string(ContextJSON()) != string(mustJSON(t, Context())) {
		t.Errorf("ContextJSON = %s", ContextJSON())
	}
}
