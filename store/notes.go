package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Note is a note's row: a local actor's post or a remote one received.
type Note struct {
	bun.BaseModel `bun:"table:notes"`

	ID          uuid.UUID  `bun:"id,pk,type:uuid"`
	URI         string     `bun:"uri"`
	AuthorID    uuid.UUID  `bun:"author_id,type:uuid"`
	Local       bool       `bun:"local"`
	Title       string     `bun:"title"` // of an Article or a Page, plain text
	Content     string     `bun:"content"`
	Source      string     `bun:"source"`
	Summary     string     `bun:"summary"`
	Sensitive   bool       `bun:"sensitive"`
	Visibility  string     `bun:"visibility"`
	InReplyTo   string     `bun:"in_reply_to"`
	InReplyToID *uuid.UUID `bun:"in_reply_to_id,type:uuid"`
	URL         string     `bun:"url"`
	Raw         *string    `bun:"raw"`
	PublishedAt time.Time  `bun:"published_at"`
	UpdatedAt   *time.Time `bun:"updated_at"`
	DeletedAt   *time.Time `bun:"deleted_at"`
	CreatedAt   time.Time  `bun:"created_at"`
}

// NoteRow is a note with what it shows of its author.
type NoteRow struct {
	Note `bun:",extend"`

	AuthorURI       string `bun:"author_uri"`
	AuthorUsername  string `bun:"author_username"`
	AuthorHost      string `bun:"author_host"`
	AuthorURL       string `bun:"author_url"`
	AuthorFollowers string `bun:"author_followers"`
	AuthorLocal     bool   `bun:"author_local"`
}

// NoteTag is one hashtag of a note, lower case, without the '#'.
type NoteTag struct {
	bun.BaseModel `bun:"table:note_tags"`

	NoteID uuid.UUID `bun:"note_id,pk,type:uuid"`
	Name   string    `bun:"name,pk"`
}

// NoteMention is one actor a note mentions: Href is its id, Name what the
// text shows ("@name@host").
type NoteMention struct {
	bun.BaseModel `bun:"table:note_mentions"`

	NoteID uuid.UUID `bun:"note_id,pk,type:uuid"`
	Href   string    `bun:"href,pk"`
	Name   string    `bun:"name"`
}

// Notes reads and writes notes, their hashtags and their mentions.
type Notes struct{ tx Tx }

// Notes returns the note repository.
func (t Tx) Notes() Notes { return Notes{t} }

// Create inserts n with its hashtags and mentions; ErrDuplicate if a note
// with its URI exists (deleted or not). Call it inside a transaction.
func (r Notes) Create(ctx context.Context, n *Note, tags []string, mentions []NoteMention) error {
	if _, err := r.tx.idb.NewInsert().Model(n).Exec(ctx); err != nil {
		return wrapWrite(err, "create note "+n.URI)
	}
	return r.insertDetails(ctx, n.ID, tags, mentions)
}

// Revise replaces the title, texts, flags, raw document, hashtags and mentions of
// the note n.ID, unless it is deleted (ErrNotFound). Call it inside a
// transaction.
func (r Notes) Revise(ctx context.Context, n *Note, tags []string, mentions []NoteMention) error {
	res, err := r.tx.idb.NewUpdate().Model(n).
		Column("title", "content", "source", "summary", "sensitive", "raw", "updated_at").
		WherePK().Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "revise note "+n.URI)
	}
	if err := expectOne(res, "revise note"); err != nil {
		return err
	}
	if err := r.deleteDetails(ctx, n.ID); err != nil {
		return err
	}
	return r.insertDetails(ctx, n.ID, tags, mentions)
}

// Tombstone empties the note id and marks it deleted at, with its hashtags
// and mentions gone; ErrNotFound if there is no such note or it is already
// deleted. Call it inside a transaction.
func (r Notes) Tombstone(ctx context.Context, id uuid.UUID, at time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*Note)(nil)).
		Set("title = ''").Set("content = ''").Set("source = ''").Set("summary = ''").Set("raw = NULL").
		Set("deleted_at = ?", at).
		Where("id = ?", id).Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "delete note")
	}
	if err := expectOne(res, "delete note"); err != nil {
		return err
	}
	return r.deleteDetails(ctx, id)
}

