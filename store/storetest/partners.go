package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// Partner records the Group actor name@host of another instance, as
// federation does, and, when follower is not nil, its accepted follow by
// that (local) actor: a partner of this instance.
func Partner(t testing.TB, db *store.DB, host, name string, follower uuid.UUID) store.Actor {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	uri := "https://" + host + "/actors/" + name
	a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: uri, Kind: "Group", Username: name, Host: host,
		Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKey: "pem", Fields: "[]", CreatedAt: now, UpdatedAt: now}
	if err := db.Actors().Create(ctx, &a); err != nil {
		t.Fatalf("record partner %s@%s: %v", name, host, err)
	}
	if follower != uuid.Nil {
		f := store.Follow{ID: uuid.Must(uuid.NewV7()), FollowerID: follower, FollowedID: a.ID,
			ActivityID: "https://here.example/follows/" + uuid.NewString(), State: "accepted", CreatedAt: now, UpdatedAt: now}
		if _, err := db.Bun().NewInsert().Model(&f).Exec(ctx); err != nil {
			t.Fatalf("follow partner %s@%s: %v", name, host, err)
		}
	}
	return a
}

// RemoteEvent keeps e as the copy of an event of the actor association,
// filling what e leaves empty (ids, uri, url, times of publication), with
// tags.
func RemoteEvent(t testing.TB, db *store.DB, association store.Actor, e store.RemoteEvent, tags ...string) store.RemoteEvent {
	t.Helper()
	ctx := context.Background()
	if e.ID == uuid.Nil {
		e.ID = uuid.Must(uuid.NewV7())
	}
	e.AssociationActorID = association.ID
	if e.URI == "" {
		e.URI = "https://" + association.Host + "/events/" + e.ID.String()
	}
	if e.URL == "" {
		e.URL = e.URI
	}
	if e.JoinMode == "" {
		e.JoinMode = "free"
	}
	if e.Status == "" {
		e.Status = "confirmed"
	}
	if e.PublishedAt.IsZero() {
		e.PublishedAt = e.StartsAt.Add(-30 * 24 * time.Hour)
	}
	if e.UpdatedAt.IsZero() {
		e.UpdatedAt = e.PublishedAt
	}
	if e.ReceivedAt.IsZero() {
		e.ReceivedAt = e.UpdatedAt
	}
	if err := db.RemoteEvents().Create(ctx, &e); err != nil {
		t.Fatalf("keep remote event %s: %v", e.Name, err)
	}
	if err := db.RemoteEvents().SetTags(ctx, e.ID, tags); err != nil {
		t.Fatalf("tag remote event %s: %v", e.Name, err)
	}
	return e
}
