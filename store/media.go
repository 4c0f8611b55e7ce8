package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Media is an uploaded image, kept in the database so that every process
// serves the same bytes. It never changes once written.
type Media struct {
	bun.BaseModel `bun:"table:media"`

	ID          uuid.UUID `bun:"id,pk,type:uuid"`
	ContentType string    `bun:"content_type"`
	Data        []byte    `bun:"data"`
	Width       int       `bun:"width"`
	Height      int       `bun:"height"`
	CreatedAt   time.Time `bun:"created_at"`
}

// MediaRepo reads and writes media.
type MediaRepo struct{ tx Tx }

// Media returns the media repository.
func (t Tx) Media() MediaRepo { return MediaRepo{t} }

// Create inserts m.
func (r MediaRepo) Create(ctx context.Context, m *Media) error {
	_, err := r.tx.idb.NewInsert().Model(m).Exec(ctx)
	return wrapWrite(err, "create media")
}

// ByID returns the media id.
func (r MediaRepo) ByID(ctx context.Context, id uuid.UUID) (Media, error) {
	var m Media
	if err := r.tx.idb.NewSelect().Model(&m).Where("id = ?", id).Scan(ctx); err != nil {
		return Media{}, notFound(err, "media")
	}
	return m, nil
}

// Delete removes the media id; removing one that is gone changes nothing.
func (r MediaRepo) Delete(ctx context.Context, id uuid.UUID) error {
	_, err := r.tx.idb.NewDelete().Model((*Media)(nil)).Where("id = ?", id).Exec(ctx)
	return wrapWrite(err, "delete media")
}
