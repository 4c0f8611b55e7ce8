package vocab

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

func expand(t *testing.T, doc any) []any {
	t.Helper()
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = offlineLoader{}
	out, err := ld.NewJsonLdProcessor().Expand(doc, opts)
	if err != nil {
		t.Fatalf("expand: %v", err)
	}
	return out
}

// Every term Holon writes, and the IRI a JSON-LD processor must read for it.
var emittedTerms = []struct {
	term  string
	class bool
	iri   string
}{
	// Holon's extension.
	{"Project", true, "https://w3id.org/holon#Project"},
	{"Task", true, "https://w3id.org/holon#Task"},
	{"Reservation", true, "https://w3id.org/holon#Reservation"},
	{"Submission", true, "https://w3id.org/holon#Submission"},
	{"CriterionCheck", true, "https://w3id.org/holon#CriterionCheck"},
	{"Transaction", true, "https://w3id.org/holon#Transaction"},
	{"Posting", true, "https://w3id.org/holon#Posting"},
	{"Phase", true, "https://w3id.org/holon#Phase"},
	{"Action", true, "https://w3id.org/holon#Action"},
	{"Ballot", true, "https://w3id.org/holon#Ballot"},
	{"Score", true, "https://w3id.org/holon#Score"},
	{"Delegation", true, "https://w3id.org/holon#Delegation"},
	{"Membership", true, "https://w3id.org/holon#Membership"},
	{"Role", true, "https://w3id.org/holon#Role"},
	{"status", false, "https://w3id.org/holon#status"},
	{"phase", false, "https://w3id.org/holon#phase"},
	{"phases", false, "https://w3id.org/holon#phases"},
	{"maxScore", false, "https://w3id.org/holon#maxScore"},
	{"outcome", false, "https://w3id.org/holon#outcome"},
	{"actions", false, "https://w3id.org/holon#actions"},
	{"kind", false, "https://w3id.org/holon#kind"},
	{"amount", false, "https://w3id.org/holon#amount"},
	{"postings", false, "https://w3id.org/holon#postings"},
	{"ledgerAccount", false, "https://w3id.org/holon#ledgerAccount"},
	{"cause", false, "https://w3id.org/holon#cause"},
	{"budget", false, "https://w3id.org/holon#budget"},
	{"goal", false, "https://w3id.org/holon#goal"},
	{"doneCriteria", false, "https://w3id.org/holon#doneCriteria"},
	{"acceptanceChecklist", false, "https://w3id.org/holon#acceptanceChecklist"},
	{"architecture", false, "https://w3id.org/holon#architecture"},
	{"beneficiaries", false, "https://w3id.org/holon#beneficiaries"},
	{"effort", false, "https://w3id.org/holon#effort"},
	{"maxReservation", false, "https://w3id.org/holon#maxReservation"},
	{"reviewers", false, "https://w3id.org/holon#reviewers"},
	{"reservedBy", false, "https://w3id.org/holon#reservedBy"},
	{"reservedUntil", false, "https://w3id.org/holon#reservedUntil"},
	{"completedBy", false, "https://w3id.org/holon#completedBy"},
	{"checks", false, "https://w3id.org/holon#checks"},
	{"criterion", false, "https://w3id.org/holon#criterion"},
	{"satisfied", false, "https://w3id.org/holon#satisfied"},
	{"position", false, "https://w3id.org/holon#position"},
	{"scores", false, "https://w3id.org/holon#scores"},
	{"score", false, "https://w3id.org/holon#score"},
	{"scope", false, "https://w3id.org/holon#scope"},
	{"delegates", false, "https://w3id.org/holon#delegates"},
	{"member", false, "https://w3id.org/holon#member"},
	{"roles", false, "https://w3id.org/holon#roles"},
	{"roleName", false, "https://w3id.org/holon#roleName"},
	{"votingRightsFrom", false, "https://w3id.org/holon#votingRightsFrom"},
	// schema.org's, spelt as Mastodon and Mobilizon spell the namespace.
	{"MonetaryAmount", true, "http://schema.org#MonetaryAmount"},
	{"PostalAddress", true, "http://schema.org#PostalAddress"},
	{"currency", false, "http://schema.org#currency"},
	{"address", false, "http://schema.org#address"},
	{"streetAddress", false, "http://schema.org#streetAddress"},
	{"postalCode", false, "http://schema.org#postalCode"},
	{"addressLocality", false, "http://schema.org#addressLocality"},
	{"addressRegion", false, "http://schema.org#addressRegion"},
	{"addressCountry", false, "http://schema.org#addressCountry"},
	{"category", false, "http://schema.org#category"},
	{"license", false, "http://schema.org#license"},
	{"maximumAttendeeCapacity", false, "http://schema.org#maximumAttendeeCapacity"},
	{"remainingAttendeeCapacity", false, "http://schema.org#remainingAttendeeCapacity"},
	// Mobilizon's.
	{"timezone", false, "https://joinmobilizon.org/ns#timezone"},
	{"joinMode", false, "https://joinmobilizon.org/ns#joinMode"},
	{"participantCount", false, "https://joinmobilizon.org/ns#participantCount"},
	{"isOnline", false, "https://joinmobilizon.org/ns#isOnline"},
	// iCalendar's, under the prefix Mobilizon's context gives it.
	{ICalStatus, false, "http://www.w3.org/2002/12/cal/ical#status"},
	// ActivityStreams terms Mastodon uses, outside the W3C context.
	{"Hashtag", true, "https://www.w3.org/ns/activitystreams#Hashtag"},
	{"sensitive", false, "https://www.w3.org/ns/activitystreams#sensitive"},
	{"manuallyApprovesFollowers", false, "https://www.w3.org/ns/activitystreams#manuallyApprovesFollowers"},
	{"movedTo", false, "https://www.w3.org/ns/activitystreams#movedTo"},
	// Mastodon's.
	{"Emoji", true, "http://joinmastodon.org/ns#Emoji"},
	{"blurhash", false, "http://joinmastodon.org/ns#blurhash"},
	{"discoverable", false, "http://joinmastodon.org/ns#discoverable"},
	{"featured", false, "http://joinmastodon.org/ns#featured"},
	{"votersCount", false, "http://joinmastodon.org/ns#votersCount"},
	{"PropertyValue", true, "http://schema.org#PropertyValue"},
	{"value", false, "http://schema.org#value"},
	// From the two remote contexts.
	{"Note", true, "https://www.w3.org/ns/activitystreams#Note"},
	{"Question", true, "https://www.w3.org/ns/activitystreams#Question"},
	{"Group", true, "https://www.w3.org/ns/activitystreams#Group"},
	{"Page", true, "https://www.w3.org/ns/activitystreams#Page"},
	{"content", false, "https://www.w3.org/ns/activitystreams#content"},
	{"inbox", false, "http://www.w3.org/ns/ldp#inbox"},
	{"endpoints", false, "https://www.w3.org/ns/activitystreams#endpoints"},
	{"sharedInbox", false, "https://www.w3.org/ns/activitystreams#sharedInbox"},
	{"alsoKnownAs", false, "https://www.w3.org/ns/activitystreams#alsoKnownAs"},
	{"publicKey", false, "https://w3id.org/security#publicKey"},
	{"publicKeyPem", false, "https://w3id.org/security#publicKeyPem"},
	{"owner", false, "https://w3id.org/security#owner"},
}

