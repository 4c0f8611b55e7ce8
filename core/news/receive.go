package news

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// RemoteNote is a note as another server sent it, read off the wire by
// federation. Nothing in it is trusted: Receive methods bound, check and
// sanitise it.
type RemoteNote struct {
	URI          string
	AttributedTo string
	URL          string
	Name         string // an Article's or a Page's title
	Content      string // HTML, or Markdown when MediaType says so
	MediaType    string
	Summary      string
	Sensitive    bool
	InReplyTo    string
	Published    time.Time
	Updated      time.Time
	To, CC       []string
	Tags         []string // hashtag names, with or without '#'
	Mentions     []Mention
	Attachments  []RemoteAttachment
	Raw          string // the object's JSON
	// Poll is a Question's poll (oneOf or anyOf), nil for other notes.
	Poll *RemotePoll
}

// ReceiveCreate stores a note that the remote actor actorURI created. The
// note must be attributed to that actor and concern someone here: a local
// actor follows its author, it mentions or addresses a local actor, or it
// replies to a note stored here (ErrUnsolicited otherwise). A reply to a
// stored note is linked to it, and replies that came before the note are
// linked to it now. Receiving the same note again changes nothing.
func (s *Service) ReceiveCreate(ctx context.Context, actorURI string, in RemoteNote) (Note, error) {
	var out Note
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		author, err := s.remoteAuthor(ctx, tx, actorURI, in)
		if err != nil {
			return err
		}
		out, err = s.storeRemote(ctx, tx, author, in, nil)
		return err
	})
	if err != nil {
		return Note{}, fmt.Errorf("receive note %s from %s: %w", in.URI, actorURI, err)
	}
	return out, nil
}

// storeRemote stores the note in by author, when it concerns someone here
// (ErrUnsolicited otherwise): see ReceiveCreate. A note passed on by the
// actor via (an Announce's actor) concerns us too when a local actor
// follows via. A note already stored is returned as it is.
func (s *Service) storeRemote(ctx context.Context, tx store.Tx, author store.Actor, in RemoteNote, via *store.Actor) (Note, error) {
	return s.storeRemoteAs(ctx, tx, author, in, via, false)
}

// storeRemoteAs is storeRemote; a solicited note (one a subscribed relay
// brought) is stored without concerning anyone here.
func (s *Service) storeRemoteAs(ctx context.Context, tx store.Tx, author store.Actor, in RemoteNote, via *store.Actor, solicited bool) (Note, error) {
	if existing, err := tx.Notes().ByURI(ctx, in.URI); err == nil {
		// Already here (or deleted: a tombstone is never revived).
		return s.load(ctx, tx, existing)
	} else if !errors.Is(err, store.ErrNotFound) {
		return Note{}, err
	}
	row, tags, mentions, err := s.readRemote(in, author)
	if err != nil {
		return Note{}, err
	}
	var parent *store.NoteRow
	if row.InReplyTo != "" {
		p, err := tx.Notes().ByURI(ctx, row.InReplyTo)
		switch {
		case err == nil:
			parent = &p
			row.InReplyToID = &p.ID
		case !errors.Is(err, store.ErrNotFound):
			return Note{}, err
		}
	}
	row.Visibility = VisibilityOf(in.To, in.CC, author.Followers)
	ok, err := solicited, error(nil)
	if !ok {
		ok, err = s.concernsUs(ctx, tx, author, in, mentions, parent)
	}
	if err == nil && !ok && via != nil {
		ok, err = tx.Notes().AuthorHasLocalFollower(ctx, via.ID)
	}
	if err != nil {
		return Note{}, err
	} else if !ok {
		return Note{}, ErrUnsolicited
	}
	row.ID = newID()
	row.CreatedAt = s.now()
	if err := tx.Notes().Create(ctx, &row, tags, storeMentions(mentions)); err != nil {
		return Note{}, err
	}
	if err := s.notifyMentions(ctx, tx, row.ID, author, mentions); err != nil {
		return Note{}, err
	}
	if _, err := tx.Notes().LinkReplies(ctx, row.ID, row.URI); err != nil {
		return Note{}, err
	}
	attachments := readRemoteAttachments(in.Attachments, row.CreatedAt)
	if err := storeRemoteAttachments(ctx, tx, row.ID, attachments); err != nil {
		return Note{}, err
	}
	if err := receivePoll(ctx, tx, row.ID, in.Poll); err != nil {
		return Note{}, err
	}
	return s.load(ctx, tx, withAuthor(row, author))
}

