package news

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// PostInput is what an author writes.
type PostInput struct {
	// Author is the local actor to post as: empty or the account's own
	// name, or an association whose board the account is on.
	Author  string
	Content string // Markdown
	// InReplyTo is the parent: its local id or its id on the wire; or the
	// id of a proposal here, which the reply debates (debate.go).
	InReplyTo  string
	Visibility string // Public when empty
	Sensitive  bool
	Summary    string // a content warning, plain text; makes the note sensitive
	// Poll, when given, makes the note a poll (poll.go): published as a
	// Question.
	Poll *PollInput
	// MediaIDs are the account's uploads (Upload) the note carries, in
	// order: at most MaxAttachments, none carried by another note. With
	// them, the text may be empty.
	MediaIDs []uuid.UUID
}

// Change is an edit of a local note; nil fields stay as they are.
type Change struct {
	Content   *string
	Summary   *string
	Sensitive *bool
}

// Post publishes a local note: the Markdown is rendered, mentions of
// actors known here and hashtags become links, the HTML is sanitised, and
// a Create is published to the author's followers (unless the note is
// direct) and to the mentioned remote actors, in the same transaction.
// A reply mentions the parent's author. The associations the note is
// addressed to announce it when its author is one of their members
// (relay.go).
func (s *Service) Post(ctx context.Context, by membership.Account, in PostInput) (Note, error) {
	var fe []core.FieldError
	content, e := checkText("content", in.Content, MaxSourceLength, len(in.MediaIDs) == 0)
	fe = appendField(fe, e)
	summary, e := checkText("summary", in.Summary, MaxSummaryLength, false)
	fe = appendField(fe, e)
	fe = appendField(fe, checkMediaIDs(in.MediaIDs))
	visibility := in.Visibility
	if visibility == "" {
		visibility = Public
	}
	if !ValidVisibility(visibility) {
		fe = append(fe, core.FieldError{Field: "visibility", Code: "unknown-visibility", Detail: "must be public, unlisted, followers or direct"})
	}
	if in.Poll != nil {
		fe = append(fe, checkPoll(in.Poll)...)
	}
	if len(fe) > 0 {
		return Note{}, core.Invalid(fe...)
	}
	d := parseDraft(content, s.policy.BaseURL)
	var out Note
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		author, err := s.postingActor(ctx, tx, by, in.Author)
		if err != nil {
			return err
		}
		var parent *store.NoteRow
		var addressee, topic string // whom a reply answers; the proposal it debates
		if ref := strings.TrimSpace(in.InReplyTo); ref != "" {
			group, err := s.topicOwner(ctx, tx, ref)
			switch {
			case err == nil:
				addressee, topic = group.URI, ref
			case !errors.Is(err, store.ErrNotFound):
				return err
			default:
				p, err := s.parent(ctx, tx, by, ref)
				if err != nil {
					return err
				}
				parent, addressee = &p, p.AuthorURI
			}
			if err := membership.RefuseBlocked(ctx, tx, author, addressee); err != nil {
				return err
			}
		}
		mentions, targets, err := s.resolveMentions(ctx, tx, d, author, addressee)
		if err != nil {
			return err
		}
		html, err := d.render()
		if err != nil {
			return fmt.Errorf("render note: %w", err)
		}
		now := s.now()
		id := newID()
		uri := s.policy.BaseURL + "/notes/" + id.String()
		row := store.Note{ID: id, URI: uri, AuthorID: author.ID, Local: true, Content: html, Source: content,
			Summary: summary, Sensitive: in.Sensitive || summary != "", Visibility: visibility, URL: uri,
			PublishedAt: now, CreatedAt: now}
		if parent != nil {
			row.InReplyTo, row.InReplyToID = parent.URI, &parent.ID
		} else if topic != "" {
			row.InReplyTo = topic
		}
		if err := tx.Notes().Create(ctx, &row, d.tags, storeMentions(mentions)); err != nil {
			return err
		}
		if err := attach(ctx, tx, id, by, in.MediaIDs); err != nil {
			return err
		}
		if err := s.notifyMentions(ctx, tx, row.ID, author, mentions); err != nil {
			return err
		}
		out = s.noteFrom(withAuthor(row, author), d.tags, storeMentions(mentions))
		if in.Poll != nil {
			poll, err := newPoll(id, *in.Poll, now)
			if err != nil {
				return err
			}
			if err := tx.Polls().Create(ctx, &poll); err != nil {
				return err
			}
			if out.Poll, err = pollFrom(ctx, tx, true, poll); err != nil {
				return err
			}
			tx.AfterCommit(s.pollEnds.Ring)
		}
		if out.Attachments, err = s.attachmentsOf(ctx, tx, id); err != nil {
			return err
		}
		inboxes, err := s.inboxes(ctx, tx, out, targets)
		if err != nil {
			return err
		}
		relays, err := s.relaysOfPost(ctx, tx, out, author)
		if err != nil {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: "Create", Note: out, Inboxes: inboxes, Relays: relays})
	})
	if err != nil {
		return Note{}, fmt.Errorf("post as %s: %w", by.Username, err)
	}
	return out, nil
}

