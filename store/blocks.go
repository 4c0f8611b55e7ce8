package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Block is one actor blocking another.
type Block struct {
	bun.BaseModel `bun:"table:blocks"`

	ID         uuid.UUID `bun:"id,pk,type:uuid"`
	BlockerID  uuid.UUID `bun:"blocker_id,type:uuid"`
	BlockedID  uuid.UUID `bun:"blocked_id,type:uuid"`
	ActivityID string    `bun:"activity_id"`
	CreatedAt  time.Time `bun:"created_at"`
}

// BlockRow is a block with the blocked actor's names, as a person's list of
// blocks shows it.
type BlockRow struct {
	Block `bun:",extend"`

	BlockedURI      string `bun:"blocked_uri"`
	BlockedUsername string `bun:"blocked_username"`
	BlockedHost     string `bun:"blocked_host"`
}

// Blocks reads and writes blocks.
type Blocks struct{ tx Tx }

// Blocks returns the block repository.
func (t Tx) Blocks() Blocks { return Blocks{t} }

// Add records b; it reports false, changing nothing, when b's blocker
// already blocks b's blocked actor.
func (r Blocks) Add(ctx context.Context, b *Block) (bool, error) {
	res, err := r.tx.idb.NewInsert().Model(b).On("CONFLICT (blocker_id, blocked_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "add block")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Between returns blocker's block of blocked.
func (r Blocks) Between(ctx context.Context, blocker, blocked uuid.UUID) (Block, error) {
	var b Block
	err := r.tx.idb.NewSelect().Model(&b).Where("blocker_id = ?", blocker).Where("blocked_id = ?", blocked).Scan(ctx)
	if err != nil {
		return Block{}, notFound(err, "block")
	}
	return b, nil
}

// ByID returns the block id.
func (r Blocks) ByID(ctx context.Context, id uuid.UUID) (Block, error) {
	var b Block
	if err := r.tx.idb.NewSelect().Model(&b).Where("id = ?", id).Scan(ctx); err != nil {
		return Block{}, notFound(err, "block")
	}
	return b, nil
}

// Remove deletes blocker's block of blocked; ErrNotFound if there was none.
func (r Blocks) Remove(ctx context.Context, blocker, blocked uuid.UUID) error {
	res, err := r.tx.idb.NewDelete().Model((*Block)(nil)).
		Where("blocker_id = ?", blocker).Where("blocked_id = ?", blocked).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "remove block")
	}
	return expectOne(res, "remove block")
}

// OfBlocker lists up to limit of blocker's blocks, newest first, before
// the block id cursor (uuid.Nil for the first page).
func (r Blocks) OfBlocker(ctx context.Context, blocker, before uuid.UUID, limit int) ([]BlockRow, error) {
	var list []BlockRow
	q := r.tx.idb.NewSelect().Model(&list).
		ColumnExpr("block.*").
		ColumnExpr("a.uri AS blocked_uri, a.username AS blocked_username, a.host AS blocked_host").
		Join("JOIN actors AS a ON a.id = block.blocked_id").
		Where("block.blocker_id = ?", blocker).
		OrderExpr("block.id DESC").Limit(int64(limit))
	if before != uuid.Nil {
		q = q.Where("block.id < ?", before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list blocks")
	}
	return list, nil
}

// Apart returns the ids (URIs) of the actors a block stands between actor
// and: those it blocks and those that block it. What one of them does does
// not reach the other, and what actor publishes is not delivered to them.
func (r Blocks) Apart(ctx context.Context, actor uuid.UUID) (map[string]bool, error) {
	var uris []string
	err := r.tx.idb.NewSelect().
		ColumnExpr("a.uri").
		TableExpr("blocks AS b").
		Join("JOIN actors AS a ON a.id = CASE WHEN b.blocker_id = ? THEN b.blocked_id ELSE b.blocker_id END", actor).
		Where("b.blocker_id = ? OR b.blocked_id = ?", actor, actor).
		Scan(ctx, &uris)
	if err != nil {
		return nil, notFound(err, "list blocks of an actor")
	}
	apart := make(map[string]bool, len(uris))
	for _, u := range uris {
		apart[u] = true
	}
	return apart, nil
}

// noBlockBetween is an SQL condition on two columns of actor ids: no block
// stands between them, whichever blocks the other.
func noBlockBetween(a, b string) string {
	return "NOT EXISTS (SELECT 1 FROM blocks AS nb WHERE (nb.blocker_id = " + a + " AND nb.blocked_id = " + b +
		") OR (nb.blocker_id = " + b + " AND nb.blocked_id = " + a + "))"
}
