package relays_test

import (
	"context"
	"errors"
	"testing"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/relays"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// wire records what would be sent.
type wire struct{ follows, undos []store.Relay }

func (w *wire) Prepare(context.Context) error { return nil }
func (w *wire) Locate(context.Context, string) (string, string, error) {
	return "", "", relays.ErrUnreachable
}
func (w *wire) Follow(_ context.Context, _ store.Tx, r store.Relay) error {
	w.follows = append(w.follows, r)
	return nil
}
func (w *wire) Unfollow(_ context.Context, _ store.Tx, r store.Relay) error {
	w.undos = append(w.undos, r)
	return nil
}

// The answer to our Follow counts only from the relay's host; it names the
// relay's actor, whose Announces are then taken (accepted) or refused.
func TestAnswer_FromTheRelaysHostOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := relays.New(db, core.SystemClock{}, relays.Policy{BaseURL: "https://holon.example", Host: "holon.example"}, nil)
		w := &wire{}
		s.UseFederation(w)
		if _, err := s.Subscribe(ctx, relays.CommandLine, "https://relay.example/actor"); !errors.Is(err, relays.ErrUnreachable) {
			t.Fatalf("an actor URL whose document cannot be read: %v", err)
		}
		r, err := s.Subscribe(ctx, relays.CommandLine, "https://relay.example/inbox")
		if err != nil || len(w.follows) != 1 {
			t.Fatalf("subscribe: %v, %d follows", err, len(w.follows))
		}
		followID := w.follows[0].FollowActivityID
		if _, err := s.Sender(ctx, "https://relay.example/actor"); !errors.Is(err, relays.ErrNotAccepted) {
			t.Fatalf("pending relay's sender: %v", err)
		}
		cases := []struct {
			name, signer, follow string
			accepted, handled    bool
			wantErr              bool
			state                string
		}{
			{"another follow's answer", "https://relay.example/actor", "https://holon.example/activities/other", true, false, false, relays.Pending},
			{"signed elsewhere", "https://evil.example/actor", followID, true, true, true, relays.Pending},
			{"the relay accepts", "https://relay.example/actor", followID, true, true, false, relays.Accepted},
			{"another actor of its host", "https://relay.example/users/x", followID, false, true, true, relays.Accepted},
			{"the relay rejects", "https://relay.example/actor", followID, false, true, false, relays.Rejected},
		}
		for _, c := range cases {
			handled, err := s.ReceiveAnswer(ctx, c.signer, c.follow, c.accepted)
			if handled != c.handled || (err != nil) != c.wantErr {
				t.Errorf("%s: handled %v, %v", c.name, handled, err)
			}
			list, _ := s.List(ctx, relays.CommandLine)
			if len(list) != 1 || list[0].State != c.state {
				t.Errorf("%s: relays %+v", c.name, list)
			}
		}
		if _, err := s.Sender(ctx, "https://other.example/actor"); !errors.Is(err, relays.ErrNoSuchRelay) {
			t.Fatalf("not a relay: %v", err)
		}
		// A rejected relay is forgotten without an Undo.
		if err := s.Unsubscribe(ctx, relays.CommandLine, r.ID); err != nil || len(w.undos) != 0 {
			t.Fatalf("unsubscribe: %v, %d undos", err, len(w.undos))
		}
	})
}