// ReceiveUpdate applies the edit of a stored remote note by its author
// actorURI: title, texts, flags, hashtags and mentions change; its visibility and
// its parent do not. A note not stored here is not taken in by an Update
// (ErrNoSuchNote), a deleted one stays deleted (ErrNoteDeleted), and
// another actor's note is refused (ErrNotAuthor).
func (s *Service) ReceiveUpdate(ctx context.Context, actorURI string, in RemoteNote) (Note, error) {
	var out Note
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		author, err := s.remoteAuthor(ctx, tx, actorURI, in)
		if err != nil {
			return err
		}
		old, err := s.remoteNoteOf(ctx, tx, author, in.URI)
		if err != nil {
			return err
		}
		row, tags, mentions, err := s.readRemote(in, author)
		if err != nil {
			return err
		}
		now := s.now()
		updated := row.UpdatedAt
		if updated == nil || updated.After(now) {
			updated = &now
		}
		next := old.Note
		next.Title, next.Content, next.Summary, next.Sensitive, next.Raw, next.UpdatedAt = row.Title, row.Content, row.Summary, row.Sensitive, row.Raw, updated
		if err := tx.Notes().Revise(ctx, &next, tags, storeMentions(mentions)); err != nil {
			return err
		}
		// An edit may change the images too (Mastodon allows it).
		attachments := readRemoteAttachments(in.Attachments, now)
		if err := storeRemoteAttachments(ctx, tx, next.ID, attachments); err != nil {
			return err
		}
		if err := receivePoll(ctx, tx, next.ID, in.Poll); err != nil {
			return err
		}
		if err := s.notifyMentions(ctx, tx, next.ID, author, mentions); err != nil {
			return err
		}
		if err := s.notifyUpdate(ctx, tx, next.ID, author); err != nil {
			return err
		}
		out, err = s.load(ctx, tx, withAuthor(next, author))
		return err
	})
	if err != nil {
		return Note{}, fmt.Errorf("receive update of %s from %s: %w", in.URI, actorURI, err)
	}
	return out, nil
}

// ReceiveDelete deletes the stored remote note noteURI by its author
// actorURI: it stays as a tombstone. Another actor's note is refused
// (ErrNotAuthor) and left as it is; a note not stored here is
// ErrNoSuchNote, one already deleted ErrNoteDeleted.
func (s *Service) ReceiveDelete(ctx context.Context, actorURI, noteURI string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		author, err := tx.Actors().ByURI(ctx, actorURI)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoSuchActor
		}
		if err != nil {
			return err
		}
		row, err := s.remoteNoteOf(ctx, tx, author, noteURI)
		if err != nil {
			return err
		}
		if err := tx.Notes().Tombstone(ctx, row.ID, s.now()); err != nil {
			return err
		}
		return tx.Attachments().DropOfNote(ctx, row.ID)
	})
	if err != nil {
		return fmt.Errorf("receive delete of %s from %s: %w", noteURI, actorURI, err)
	}
	return nil
}

// remoteAuthor is the remote actor actorURI, when the note is attributed
// to it and lives on its host.
func (s *Service) remoteAuthor(ctx context.Context, tx store.Tx, actorURI string, in RemoteNote) (store.Actor, error) {
	if in.AttributedTo != actorURI {
		return store.Actor{}, ErrNotAuthor
	}
	if !core.IsHTTPURL(in.URI) || !core.SameHost(in.URI, actorURI) {
		return store.Actor{}, core.New(core.KindInvalid, "bad-note-id", "the note's id is not a URL on its author's host")
	}
	a, err := tx.Actors().ByURI(ctx, actorURI)
	if errors.Is(err, store.ErrNotFound) {
		return store.Actor{}, ErrNoSuchActor
	}
	if err != nil {
		return store.Actor{}, err
	}
	if a.Local || a.DeletedAt != nil {
		return store.Actor{}, ErrNotAuthor
	}
	return a, nil
}

