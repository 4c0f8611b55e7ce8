package news

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Bounds of a timeline page.
const (
	DefaultTimelineLimit = 20
	MaxTimelineLimit     = 40
)

// Entry is one line of a timeline: a note, and who boosted it when it came
// by a boost, with its counts of likes and boosts and whether the viewer
// liked or boosted it. Key is the entry's own id (the note's, or the
// boost's), unique within a timeline.
type Entry struct {
	Key         string
	Note        Note
	AuthorName  string // the author's display name; may be empty
	BoostedBy   *Author
	BoosterName string
	Likes       int
	Boosts      int
	Liked       bool
	Boosted     bool
	// Replies counts the note's live public and unlisted replies;
	// ParentAuthor is the actor who wrote the note it replies to, when
	// that note is stored here; Bookmarked, whether the viewer bookmarked
	// the note.
	Replies      int
	ParentAuthor *uuid.UUID
	Bookmarked   bool
}

// Page is one page of a timeline, and the cursor of the next one ("" on
// the last).
type Page struct {
	Entries []Entry
	Next    string
}

// Thread is a note as its page shows it: the note, the note it replies to
// when it is stored here and the viewer may read it, and a page of its
// replies, oldest first.
type Thread struct {
	Entry   Entry
	Parent  *Entry
	Replies []Entry
	Next    string // cursor of the next replies
}

// ErrBadCursor refuses a cursor that no timeline handed out.
var ErrBadCursor = core.Invalid(core.FieldError{Field: "cursor", Code: "bad-cursor",
	Detail: "not a cursor this list handed out; use the next value of the previous page"})

// ErrBadTag refuses a hashtag that no note can carry.
var ErrBadTag = core.Invalid(core.FieldError{Field: "tag", Code: "bad-tag",
	Detail: "a hashtag has 1 to 100 characters"})

// boardRoles are the roles whose active members speak for an association
// (membership.Member.IsBoard): they read all its notes.
var boardRoles = []string{membership.MemberBoard, membership.MemberTreasurer}

// Cursor is the opaque form of a timeline position: the entry's id.
func cursorOf(id uuid.UUID) string { return base64.RawURLEncoding.EncodeToString(id[:]) }

// ParseCursor reads a cursor a timeline handed out; "" is the start.
func ParseCursor(c string) (uuid.UUID, error) {
	if c == "" {
		return uuid.Nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) != 16 {
		return uuid.Nil, ErrBadCursor
	}
	id, err := uuid.FromBytes(b)
	if err != nil || id == uuid.Nil {
		return uuid.Nil, ErrBadCursor
	}
	return id, nil
}

// NormalizeTag is the name under which notes carry the hashtag name (with
// or without its '#'), or ErrBadTag.
func NormalizeTag(name string) (string, error) {
	name = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "#"))
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxTagLength {
		return "", ErrBadTag
	}
	return name, nil
}

// Home is a page of the home timeline of viewer: the notes of viewer's
// own actor and of the actors it follows, the notes that mention it and
// the public replies to its notes, and the boosts by it and by the actors
// it follows; each as viewer may read it (a followers-only note when it
// follows the author, a direct one when it is mentioned), newest first.
func (s *Service) Home(ctx context.Context, viewer membership.Account, cursor string, limit int) (Page, error) {
	v, p, err := s.timelineStart(ctx, &viewer, cursor, limit)
	if err != nil {
		return Page{}, err
	}
	if v.Actor == uuid.Nil {
		return Page{}, ErrNoSuchActor
	}
	rows, err := s.db.Notes().HomeTimeline(ctx, v, p)
	if err != nil {
		return Page{}, fmt.Errorf("home of %s: %w", viewer.Username, err)
	}
	return s.page(ctx, rows, p.Limit-1)
}

// Network is a page of the network's public activity as this instance
// sees it: the public notes of local actors and of the remote actors
// someone here follows (partners), and their boosts of public notes,
// newest first.
func (s *Service) Network(ctx context.Context, viewer *membership.Account, cursor string, limit int) (Page, error) {
	v, p, err := s.timelineStart(ctx, viewer, cursor, limit)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.db.Notes().NetworkTimeline(ctx, v.Actor, p)
	if err != nil {
		return Page{}, fmt.Errorf("network timeline: %w", err)
	}
	return s.page(ctx, rows, p.Limit-1)
}