func (r Notes) insertDetails(ctx context.Context, id uuid.UUID, tags []string, mentions []NoteMention) error {
	seen := map[string]bool{}
	var tagRows []NoteTag
	for _, t := range tags {
		if !seen[t] {
			seen[t] = true
			tagRows = append(tagRows, NoteTag{NoteID: id, Name: t})
		}
	}
	if len(tagRows) > 0 {
		if _, err := r.tx.idb.NewInsert().Model(&tagRows).Exec(ctx); err != nil {
			return wrapWrite(err, "store hashtags")
		}
	}
	clear(seen)
	var mentionRows []NoteMention
	for _, m := range mentions {
		if !seen[m.Href] {
			seen[m.Href] = true
			m.NoteID = id
			mentionRows = append(mentionRows, m)
		}
	}
	if len(mentionRows) > 0 {
		if _, err := r.tx.idb.NewInsert().Model(&mentionRows).Exec(ctx); err != nil {
			return wrapWrite(err, "store mentions")
		}
	}
	return nil
}

func (r Notes) deleteDetails(ctx context.Context, id uuid.UUID) error {
	if _, err := r.tx.idb.NewDelete().Model((*NoteTag)(nil)).Where("note_id = ?", id).Exec(ctx); err != nil {
		return wrapWrite(err, "delete hashtags")
	}
	if _, err := r.tx.idb.NewDelete().Model((*NoteMention)(nil)).Where("note_id = ?", id).Exec(ctx); err != nil {
		return wrapWrite(err, "delete mentions")
	}
	return nil
}

// ByID returns the note id, deleted or not.
func (r Notes) ByID(ctx context.Context, id uuid.UUID) (NoteRow, error) {
	return r.one(ctx, "note.id = ?", id)
}

// ByURI returns the note whose id on the wire is uri, deleted or not.
func (r Notes) ByURI(ctx context.Context, uri string) (NoteRow, error) {
	return r.one(ctx, "note.uri = ?", uri)
}

func (r Notes) one(ctx context.Context, where string, args ...any) (NoteRow, error) {
	var n NoteRow
	if err := r.withAuthor(&n).Where(where, args...).Scan(ctx); err != nil {
		return NoteRow{}, notFound(err, "note")
	}
	return n, nil
}

func (r Notes) withAuthor(model any) *bun.SelectQuery {
	return r.tx.idb.NewSelect().Model(model).
		ColumnExpr("note.*").
		ColumnExpr("a.uri AS author_uri, a.username AS author_username, a.host AS author_host").
		ColumnExpr("a.url AS author_url, a.followers AS author_followers, a.local AS author_local").
		Join("JOIN actors AS a ON a.id = note.author_id")
}

// Replies lists the notes that reply to the note parent, oldest first,
// after the note id after (uuid.Nil: from the start), deleted ones too.
func (r Notes) Replies(ctx context.Context, parent, after uuid.UUID, limit int) ([]NoteRow, error) {
	var list []NoteRow
	q := r.withAuthor(&list).Where("note.in_reply_to_id = ?", parent)
	if after != uuid.Nil {
		q = q.Where("note.id > ?", after)
	}
	if err := q.OrderExpr("note.id ASC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list replies")
	}
	return list, nil
}

// LinkReplies links to the note parent the stored replies to parentURI
// that arrived before it, and returns how many.
//
// The condition that in_reply_to is not empty repeats the one of the partial index
// notes_in_reply_to_idx: SQLite uses a partial index only when the query
// states its condition, and without it walked every note without a parent
// (notes_in_reply_to_id_idx), once per received note.
func (r Notes) LinkReplies(ctx context.Context, parent uuid.UUID, parentURI string) (int, error) {
	res, err := r.tx.idb.NewUpdate().Model((*Note)(nil)).
		Set("in_reply_to_id = ?", parent).
		Where("in_reply_to = ?", parentURI).Where("in_reply_to <> ''").
		Where("in_reply_to_id IS NULL").Where("id <> ?", parent).
		Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "link replies")
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Tags returns the hashtags of the note id, in name order.
func (r Notes) Tags(ctx context.Context, id uuid.UUID) ([]string, error) {
	var names []string
	err := r.tx.idb.NewSelect().Model((*NoteTag)(nil)).Column("name").
		Where("note_id = ?", id).OrderExpr("name").Scan(ctx, &names)
	if err != nil {
		return nil, notFound(err, "list hashtags")
	}
	return names, nil
}

