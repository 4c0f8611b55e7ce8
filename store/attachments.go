package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Attachment is an image a note carries: an upload of a local account
// (MediaID, AccountID; NoteID nil until a note carries it), or an image a
// remote note points at (RemoteURL), never fetched here.
type Attachment struct {
	bun.BaseModel `bun:"table:note_attachments"`

	ID          uuid.UUID  `bun:"id,pk,type:uuid"`
	NoteID      *uuid.UUID `bun:"note_id,type:uuid"`
	AccountID   *uuid.UUID `bun:"account_id,type:uuid"`
	MediaID     *uuid.UUID `bun:"media_id,type:uuid"`
	Position    int        `bun:"position"`
	RemoteURL   string     `bun:"remote_url"`
	MediaType   string     `bun:"media_type"`
	Description string     `bun:"description"`
	FocusX      float64    `bun:"focus_x"`
	FocusY      float64    `bun:"focus_y"`
	Width       int        `bun:"width"`
	Height      int        `bun:"height"`
	Size        int64      `bun:"size"`
	Blurhash    string     `bun:"blurhash"`
	CreatedAt   time.Time  `bun:"created_at"`
}

// Attachments reads and writes the attachments of notes.
type Attachments struct{ tx Tx }

// Attachments returns the attachments repository.
func (t Tx) Attachments() Attachments { return Attachments{t} }

// Create inserts a.
func (r Attachments) Create(ctx context.Context, a *Attachment) error {
	_, err := r.tx.idb.NewInsert().Model(a).Exec(ctx)
	return wrapWrite(err, "create attachment")
}

// CreateMany inserts list (a remote note's attachments) in one statement.
func (r Attachments) CreateMany(ctx context.Context, list []Attachment) error {
	if len(list) == 0 {
		return nil
	}
	_, err := r.tx.idb.NewInsert().Model(&list).Exec(ctx)
	return wrapWrite(err, "create attachments")
}

// ByID returns the attachment id.
func (r Attachments) ByID(ctx context.Context, id uuid.UUID) (Attachment, error) {
	var a Attachment
	if err := r.tx.idb.NewSelect().Model(&a).Where("id = ?", id).Scan(ctx); err != nil {
		return Attachment{}, notFound(err, "attachment")
	}
	return a, nil
}

// Describe sets the description and focus of the upload id of account,
// while no note carries it; ErrNotFound otherwise.
func (r Attachments) Describe(ctx context.Context, id, account uuid.UUID, description string, x, y float64) error {
	res, err := r.tx.idb.NewUpdate().Model((*Attachment)(nil)).
		Set("description = ?", description).Set("focus_x = ?", x).Set("focus_y = ?", y).
		Where("id = ? AND account_id = ? AND note_id IS NULL", id, account).Exec(ctx)
	if err != nil {
		return fmt.Errorf("describe attachment %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("describe attachment %s: %w", id, ErrNotFound)
	}
	return nil
}

// Attach gives note the uploads ids of account, in their order. It is
// conditional: an upload that is another account's, or already carried by
// a note, is not taken, and the count returned falls short of len(ids).
func (r Attachments) Attach(ctx context.Context, note, account uuid.UUID, ids []uuid.UUID) (int, error) {
	taken := 0
	for i, id := range ids {
		res, err := r.tx.idb.NewUpdate().Model((*Attachment)(nil)).
			Set("note_id = ?", note).Set("position = ?", i).
			Where("id = ? AND account_id = ? AND note_id IS NULL", id, account).Exec(ctx)
		if err != nil {
			return taken, fmt.Errorf("attach %s to note %s: %w", id, note, err)
		}
		n, _ := res.RowsAffected()
		taken += int(n)
	}
	return taken, nil
}

// OfNote returns the attachments of the note id, in order.
func (r Attachments) OfNote(ctx context.Context, id uuid.UUID) ([]Attachment, error) {
	var out []Attachment
	err := r.tx.idb.NewSelect().Model(&out).Where("note_id = ?", id).OrderExpr("position, id").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "attachments of note")
	}
	return out, nil
}

// OfNotes returns the attachments of the notes ids, each note's in order.
func (r Attachments) OfNotes(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]Attachment, error) {
	out := make(map[uuid.UUID][]Attachment, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Attachment
	err := r.tx.idb.NewSelect().Model(&rows).Where("note_id IN (?)", bun.In(ids)).OrderExpr("note_id, position, id").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "attachments of notes")
	}
	for _, a := range rows {
		out[*a.NoteID] = append(out[*a.NoteID], a)
	}
	return out, nil
}

// ReplaceRemote replaces the attachments of the remote note id (an Update
// may change them).
func (r Attachments) ReplaceRemote(ctx context.Context, id uuid.UUID, list []Attachment) error {
	_, err := r.tx.idb.NewDelete().Model((*Attachment)(nil)).Where("note_id = ? AND media_id IS NULL", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("replace attachments of %s: %w", id, err)
	}
	return r.CreateMany(ctx, list)
}

// maxSweep bounds one sweep; the next takes the rest.
const maxSweep = 500

// SweepUnattached deletes the uploads no note carried since before, with
// their images, and returns how many went.
func (r Attachments) SweepUnattached(ctx context.Context, before time.Time) (int64, error) {
	var media []uuid.UUID
	err := r.tx.idb.NewSelect().Model((*Attachment)(nil)).Column("media_id").
		Where("note_id IS NULL AND created_at < ? AND media_id IS NOT NULL", before).OrderExpr("created_at").Limit(maxSweep).Scan(ctx, &media)
	if err != nil {
		return 0, fmt.Errorf("list unattached uploads: %w", err)
	}
	if len(media) == 0 {
		return 0, nil
	}
	// The attachment rows go with their media (ON DELETE CASCADE).
	res, err := r.tx.idb.NewDelete().Model((*Media)(nil)).Where("id IN (?)", bun.In(media)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("sweep unattached uploads: %w", err)
	}
	return res.RowsAffected()
}

// DropOfNote deletes the attachments of the note id, and the images of
// its uploads: a deleted note keeps none.
func (r Attachments) DropOfNote(ctx context.Context, id uuid.UUID) error {
	var media []uuid.UUID
	err := r.tx.idb.NewSelect().Model((*Attachment)(nil)).Column("media_id").
		Where("note_id = ? AND media_id IS NOT NULL", id).Scan(ctx, &media)
	if err != nil {
		return fmt.Errorf("list attachments of %s: %w", id, err)
	}
	if _, err := r.tx.idb.NewDelete().Model((*Attachment)(nil)).Where("note_id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("drop attachments of %s: %w", id, err)
	}
	if len(media) > 0 {
		if _, err := r.tx.idb.NewDelete().Model((*Media)(nil)).Where("id IN (?)", bun.In(media)).Exec(ctx); err != nil {
			return fmt.Errorf("drop images of %s: %w", id, err)
		}
	}
	return nil
}