func TestContext_EveryTermExpandsToItsIRI(t *testing.T) {
	for _, tt := range emittedTerms {
		t.Run(tt.term, func(t *testing.T) {
			doc := map[string]any{"@context": Context(), "id": "https://holon.example/x"}
			if tt.class {
				doc["type"] = tt.term
			} else {
				doc[tt.term] = "https://holon.example/y"
			}
			out := expand(t, doc)
			if len(out) != 1 {
				t.Fatalf("expanded to %d nodes: %v", len(out), out)
			}
			node := out[0].(map[string]any)
			if tt.class {
				types, _ := node["@type"].([]any)
				if len(types) != 1 || types[0] != tt.iri {
					t.Errorf("type %s expands to %v, want %s", tt.term, node["@type"], tt.iri)
				}
				return
			}
			if _, ok := node[tt.iri]; !ok {
				t.Errorf("property %s expands to %v, want %s", tt.term, keys(node), tt.iri)
			}
		})
	}
}

func TestContext_EveryInlineTermIsChecked(t *testing.T) {
	checked := map[string]bool{}
	for _, tt := range emittedTerms {
		checked[tt.term] = true
	}
	for term, def := range Context()[2].(map[string]any) {
		if s, ok := def.(string); ok && strings.HasSuffix(s, "#") {
			continue // a prefix
		}
		if !checked[term] {
			t.Errorf("term %q of Context is missing from emittedTerms", term)
		}
	}
}

func TestContext_IsAFreshValueEachCall(t *testing.T) {
	c := Context()
	c[2].(map[string]any)["Task"] = "changed"
	if Context()[2].(map[string]any)["Task"] != "holon:Task" {
		t.Fatal("modifying a returned Context changed the next one")
	}
}

// Documents Holon emits must keep every property and type through JSON-LD
// expansion: a term the context does not define becomes a blank-node IRI
// ("_:name", from the ActivityStreams context's "@vocab": "_:") or is
// dropped.
func TestSerialize_NoTermIsLostInExpansion(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    Type
	}{
		{"note", newNote(t)},
		{"task", newTask(t)},
		{"proposal", newProposal(t)},
		{"association", newGroup(t)},
		{"event", newEvent(t, "CANCELLED")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Marshal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			doc := jsonValue(t, b)
			compact := countProperties(doc)
			expanded := expand(t, doc)
			var bad []string
			walkExpanded(expanded, func(key string, types []any) {
				if !strings.HasPrefix(key, "@") && !strings.Contains(key, "://") {
					bad = append(bad, key)
				}
				for _, ty := range types {
					if s, _ := ty.(string); !strings.Contains(s, "://") {
						bad = append(bad, "type "+s)
					}
				}
			})
			if len(bad) > 0 {
				t.Errorf("terms not expanded to IRIs: %v\n%s", bad, b)
			}
			if got := countProperties(expanded); got != compact {
				t.Errorf("%d properties after expansion, %d before:\n%s", got, compact, b)
			}
		})
	}
}

// countProperties counts the non-keyword keys of every object in v, and
// the @value-free ones only, so that compact and expanded forms compare.
func countProperties(v any) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if !strings.HasPrefix(k, "@") && k != "id" && k != "type" {
				n++
			}
			if k != "@context" {
				n += countProperties(e)
			}
		}
	case []any:
		for _, e := range v {
			n += countProperties(e)
		}
	}
	return n
}

func walkExpanded(v any, fn func(key string, types []any)) {
	switch v := v.(type) {
	case map[string]any:
		types, _ := v["@type"].([]any)
		for k, e := range v {
			fn(k, nil)
			walkExpanded(e, fn)
		}
		if types != nil {
			fn("@type", types)
		}
	case []any:
		for _, e := range v {
			walkExpanded(e, fn)
		}
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestContext_MatchesTheWireJSON(t *testing.T) {
	// The first two entries are the URLs every ActivityPub server knows;
	// Mastodon drops documents whose context lacks ActivityStreams.
	b, err := json.Marshal(Context())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1",{`) {
		t.Errorf("context starts %s", b[:80])
	}
}