// remoteNoteOf returns the live stored note uri, when author wrote it.
func (s *Service) remoteNoteOf(ctx context.Context, tx store.Tx, author store.Actor, uri string) (store.NoteRow, error) {
	row, err := tx.Notes().ByURI(ctx, uri)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.NoteRow{}, ErrNoSuchNote
	case err != nil:
		return store.NoteRow{}, err
	case row.Local || row.AuthorID != author.ID:
		return store.NoteRow{}, ErrNotAuthor
	case row.DeletedAt != nil:
		return store.NoteRow{}, ErrNoteDeleted
	}
	return row, nil
}

// readRemote bounds and sanitises a received note into a row (without id
// and visibility), its hashtags and its mentions.
func (s *Service) readRemote(in RemoteNote, author store.Actor) (store.Note, []string, []Mention, error) {
	if len(in.Content) > MaxRemoteContent || len(in.Summary) > MaxRemoteContent || len(in.Name) > MaxRemoteContent ||
		len(in.Raw) > 4*MaxRemoteContent {
		return store.Note{}, nil, nil, ErrTooLarge
	}
	var content string
	if strings.EqualFold(strings.TrimSpace(in.MediaType), "text/markdown") {
		content = renderRemoteMarkdown(in.Content)
	} else {
		content = Sanitize(in.Content)
	}
	summary := truncate(PlainText(in.Summary), MaxSummaryLength)
	title := truncate(PlainText(in.Name), MaxTitleLength)
	now := s.now()
	published := in.Published.UTC()
	if published.IsZero() || published.After(now) {
		published = now
	}
	row := store.Note{URI: in.URI, AuthorID: author.ID, Local: false, Title: title, Content: content, Summary: summary,
		Sensitive: in.Sensitive || summary != "", PublishedAt: published}
	if core.IsHTTPURL(in.URL) {
		row.URL = in.URL
	}
	if core.IsHTTPURL(in.InReplyTo) {
		row.InReplyTo = in.InReplyTo
	}
	if !in.Updated.IsZero() {
		u := in.Updated.UTC()
		row.UpdatedAt = &u
	}
	if in.Raw != "" && utf8.ValidString(in.Raw) && !strings.Contains(in.Raw, `\u0000`) {
		raw := in.Raw
		row.Raw = &raw
	}
	var tags []string
	for _, t := range in.Tags {
		name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(t), "#"))
		if name == "" || utf8.RuneCountInString(name) > MaxTagLength || !utf8.ValidString(name) || slices.Contains(tags, name) {
			continue
		}
		if tags = append(tags, name); len(tags) == MaxTags {
			break
		}
	}
	var mentions []Mention
	for _, m := range in.Mentions {
		if !core.IsHTTPURL(m.Href) || slices.ContainsFunc(mentions, func(x Mention) bool { return x.Href == m.Href }) {
			continue
		}
		m.Name = truncate(PlainText(m.Name), 200)
		if mentions = append(mentions, m); len(mentions) == MaxMentions {
			break
		}
	}
	return row, tags, mentions, nil
}

// concernsUs tells whether a received note is for someone here. Those a
// block stands between with the author do not count: a mention of, or a
// reply to, someone who blocks the author does not bring its note here.
func (s *Service) concernsUs(ctx context.Context, tx store.Tx, author store.Actor, in RemoteNote, mentions []Mention, parent *store.NoteRow) (bool, error) {
	apart, err := tx.Blocks().Apart(ctx, author.ID)
	if err != nil {
		return false, err
	}
	if parent != nil && !apart[parent.AuthorURI] {
		return true, nil
	}
	local := s.policy.BaseURL + "/actors/"
	for _, m := range mentions {
		if strings.HasPrefix(m.Href, local) && !apart[m.Href] {
			return true, nil
		}
	}
	for _, a := range slices.Concat(in.To, in.CC) {
		if strings.HasPrefix(a, local) && !apart[a] {
			return true, nil
		}
	}
	return tx.Notes().AuthorHasLocalFollower(ctx, author.ID)
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
