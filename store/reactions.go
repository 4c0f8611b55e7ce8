package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Reaction is an actor's like or boost of a note; Kind is the activity's
// type ("Like" or "Announce").
type Reaction struct {
	bun.BaseModel `bun:"table:reactions"`

	ID         uuid.UUID `bun:"id,pk,type:uuid"`
	Kind       string    `bun:"kind"`
	ActorID    uuid.UUID `bun:"actor_id,type:uuid"`
	NoteID     uuid.UUID `bun:"note_id,type:uuid"`
	ActivityID string    `bun:"activity_id"`
	CreatedAt  time.Time `bun:"created_at"`
}

// Reactions reads and writes the reactions of one kind.
type Reactions struct {
	tx   Tx
	kind string
}

// Reactions returns the repository of the reactions of kind.
func (t Tx) Reactions(kind string) Reactions { return Reactions{t, kind} }

// Add records rc (of the repository's kind); it reports false when the
// actor had already reacted so to the note.
func (r Reactions) Add(ctx context.Context, rc *Reaction) (bool, error) {
	rc.Kind = r.kind
	res, err := r.tx.idb.NewInsert().Model(rc).On("CONFLICT (kind, actor_id, note_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "add "+r.kind)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Of returns actor's reaction to note.
func (r Reactions) Of(ctx context.Context, actor, note uuid.UUID) (Reaction, error) {
	var rc Reaction
	err := r.tx.idb.NewSelect().Model(&rc).
		Where("kind = ?", r.kind).Where("actor_id = ?", actor).Where("note_id = ?", note).Scan(ctx)
	if err != nil {
		return Reaction{}, notFound(err, r.kind)
	}
	return rc, nil
}

// Remove deletes actor's reaction to note; ErrNotFound if there was none.
func (r Reactions) Remove(ctx context.Context, actor, note uuid.UUID) error {
	res, err := r.tx.idb.NewDelete().Model((*Reaction)(nil)).
		Where("kind = ?", r.kind).Where("actor_id = ?", actor).Where("note_id = ?", note).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "remove "+r.kind)
	}
	return expectOne(res, "remove "+r.kind)
}

// Count counts the reactions of the kind to note.
func (r Reactions) Count(ctx context.Context, note uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*Reaction)(nil)).
		Where("note_id = ?", note).Where("kind = ?", r.kind).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count "+r.kind)
	}
	return int(n), nil
}

// LocalAssociations returns the local associations' actors that reacted
// so to note, oldest reaction first: the associations that passed a
// member's note on to their followers.
func (r Reactions) LocalAssociations(ctx context.Context, note uuid.UUID) ([]Actor, error) {
	var list []Actor
	err := r.tx.idb.NewSelect().Model(&list).
		Join("JOIN reactions AS rc ON rc.actor_id = actor.id").
		Where("rc.note_id = ?", note).Where("rc.kind = ?", r.kind).
		Where("actor.local = ?", true).Where("actor.association_id IS NOT NULL").
		Where("actor.deleted_at IS NULL").
		OrderExpr("rc.id ASC").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list associations that reacted")
	}
	return list, nil
}

// LocalPeople returns the actors of local persons that reacted so to
// note, at most limit of them, oldest reaction first.
func (r Reactions) LocalPeople(ctx context.Context, note uuid.UUID, limit int) ([]Actor, error) {
	var list []Actor
	err := r.tx.idb.NewSelect().Model(&list).
		Join("JOIN reactions AS rc ON rc.actor_id = actor.id").
		Where("rc.note_id = ?", note).Where("rc.kind = ?", r.kind).
		Where("actor.local = ?", true).Where("actor.account_id IS NOT NULL").
		Where("actor.deleted_at IS NULL").
		OrderExpr("rc.id ASC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list people that reacted")
	}
	return list, nil
}

// DeleteReactionsBy removes every reaction of actor, of any kind, and
// returns how many.
func (t Tx) DeleteReactionsBy(ctx context.Context, actor uuid.UUID) (int64, error) {
	res, err := t.idb.NewDelete().Model((*Reaction)(nil)).Where("actor_id = ?", actor).Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "delete reactions of an actor")
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// Reactor is who reacted to a note, with the reaction's id.
type Reactor struct {
	ID       uuid.UUID `bun:"id,type:uuid"`
	ActorURI string    `bun:"actor_uri"`
}

// Reactors returns at most limit of those who reacted so to note, most
// recent first, before the reaction before (uuid.Nil: from the newest);
// but for suspended actors.
func (r Reactions) Reactors(ctx context.Context, note, before uuid.UUID, limit int) ([]Reactor, error) {
	q := r.tx.idb.NewSelect().TableExpr("reactions AS rc").ColumnExpr("rc.id, a.uri AS actor_uri").
		Join("JOIN actors AS a ON a.id = rc.actor_id").
		Where("rc.note_id = ?", note).Where("rc.kind = ?", r.kind).
		Where("a.deleted_at IS NULL").
		Where("a.suspended_at IS NULL")
	if before != uuid.Nil {
		q = q.Where("rc.id < ?", before)
	}
	var out []Reactor
	if err := q.OrderExpr("rc.id DESC").Limit(int64(limit)).Scan(ctx, &out); err != nil {
		return nil, notFound(err, "list who reacted")
	}
	return out, nil
}