// Update edits a local note; only its author may (for an association's
// note, its board). The Update is published to the same audience, and to
// the actors the new text mentions.
func (s *Service) Update(ctx context.Context, by membership.Account, id uuid.UUID, ch Change) (Note, error) {
	var fe []core.FieldError
	var content, summary string
	var e *core.FieldError
	if ch.Content != nil {
		content, e = checkText("content", *ch.Content, MaxSourceLength, true)
		fe = appendField(fe, e)
	}
	if ch.Summary != nil {
		summary, e = checkText("summary", *ch.Summary, MaxSummaryLength, false)
		fe = appendField(fe, e)
	}
	if len(fe) > 0 {
		return Note{}, core.Invalid(fe...)
	}
	var out Note
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		old, author, err := s.ownNote(ctx, tx, by, id)
		if err != nil {
			return err
		}
		before, err := s.load(ctx, tx, old)
		if err != nil {
			return err
		}
		// Actors mentioned before the edit hear of it too.
		formerly, err := mentionedActors(ctx, tx, before.MentionURIs())
		if err != nil {
			return err
		}
		row := old.Note
		if ch.Content != nil {
			row.Source = content
		}
		if ch.Summary != nil {
			row.Summary = summary
		}
		if ch.Sensitive != nil {
			row.Sensitive = *ch.Sensitive
		}
		row.Sensitive = row.Sensitive || row.Summary != ""
		addressee := ""
		if row.InReplyToID != nil {
			if p, err := tx.Notes().ByID(ctx, *row.InReplyToID); err == nil {
				addressee = p.AuthorURI
			}
		} else if group, err := s.topicOwner(ctx, tx, row.InReplyTo); err == nil {
			addressee = group.URI
		}
		d := parseDraft(row.Source, s.policy.BaseURL)
		mentions, targets, err := s.resolveMentions(ctx, tx, d, author, addressee)
		if err != nil {
			return err
		}
		if row.Content, err = d.render(); err != nil {
			return fmt.Errorf("render note: %w", err)
		}
		now := s.now()
		row.UpdatedAt = &now
		if err := tx.Notes().Revise(ctx, &row, d.tags, storeMentions(mentions)); err != nil {
			return err
		}
		if err := s.notifyMentions(ctx, tx, row.ID, author, mentions); err != nil {
			return err
		}
		if err := s.notifyUpdate(ctx, tx, row.ID, author); err != nil {
			return err
		}
		out = s.noteFrom(withAuthor(row, author), d.tags, storeMentions(mentions))
		if out.Poll, err = pollOf(ctx, tx, withAuthor(row, author)); err != nil { // an edit keeps the poll: the Update carries it
			return err
		}
		out.Attachments = before.Attachments
		inboxes, err := s.inboxes(ctx, tx, out, append(targets, formerly...))
		if err != nil {
			return err
		}
		relays, err := s.relaysOfChange(ctx, tx, out, author, "Update")
		if err != nil {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: "Update", Note: out, Inboxes: inboxes, Relays: relays})
	})
	if err != nil {
		return Note{}, fmt.Errorf("update note %s: %w", id, err)
	}
	return out, nil
}

