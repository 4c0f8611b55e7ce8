package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// TestRemoteEvents_CopyTagsAndParticipations: a copy is kept by its uri,
// once; its tags are replaced; a person's participation is found by the
// Join that asked for it, once per person; forgetting the copy forgets
// its tags and participations, and deleting its association's actor
// deletes the copy.
func TestRemoteEvents_CopyTagsAndParticipations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		actor := func(host, name, kind string, local bool) store.Actor {
			a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: "https://" + host + "/u/" + name, Kind: kind,
				Username: name, Host: host, Local: local, KeyID: "https://" + host + "/u/" + name + "#key",
				PublicKey: "pem", CreatedAt: now, UpdatedAt: now}
			if err := db.Actors().Create(ctx, &a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		group := actor("b.example", "gardeners", "Group", false)
		ada := actor("a.example", "ada", "Person", true)
		lat, lon := 48.85, 2.35
		e := store.RemoteEvent{ID: uuid.Must(uuid.NewV7()), URI: "https://b.example/events/1", AssociationActorID: group.ID,
			Name: "Seed swap", URL: "https://b.example/events/1", StartsAt: now.Add(24 * time.Hour), EndsAt: now.Add(26 * time.Hour),
			Timezone: "Europe/Paris", Locality: "Paris", Latitude: &lat, Longitude: &lon, JoinMode: "free", Status: "confirmed",
			PublishedAt: now, UpdatedAt: now, ReceivedAt: now}
		if err := db.RemoteEvents().Create(ctx, &e); err != nil {
			t.Fatal(err)
		}
		again := e
		again.ID = uuid.Must(uuid.NewV7())
		if err := db.RemoteEvents().Create(ctx, &again); !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("second copy of one uri: %v, want ErrDuplicate", err)
		}
		e.Status = "cancelled"
		if err := db.RemoteEvents().Update(ctx, &e); err != nil {
			t.Fatal(err)
		}
		if got, err := db.RemoteEvents().ByURI(ctx, e.URI); err != nil || got.Status != "cancelled" || got.Capacity != nil || *got.Latitude != lat {
			t.Fatalf("ByURI = %+v, %v", got, err)
		}
		for _, tags := range [][]string{{"garden", "seeds"}, {"seeds"}} {
			if err := db.RemoteEvents().SetTags(ctx, e.ID, tags); err != nil {
				t.Fatal(err)
			}
		}
		if tags, err := db.RemoteEvents().Tags(ctx, e.ID); err != nil || len(tags[e.ID]) != 1 || tags[e.ID][0] != "seeds" {
			t.Fatalf("tags = %v, %v", tags, err)
		}
		p := store.RemoteEventParticipation{ID: uuid.Must(uuid.NewV7()), EventID: e.ID, ActorID: ada.ID, State: "pending",
			JoinActivity: "https://a.example/join/1", CreatedAt: now, UpdatedAt: now}
		if err := db.RemoteEvents().CreateParticipation(ctx, &p); err != nil {
			t.Fatal(err)
		}
		twice := p
		twice.ID, twice.JoinActivity = uuid.Must(uuid.NewV7()), "https://a.example/join/2"
		if err := db.RemoteEvents().CreateParticipation(ctx, &twice); !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("second participation of one person: %v, want ErrDuplicate", err)
		}
		err := db.InTx(ctx, func(tx store.Tx) error {
			got, err := tx.RemoteEvents().ParticipationByJoin(ctx, p.JoinActivity)
			if err != nil {
				return err
			}
			got.State = "participant"
			return tx.RemoteEvents().UpdateParticipation(ctx, &got)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.RemoteEvents().Participation(ctx, e.ID, ada.ID); err != nil || got.State != "participant" {
			t.Fatalf("participation = %+v, %v", got, err)
		}
		if err := db.RemoteEvents().Delete(ctx, e.URI); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RemoteEvents().Participation(ctx, e.ID, ada.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("participation after the copy is forgotten: %v, want ErrNotFound", err)
		}
		if err := db.RemoteEvents().Delete(ctx, e.URI); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("forgetting twice: %v, want ErrNotFound", err)
		}
	})
}