// Tagged is a page of the public notes carrying the hashtag tag, newest
// first.
func (s *Service) Tagged(ctx context.Context, viewer *membership.Account, tag, cursor string, limit int) (Page, error) {
	name, err := NormalizeTag(tag)
	if err != nil {
		return Page{}, err
	}
	v, p, err := s.timelineStart(ctx, viewer, cursor, limit)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.db.Notes().TagTimeline(ctx, v.Actor, name, p)
	if err != nil {
		return Page{}, fmt.Errorf("notes tagged %s: %w", name, err)
	}
	return s.page(ctx, rows, p.Limit-1)
}

// ActorNews is a page of what the actor (local or remote, known here) did:
// its notes as viewer may read them and its boosts, newest first. For an
// association, this is its news: what it posts and what it boosts of its
// members' posts.
func (s *Service) ActorNews(ctx context.Context, viewer *membership.Account, actor uuid.UUID, cursor string, limit int) (Page, error) {
	v, p, err := s.timelineStart(ctx, viewer, cursor, limit)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.db.Notes().ActorTimeline(ctx, v, actor, p)
	if err != nil {
		return Page{}, fmt.Errorf("news of actor %s: %w", actor, err)
	}
	return s.page(ctx, rows, p.Limit-1)
}

// Thread returns the note id as viewer may read it (ErrNoSuchNote,
// ErrNoteDeleted as Get), its parent, and a page of at most MaxReplies of
// its replies after cursor.
func (s *Service) Thread(ctx context.Context, viewer *membership.Account, id uuid.UUID, cursor string) (Thread, error) {
	after, err := ParseCursor(cursor)
	if err != nil {
		return Thread{}, err
	}
	n, err := s.Get(ctx, viewer, id)
	if err != nil {
		return Thread{}, err
	}
	v, err := s.timelineViewer(ctx, viewer)
	if err != nil {
		return Thread{}, err
	}
	ids := []uuid.UUID{n.ID}
	if n.InReplyToID != nil {
		ids = append(ids, *n.InReplyToID)
	}
	rows, err := s.db.Notes().TimelineNotes(ctx, v, ids...)
	if err != nil {
		return Thread{}, fmt.Errorf("thread of %s: %w", id, err)
	}
	replies, err := s.db.Notes().ThreadReplies(ctx, v, n.ID, store.TimelinePage{Cursor: after, Limit: MaxReplies + 1})
	if err != nil {
		return Thread{}, fmt.Errorf("replies to %s: %w", id, err)
	}
	entries, err := s.entries(ctx, append(rows, replies...))
	if err != nil {
		return Thread{}, err
	}
	var t Thread
	for _, e := range entries[:len(rows)] {
		switch {
		case e.Note.ID == n.ID:
			t.Entry = e
		case e.Note.Deleted == nil:
			t.Parent = &e
		}
	}
	if t.Entry.Note.ID != n.ID {
		return Thread{}, ErrNoSuchNote // deleted or hidden since Get
	}
	t.Replies = entries[len(rows):]
	if len(t.Replies) > MaxReplies {
		t.Replies = t.Replies[:MaxReplies]
		t.Next = t.Replies[MaxReplies-1].Key
	}
	return t, nil
}

// timelineStart reads the viewer and the page asked for; the page's limit
// is one more than the entries shown, to tell whether there is a next one.
func (s *Service) timelineStart(ctx context.Context, viewer *membership.Account, cursor string, limit int) (store.TimelineViewer, store.TimelinePage, error) {
	before, err := ParseCursor(cursor)
	if err != nil {
		return store.TimelineViewer{}, store.TimelinePage{}, err
	}
	if limit <= 0 {
		limit = DefaultTimelineLimit
	}
	limit = min(limit, MaxTimelineLimit)
	v, err := s.timelineViewer(ctx, viewer)
	return v, store.TimelinePage{Cursor: before, Limit: limit + 1}, err
}