// Delete deletes a local note; only its author may (for an association's
// note, its board). It stays as a tombstone, and a Delete is published to
// the audience the note had.
func (s *Service) Delete(ctx context.Context, by membership.Account, id uuid.UUID) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, author, err := s.ownNote(ctx, tx, by, id)
		if err != nil {
			return err
		}
		n, err := s.load(ctx, tx, row)
		if err != nil {
			return err
		}
		targets, err := mentionedActors(ctx, tx, n.MentionURIs())
		if err != nil {
			return err
		}
		inboxes, err := s.inboxes(ctx, tx, n, targets)
		if err != nil {
			return err
		}
		now := s.now()
		if err := tx.Notes().Tombstone(ctx, id, now); err != nil {
			return err
		}
		if err := tx.Attachments().DropOfNote(ctx, id); err != nil {
			return err
		}
		n.Deleted = &now
		relays, err := s.relaysOfChange(ctx, tx, n, author, "Delete")
		if err != nil {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: "Delete", Note: n, Inboxes: inboxes, Relays: relays})
	})
	if err != nil {
		return fmt.Errorf("delete note %s: %w", id, err)
	}
	return nil
}

// ownNote returns the live local note id and its author, when by may
// change it; ErrNoSuchNote when by may not even read it.
func (s *Service) ownNote(ctx context.Context, tx store.Tx, by membership.Account, id uuid.UUID) (store.NoteRow, store.Actor, error) {
	row, err := tx.Notes().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.NoteRow{}, store.Actor{}, ErrNoSuchNote
	}
	if err != nil {
		return store.NoteRow{}, store.Actor{}, err
	}
	author, err := tx.Actors().ByURI(ctx, row.AuthorURI)
	if err != nil {
		return store.NoteRow{}, store.Actor{}, err
	}
	if ok, err := mayActAs(ctx, tx, by, author); err != nil {
		return store.NoteRow{}, store.Actor{}, err
	} else if ok && row.DeletedAt != nil {
		return store.NoteRow{}, store.Actor{}, ErrNoteDeleted
	} else if ok {
		return row, author, nil
	}
	n, err := s.load(ctx, tx, row)
	if err != nil {
		return store.NoteRow{}, store.Actor{}, err
	}
	if ok, err := s.mayRead(ctx, tx, &by, n); err != nil {
		return store.NoteRow{}, store.Actor{}, err
	} else if !ok || n.Deleted != nil {
		return store.NoteRow{}, store.Actor{}, ErrNoSuchNote
	}
	return store.NoteRow{}, store.Actor{}, ErrNotAuthor
}

// postingActor is the local actor by posts as: its own, or the
// association named name when by is on its board.
func (s *Service) postingActor(ctx context.Context, tx store.Tx, by membership.Account, name string) (store.Actor, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" || name == by.Username {
		a, err := tx.Actors().OfAccount(ctx, by.ID)
		if errors.Is(err, store.ErrNotFound) {
			return store.Actor{}, ErrMayNotPost
		}
		return a, err
	}
	a, err := tx.Actors().Local(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return store.Actor{}, ErrMayNotPost
	}
	if err != nil {
		return store.Actor{}, err
	}
	if ok, err := mayActAs(ctx, tx, by, a); err != nil || !ok {
		return store.Actor{}, errors.Join(err, ErrMayNotPost)
	}
	return a, nil
}

// parent finds the note a reply answers, by local id or id on the wire,
// among those by may read.
func (s *Service) parent(ctx context.Context, tx store.Tx, by membership.Account, ref string) (store.NoteRow, error) {
	unknown := core.Invalid(core.FieldError{Field: "in_reply_to", Code: "unknown-note",
		Detail: "no such note here: give the id of a note, or resolve a remote one first"})
	var row store.NoteRow
	var err error
	if id, perr := uuid.Parse(ref); perr == nil {
		row, err = tx.Notes().ByID(ctx, id)
	} else {
		row, err = tx.Notes().ByURI(ctx, ref)
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.NoteRow{}, unknown
	}
	if err != nil {
		return store.NoteRow{}, err
	}
	n, err := s.load(ctx, tx, row)
	if err != nil {
		return store.NoteRow{}, err
	}
	if ok, err := s.mayRead(ctx, tx, &by, n); err != nil {
		return store.NoteRow{}, err
	} else if !ok || n.Deleted != nil {
		return store.NoteRow{}, unknown
	}
	return row, nil
}

