package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// States of a relay subscription.
const (
	RelayPending  = "pending"
	RelayAccepted = "accepted"
	RelayRejected = "rejected"
)

// Relay is an ActivityPub relay the instance subscribes to.
type Relay struct {
	bun.BaseModel `bun:"table:relays"`

	ID               uuid.UUID `bun:"id,pk,type:uuid"`
	Inbox            string    `bun:"inbox"`
	Actor            string    `bun:"actor"`
	State            string    `bun:"state"`
	FollowActivityID string    `bun:"follow_activity_id"`
	CreatedAt        time.Time `bun:"created_at"`
	UpdatedAt        time.Time `bun:"updated_at"`
}

// RelayedNote marks a note that came through a relay.
type RelayedNote struct {
	bun.BaseModel `bun:"table:relayed_notes"`

	NoteID     uuid.UUID  `bun:"note_id,pk,type:uuid"`
	RelayID    *uuid.UUID `bun:"relay_id,type:uuid"`
	ReceivedAt time.Time  `bun:"received_at"`
}

// Relays reads and writes relay subscriptions.
type Relays struct{ tx Tx }

// Relays returns the relay repository.
func (t Tx) Relays() Relays { return Relays{t} }

// Add inserts r; ErrDuplicate if its inbox is subscribed already.
func (r Relays) Add(ctx context.Context, rl *Relay) error {
	_, err := r.tx.idb.NewInsert().Model(rl).Exec(ctx)
	return wrapWrite(err, "add relay "+rl.Inbox)
}

// Remove deletes the relay id; ErrNotFound if there is none.
func (r Relays) Remove(ctx context.Context, id uuid.UUID) error {
	res, err := r.tx.idb.NewDelete().Model((*Relay)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "remove relay")
	}
	return expectOne(res, "remove relay")
}

// ByID returns the relay id; ErrNotFound if there is none.
func (r Relays) ByID(ctx context.Context, id uuid.UUID) (Relay, error) {
	var rl Relay
	if err := r.tx.idb.NewSelect().Model(&rl).Where("id = ?", id).Scan(ctx); err != nil {
		return Relay{}, notFound(err, "relay")
	}
	return rl, nil
}

// ByInbox returns the relay whose inbox is inbox; ErrNotFound if none.
func (r Relays) ByInbox(ctx context.Context, inbox string) (Relay, error) {
	var rl Relay
	if err := r.tx.idb.NewSelect().Model(&rl).Where("inbox = ?", inbox).Scan(ctx); err != nil {
		return Relay{}, notFound(err, "relay")
	}
	return rl, nil
}

// ByFollow returns the relay our Follow activityID subscribed to;
// ErrNotFound if none.
func (r Relays) ByFollow(ctx context.Context, activityID string) (Relay, error) {
	var rl Relay
	if err := r.tx.idb.NewSelect().Model(&rl).Where("follow_activity_id = ?", activityID).Scan(ctx); err != nil {
		return Relay{}, notFound(err, "relay")
	}
	return rl, nil
}

// List returns every relay, oldest first.
func (r Relays) List(ctx context.Context) ([]Relay, error) {
	var list []Relay
	if err := r.tx.idb.NewSelect().Model(&list).OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, notFound(err, "list relays")
	}
	return list, nil
}

// Count returns how many relays there are.
func (r Relays) Count(ctx context.Context) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*Relay)(nil)).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count relays")
	}
	return int(n), nil
}

// AcceptedInboxes returns the inboxes of the accepted relays.
func (r Relays) AcceptedInboxes(ctx context.Context) ([]string, error) {
	var inboxes []string
	err := r.tx.idb.NewSelect().Model((*Relay)(nil)).Column("inbox").Where("state = ?", RelayAccepted).
		OrderExpr("inbox").Scan(ctx, &inboxes)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(err, "list relay inboxes")
	}
	return inboxes, nil
}

// Answer sets the state of rl (after its Accept or Reject) and, when it
// was not known yet, its actor.
func (r Relays) Answer(ctx context.Context, id uuid.UUID, state, actor string, at time.Time) error {
	q := r.tx.idb.NewUpdate().Model((*Relay)(nil)).Set("state = ?", state).Set("updated_at = ?", at).Where("id = ?", id)
	if actor != "" {
		q = q.Set("actor = ?", actor)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return wrapWrite(err, "answer relay")
	}
	return expectOne(res, "answer relay")
}

// MarkRelayed records that the note noteID came through relayID; a note
// marked already stays as it is.
func (r Relays) MarkRelayed(ctx context.Context, noteID, relayID uuid.UUID, at time.Time) error {
	_, err := r.tx.idb.NewInsert().Model(&RelayedNote{NoteID: noteID, RelayID: &relayID, ReceivedAt: at}).
		On("CONFLICT (note_id) DO NOTHING").Exec(ctx)
	return wrapWrite(err, "mark relayed note")
}

// IsRelayed tells whether the note noteID came through a relay.
func (r Relays) IsRelayed(ctx context.Context, noteID uuid.UUID) (bool, error) {
	ok, err := r.tx.idb.NewSelect().Model((*RelayedNote)(nil)).Where("note_id = ?", noteID).Exists(ctx)
	if err != nil {
		return false, notFound(err, "relayed note")
	}
	return ok, nil
}