// timelineViewer is viewer as the timeline queries know it; a visitor
// when viewer is nil, not active, or has no actor.
func (s *Service) timelineViewer(ctx context.Context, viewer *membership.Account) (store.TimelineViewer, error) {
	if viewer == nil || viewer.Status != membership.AccountActive {
		return store.TimelineViewer{}, nil
	}
	me, follows, err := s.db.Actors().OfAccountFollowing(ctx, viewer.ID)
	if errors.Is(err, store.ErrNotFound) {
		return store.TimelineViewer{}, nil
	}
	if err != nil {
		return store.TimelineViewer{}, err
	}
	return store.TimelineViewer{Actor: me.ID, ActorURI: me.URI, Account: viewer.ID,
		BoardRoles: boardRoles, Status: membership.MemberActive, Follows: follows}, nil
}

// page makes a Page of at most limit of rows; the row after them, if any,
// says there is a next page.
func (s *Service) page(ctx context.Context, rows []store.TimelineRow, limit int) (Page, error) {
	var next string
	if len(rows) > limit {
		rows = rows[:limit]
		next = cursorOf(rows[limit-1].EntryID)
	}
	entries, err := s.entries(ctx, rows)
	if err != nil {
		return Page{}, err
	}
	return Page{Entries: entries, Next: next}, nil
}

// entries makes entries of rows, with the hashtags and mentions of all
// their notes read in one query each.
func (s *Service) entries(ctx context.Context, rows []store.TimelineRow) ([]Entry, error) {
	ids := make([]uuid.UUID, 0, len(rows))
	seen := make(map[uuid.UUID]bool, len(rows))
	for _, r := range rows {
		if !seen[r.ID] {
			seen[r.ID] = true
			ids = append(ids, r.ID)
		}
	}
	tags, err := s.db.Notes().TagsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	mentions, err := s.db.Notes().MentionsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	attachments, err := s.db.Attachments().OfNotes(ctx, ids)
	if err != nil {
		return nil, err
	}
	polls, err := s.db.Polls().OfNotes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(rows))
	for i, r := range rows {
		e := Entry{Key: cursorOf(r.EntryID), Note: s.noteFrom(r.NoteRow, tags[r.ID], mentions[r.ID]),
			AuthorName: displayName(r.AuthorName, r.AuthorLocal), Likes: r.Likes, Boosts: r.Boosts, Liked: r.Liked, Boosted: r.Boosted,
			Replies: r.Replies, ParentAuthor: r.ParentAuthorID, Bookmarked: r.Bookmarked}
		e.Note.Attachments = s.attachmentsFrom(attachments[r.ID])
		if p, ok := polls[r.ID]; ok {
			// Polls are few: a local one's counts are one more query.
			if e.Note.Poll, err = pollFrom(ctx, s.db.Tx, r.Local, p); err != nil {
				return nil, err
			}
		}
		if r.BoosterID != nil {
			b := &Author{ID: *r.BoosterID, URI: r.BoosterURI, Username: r.BoosterUsername, Host: r.BoosterHost,
				URL: r.BoosterURL, Local: r.BoosterLocal}
			if b.Local {
				b.URL = s.policy.BaseURL + "/@" + b.Username
				b.Followers = b.URI + "/followers"
			} else if b.URL == "" {
				b.URL = b.URI
			}
			e.BoostedBy, e.BoosterName = b, displayName(r.BoosterName, b.Local)
		}
		out[i] = e
	}
	return out, nil
}

// displayName is an actor's display name as plain text: a remote server
// may send markup, which is shown as the text it stands for.
func displayName(name string, local bool) string {
	if local || name == "" {
		return name
	}
	return truncate(PlainText(name), 200)
}

// Newest returns the id of the newest timeline entry of anyone (a note or
// a boost; uuid.Nil when there is none). Streams poll it to learn that
// something was posted, in this process or another on the same database,
// before they read any timeline.
func (s *Service) Newest(ctx context.Context) (uuid.UUID, error) {
	id, err := s.db.Notes().NewestEntry(ctx)
	if err != nil {
		return uuid.Nil, fmt.Errorf("newest entry: %w", err)
	}
	return id, nil
}