// Mentions returns the mentions of the note id, in href order.
func (r Notes) Mentions(ctx context.Context, id uuid.UUID) ([]NoteMention, error) {
	var list []NoteMention
	err := r.tx.idb.NewSelect().Model(&list).Where("note_id = ?", id).OrderExpr("href").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list mentions")
	}
	return list, nil
}

// MentionedActor returns the actor that "@username@host" names, compared
// without regard to case, among the actors stored here.
func (r Notes) MentionedActor(ctx context.Context, username, host string) (Actor, error) {
	var a Actor
	err := r.tx.idb.NewSelect().Model(&a).
		Where("lower(username) = lower(?)", username).Where("lower(host) = lower(?)", host).
		Where("deleted_at IS NULL").Limit(1).Scan(ctx)
	if err != nil {
		return Actor{}, notFound(err, "actor")
	}
	return a, nil
}

// AuthorHasLocalFollower reports whether a local actor follows the actor
// author (an accepted follow).
func (r Notes) AuthorHasLocalFollower(ctx context.Context, author uuid.UUID) (bool, error) {
	ok, err := r.tx.idb.NewSelect().TableExpr("follows AS f").
		Join("JOIN actors AS a ON a.id = f.follower_id").
		Where("f.followed_id = ?", author).Where("f.state = ?", "accepted").Where("a.local = ?", true).
		Exists(ctx)
	if err != nil {
		return false, notFound(err, "find local followers")
	}
	return ok, nil
}

// PublicByAuthor lists author's public and unlisted notes that are not
// deleted, newest first, before the note id cursor (uuid.Nil: the newest).
func (r Notes) PublicByAuthor(ctx context.Context, author, before uuid.UUID, limit int) ([]NoteRow, error) {
	var list []NoteRow
	q := r.withAuthor(&list).
		Where("note.author_id = ?", author).
		Where("note.visibility IN (?)", bun.In([]string{"public", "unlisted"})).
		Where("note.deleted_at IS NULL")
	if before != uuid.Nil {
		q = q.Where("note.id < ?", before)
	}
	if err := q.OrderExpr("note.id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list notes of an author")
	}
	return list, nil
}

// CountPublicByAuthor counts what PublicByAuthor lists.
func (r Notes) CountPublicByAuthor(ctx context.Context, author uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*Note)(nil)).
		Where("author_id = ?", author).
		Where("visibility IN (?)", bun.In([]string{"public", "unlisted"})).
		Where("deleted_at IS NULL").Count(ctx)
	if err != nil {
		return 0, notFound(err, "count notes of an author")
	}
	return int(n), nil
}

// TombstoneByAuthor empties and marks deleted at every live note of
// author, with its hashtags and mentions, and returns how many. Call it
// inside a transaction.
func (r Notes) TombstoneByAuthor(ctx context.Context, author uuid.UUID, at time.Time) (int64, error) {
	live := r.tx.idb.NewSelect().Model((*Note)(nil)).Column("id").
		Where("author_id = ?", author).Where("deleted_at IS NULL")
	if _, err := r.tx.idb.NewDelete().Model((*NoteTag)(nil)).Where("note_id IN (?)", live).Exec(ctx); err != nil {
		return 0, wrapWrite(err, "delete hashtags of an author")
	}
	if _, err := r.tx.idb.NewDelete().Model((*NoteMention)(nil)).Where("note_id IN (?)", live).Exec(ctx); err != nil {
		return 0, wrapWrite(err, "delete mentions of an author")
	}
	res, err := r.tx.idb.NewUpdate().Model((*Note)(nil)).
		Set("content = ''").Set("source = ''").Set("summary = ''").Set("raw = NULL").
		Set("deleted_at = ?", at).
		Where("author_id = ?", author).Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "delete notes of an author")
	}
	n, _ := res.RowsAffected()
	return n, nil
}
