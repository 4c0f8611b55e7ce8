package news

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// MaxDescendants bounds the replies Context returns under a note.
const MaxDescendants = 200

// maxEntries bounds the notes Entries reads at once.
const maxEntries = 100

// EntryID is the id an entry's Key stands for: the note's, the boost's,
// or the like's or bookmark's in those lists.
func (e Entry) EntryID() uuid.UUID {
	id, _ := ParseCursor(e.Key)
	return id
}

// Entries returns, in the order of ids, the live notes among ids that
// viewer may read, as timelines show them (counts, viewer's reactions);
// the others are left out. At most maxEntries ids are read: a page of
// statuses, or the notes of a page of notifications.
func (s *Service) Entries(ctx context.Context, viewer *membership.Account, ids []uuid.UUID) ([]Entry, error) {
	ids = slices.Compact(ids[:min(len(ids), maxEntries)])
	v, err := s.timelineViewer(ctx, viewer)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Notes().TimelineNotes(ctx, v, ids...)
	if err != nil {
		return nil, fmt.Errorf("notes %v: %w", ids, err)
	}
	byID := make(map[uuid.UUID]store.TimelineRow, len(rows))
	for _, r := range rows {
		if r.DeletedAt == nil {
			byID[r.ID] = r
		}
	}
	ordered := make([]store.TimelineRow, 0, len(byID))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			ordered = append(ordered, r)
			delete(byID, id)
		}
	}
	return s.entries(ctx, ordered)
}

// Entry returns the note id as viewer may read it, as timelines show it;
// ErrNoSuchNote when it does not exist, is deleted or viewer may not read
// it.
func (s *Service) Entry(ctx context.Context, viewer *membership.Account, id uuid.UUID) (Entry, error) {
	es, err := s.Entries(ctx, viewer, []uuid.UUID{id})
	if err != nil {
		return Entry{}, err
	}
	if len(es) == 0 {
		return Entry{}, ErrNoSuchNote
	}
	return es[0], nil
}

// BoostEntry returns by's boost of the note id as its timeline shows it
// (ErrNoSuchNote when by has not boosted it).
func (s *Service) BoostEntry(ctx context.Context, by membership.Account, id uuid.UUID) (Entry, error) {
	v, err := s.timelineViewer(ctx, &by)
	if err != nil {
		return Entry{}, err
	}
	if v.Actor == uuid.Nil {
		return Entry{}, ErrNoSuchActor
	}
	row, err := s.db.Notes().BoostEntry(ctx, v, v.Actor, id)
	if errors.Is(err, store.ErrNotFound) {
		return Entry{}, ErrNoSuchNote
	}
	if err != nil {
		return Entry{}, fmt.Errorf("boost of %s: %w", id, err)
	}
	es, err := s.entries(ctx, []store.TimelineRow{row})
	if err != nil {
		return Entry{}, err
	}
	return es[0], nil
}

// Context returns the notes the note id replies to, up its thread, oldest
// first, and the replies under it, each reply after its parent (depth
// first, in time order among siblings), as viewer may read them; at most
// store.MaxThreadDepth levels each way, MaxDescendants replies.
// ErrNoSuchNote when viewer may not read id.
func (s *Service) Context(ctx context.Context, viewer *membership.Account, id uuid.UUID) (ancestors, descendants []Entry, err error) {
	if _, err := s.Get(ctx, viewer, id); err != nil {
		return nil, nil, err
	}
	v, err := s.timelineViewer(ctx, viewer)
	if err != nil {
		return nil, nil, err
	}
	up, err := s.db.Notes().Ancestors(ctx, v, id)
	if err != nil {
		return nil, nil, fmt.Errorf("ancestors of %s: %w", id, err)
	}
	down, err := s.db.Notes().Descendants(ctx, v, id, MaxDescendants)
	if err != nil {
		return nil, nil, fmt.Errorf("descendants of %s: %w", id, err)
	}
	entries, err := s.entries(ctx, append(up, down...))
	if err != nil {
		return nil, nil, err
	}
	return chain(entries[:len(up)]), depthFirst(id, entries[len(up):]), nil
}

// chain orders the ancestors of a note from the thread's top down: the
// one no other replies to first… Their ids need not be in that order (a
// reply may arrive before its parent).
func chain(es []Entry) []Entry {
	parentOf := make(map[uuid.UUID]bool, len(es))
	for _, e := range es {
		if e.Note.InReplyToID != nil {
			parentOf[*e.Note.InReplyToID] = true
		}
	}
	// The note nearest the one asked about is the one no ancestor replies
	// to; walk up from it.
	byID := make(map[uuid.UUID]Entry, len(es))
	var cur *Entry
	for i, e := range es {
		byID[e.Note.ID] = e
		if !parentOf[e.Note.ID] {
			cur = &es[i]
		}
	}
	out := make([]Entry, 0, len(es))
	for cur != nil && len(out) < len(es) {
		out = append(out, *cur)
		next, ok := Entry{}, false
		if cur.Note.InReplyToID != nil {
			next, ok = byID[*cur.Note.InReplyToID]
		}
		if !ok {
			break
		}
		cur = &next
	}
	slices.Reverse(out)
	return out
}

// depthFirst orders the replies under root as a thread reads: each reply
// right after its parent, siblings in time order. A reply whose parent
// viewer may not read comes after the rest, in time order.
func depthFirst(root uuid.UUID, es []Entry) []Entry {
	children := make(map[uuid.UUID][]Entry, len(es))
	for _, e := range es {
		if e.Note.InReplyToID != nil {
			children[*e.Note.InReplyToID] = append(children[*e.Note.InReplyToID], e)
		}
	}
	out := make([]Entry, 0, len(es))
	placed := make(map[uuid.UUID]bool, len(es))
	var walk func(id uuid.UUID)
	walk = func(id uuid.UUID) {
		for _, c := range children[id] {
			if !placed[c.Note.ID] {
				placed[c.Note.ID] = true
				out = append(out, c)
				walk(c.Note.ID)
			}
		}
	}
	walk(root)
	for _, e := range es {
		if !placed[e.Note.ID] {
			placed[e.Note.ID] = true
			out = append(out, e)
			walk(e.Note.ID)
		}
	}
	return out
}

// Reactor is who liked or boosted a note, and the reaction's id, by which
// the list pages.
type Reactor struct {
	ID       uuid.UUID
	ActorURI string
}

// Reactors lists at most limit (MaxTimelineLimit at most) of those who
// reacted so to the note id, most recent first, before the reaction
// before (uuid.Nil: from the newest); ErrNoSuchNote when viewer may not
// read the note.
func (s *Service) Reactors(ctx context.Context, viewer *membership.Account, id uuid.UUID, r Reaction, before uuid.UUID, limit int) ([]Reactor, error) {
	if _, err := s.Get(ctx, viewer, id); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = DefaultTimelineLimit
	}
	rows, err := r.repo(s.db.Tx).Reactors(ctx, id, before, min(limit, MaxTimelineLimit))
	if err != nil {
		return nil, fmt.Errorf("who did %s %s: %w", r, id, err)
	}
	out := make([]Reactor, len(rows))
	for i, row := range rows {
		out[i] = Reactor{ID: row.ID, ActorURI: row.ActorURI}
	}
	return out, nil
}