// resolveMentions links the draft's mentions of actors known here and
// returns them, with the remote actors to deliver to. The addressee of a
// reply (the parent's author, or the association whose proposal it
// debates) is mentioned even when the text does not name them.
func (s *Service) resolveMentions(ctx context.Context, tx store.Tx, d *draft, author store.Actor, addressee string) ([]Mention, []store.Actor, error) {
	var mentions []Mention
	var targets []store.Actor
	seen := map[string]bool{}
	add := func(a store.Actor) {
		if seen[a.URI] {
			return
		}
		seen[a.URI] = true
		mentions = append(mentions, Mention{Href: a.URI, Name: "@" + a.Username + "@" + a.Host})
		if !a.Local {
			targets = append(targets, a)
		}
	}
	cache := map[string]*store.Actor{}
	for _, m := range d.mentions {
		key := strings.ToLower(m.Username) + "@" + m.Host
		a, ok := cache[key]
		if !ok {
			if len(cache) >= MaxMentions {
				continue
			}
			found, err := s.mentioned(ctx, tx, m.Username, m.Host)
			if err != nil {
				return nil, nil, err
			}
			cache[key], a = found, found
		}
		if a == nil {
			continue
		}
		m.Href, m.Username = a.URI, a.Username // shown as the actor spells its name
		switch {
		case a.Local:
			m.Profile = s.policy.BaseURL + "/@" + a.Username
		case a.URL != "":
			m.Profile = a.URL
		default:
			m.Profile = a.URI
		}
		add(*a)
	}
	if addressee != "" && addressee != author.URI {
		pa, err := tx.Actors().ByURI(ctx, addressee)
		if err != nil {
			return nil, nil, err
		}
		add(pa)
	}
	return mentions, targets, nil
}

// mentioned finds the actor "@username@host" names: a local one when host
// is empty or this instance's, otherwise a remote one already known here
// (a mention never fetches). nil when there is none.
func (s *Service) mentioned(ctx context.Context, tx store.Tx, username, host string) (*store.Actor, error) {
	var a store.Actor
	var err error
	if host == "" || strings.EqualFold(host, s.policy.Host) {
		a, err = tx.Actors().Local(ctx, strings.ToLower(username))
		if err == nil && a.Kind == membership.ActorApplication {
			return nil, nil
		}
	} else {
		a, err = tx.Notes().MentionedActor(ctx, username, host)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// mentionedActors returns the actors known here among uris.
func mentionedActors(ctx context.Context, tx store.Tx, uris []string) ([]store.Actor, error) {
	var out []store.Actor
	for _, u := range uris {
		a, err := tx.Actors().ByURI(ctx, u)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// inboxes are where an activity about the local note n goes: the
// followers' inboxes (shared where their servers have one) unless n is
// direct, and the remote targets', but none of those a block stands
// between with the author (store.Blocks.Apart).
func (s *Service) inboxes(ctx context.Context, tx store.Tx, n Note, targets []store.Actor) ([]string, error) {
	apart, err := tx.Blocks().Apart(ctx, n.Author.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	if n.Visibility != Direct {
		followers, err := tx.Follows().FollowerInboxes(ctx, n.Author.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, followers...)
	}
	for _, a := range targets {
		switch {
		case a.Local || a.DeletedAt != nil || apart[a.URI]:
		case a.SharedInbox != "":
			out = append(out, a.SharedInbox)
		case a.Inbox != "":
			out = append(out, a.Inbox)
		}
	}
	return out, nil
}

// withAuthor puts a note's row together with its author's, as reads
// return it.
func withAuthor(n store.Note, a store.Actor) store.NoteRow {
	return store.NoteRow{Note: n, AuthorURI: a.URI, AuthorUsername: a.Username, AuthorHost: a.Host,
		AuthorURL: a.URL, AuthorFollowers: a.Followers, AuthorLocal: a.Local}
}

// checkText trims s and checks it is valid UTF-8 of at most max characters
// (and at least one when required).
func checkText(field, s string, max int, required bool) (string, *core.FieldError) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\x00", ""))
	switch {
	case !utf8.ValidString(s):
		return "", &core.FieldError{Field: field, Code: "bad-encoding", Detail: "must be valid UTF-8 text"}
	case required && s == "":
		return "", &core.FieldError{Field: field, Code: "required", Detail: "this field is required"}
	case utf8.RuneCountInString(s) > max:
		return "", &core.FieldError{Field: field, Code: "too-long", Detail: fmt.Sprintf("at most %d characters", max)}
	}
	return s, nil
}

func appendField(list []core.FieldError, e *core.FieldError) []core.FieldError {
	if e != nil {
		list = append(list, *e)
	}
	return list
}
