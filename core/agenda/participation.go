package agenda

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// States of a participation.
const (
	StateParticipant = "participant"
	StatePending     = "pending"    // the board approves or rejects it
	StateWaitlisted  = "waitlisted" // the event was full; first come, first promoted
	StateRejected    = "rejected"
)

// Participation is an actor's part in an event.
type Participation struct {
	ID      uuid.UUID
	EventID uuid.UUID
	Actor   string // its id on the wire
	Local   bool
	State   string
	Visible bool
	// JoinActivity is the id of the Join a participant elsewhere sent,
	// which the Accept or Reject answers; "" for one here.
	JoinActivity string
	// Name and Handle are what this instance knows of the actor ("" if
	// nothing): its display name and name (local) or name@host.
	Name      string
	Handle    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func participationFrom(r store.ParticipantRow) Participation {
	handle := r.Username
	if !r.Local && r.Username != "" {
		handle = r.Username + "@" + r.Host
	}
	return Participation{ID: r.ID, EventID: r.EventID, Actor: r.Actor, Local: r.Local, State: r.State, Visible: r.Visible,
		JoinActivity: r.JoinActivity, Name: r.DisplayName, Handle: handle, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func withActor(p store.EventParticipant, a store.Actor) Participation {
	return participationFrom(store.ParticipantRow{EventParticipant: p, Username: a.Username, Host: a.Host, DisplayName: a.DisplayName})
}

// count moves the counts row keeps as one participation enters (d = 1) or
// leaves (d = -1) state.
func count(row *store.Event, state string, d int) {
	switch state {
	case StateParticipant:
		row.ParticipantCount += d
	case StatePending:
		row.PendingCount += d
	case StateWaitlisted:
		row.WaitlistCount += d
	}
}

// hasRoom reports whether row has a place left.
func hasRoom(row store.Event) bool { return row.Capacity == 0 || row.ParticipantCount < row.Capacity }

// open refuses a participation in a cancelled event or one that is over.
func (s *Service) open(row store.Event) error {
	if row.Status == StatusCancelled {
		return ErrEventCancelled
	}
	if !s.now().Before(row.EndsAt) {
		return ErrEventOver
	}
	return nil
}

// admit records actor's new participation in the event row (locked): at
// once, pending the board's approval, or on the waiting list when full.
func (s *Service) admit(ctx context.Context, tx store.Tx, row *store.Event, actor store.Actor, visible bool, activity string) (store.EventParticipant, error) {
	if err := s.open(*row); err != nil {
		return store.EventParticipant{}, err
	}
	switch old, err := tx.EventParticipants().Of(ctx, row.ID, actor.URI); {
	case err == nil && old.State == StateRejected:
		return old, ErrParticipationRejected
	case err == nil:
		return old, ErrAlreadyJoined
	case !errors.Is(err, store.ErrNotFound):
		return store.EventParticipant{}, err
	}
	state := StateParticipant
	switch {
	case row.JoinMode == JoinApproval:
		state = StatePending
	case !hasRoom(*row):
		state = StateWaitlisted
	}
	now := s.now()
	p := store.EventParticipant{ID: newID(), EventID: row.ID, Actor: actor.URI, Local: actor.Local, State: state,
		Visible: visible, JoinActivity: activity, CreatedAt: now, UpdatedAt: now}
	if err := tx.EventParticipants().Add(ctx, &p); err != nil {
		return store.EventParticipant{}, err
	}
	count(row, state, 1)
	return p, tx.Events().SetCounts(ctx, row)
}

// move changes participation p of the event row (locked) to state.
func (s *Service) move(ctx context.Context, tx store.Tx, row *store.Event, p *store.EventParticipant, state, by string) error {
	count(row, p.State, -1)
	count(row, state, 1)
	p.State, p.DecidedBy, p.UpdatedAt = state, by, s.now()
	if err := tx.EventParticipants().Update(ctx, p); err != nil {
		return err
	}
	return tx.Events().SetCounts(ctx, row)
}

// fill gives the places free in the event row (locked) to those waiting,
// first come first served, and tells those elsewhere.
func (s *Service) fill(ctx context.Context, tx store.Tx, row *store.Event) error {
	for row.WaitlistCount > 0 && hasRoom(*row) {
		next, err := tx.EventParticipants().FirstInState(ctx, row.ID, StateWaitlisted)
		if err != nil {
			return fmt.Errorf("promote from the waiting list: %w", err)
		}
		if err := s.move(ctx, tx, row, &next, StateParticipant, ""); err != nil {
			return err
		}
		if err := s.answer(ctx, tx, *row, next, "Accept", ""); err != nil {
			return err
		}
	}
	return nil
}

// withdraw ends participation p in the event row (locked) and gives a
// place it frees to the first waiting.
func (s *Service) withdraw(ctx context.Context, tx store.Tx, row *store.Event, p store.EventParticipant) error {
	if err := tx.EventParticipants().Delete(ctx, p.ID); err != nil {
		return err
	}
	count(row, p.State, -1)
	if err := tx.Events().SetCounts(ctx, row); err != nil {
		return err
	}
	return s.fill(ctx, tx, row)
}

// Participate makes by's actor take part in event id, shown by name on
// the list of participants if visible: at once when the event joins freely
// and has room, on the waiting list when it is full, pending the board's
// approval when it asks for it. A cancelled event, one that is over, a
// second participation and one the board declined are refused.
func (s *Service) Participate(ctx context.Context, by membership.Account, id uuid.UUID, visible bool) (Participation, error) {
	var out Participation
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		row, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.refuseBlocked(ctx, tx, row, actor.URI); err != nil {
			return err
		}
		p, err := s.admit(ctx, tx, &row, actor, visible, "")
		if err != nil {
			return err
		}
		out = withActor(p, actor)
		return nil
	})
	if err != nil {
		return Participation{}, fmt.Errorf("participate in event %s: %w", id, err)
	}
	return out, nil
}

// Leave ends by's participation in event id (or withdraws its request, or
// its place on the waiting list); a place it frees goes to the first
// waiting.
func (s *Service) Leave(ctx context.Context, by membership.Account, id uuid.UUID) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		row, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		p, err := participationOf(ctx, tx, row.ID, actor.URI)
		if err != nil {
			return err
		}
		return s.withdraw(ctx, tx, &row, p)
	})
	if err != nil {
		return fmt.Errorf("leave event %s: %w", id, err)
	}
	return nil
}

// participationOf returns actor's participation in event, a declined one
// counting as none.
func participationOf(ctx context.Context, tx store.Tx, event uuid.UUID, actor string) (store.EventParticipant, error) {
	p, err := tx.EventParticipants().Of(ctx, event, actor)
	if errors.Is(err, store.ErrNotFound) || (err == nil && p.State == StateRejected) {
		return store.EventParticipant{}, ErrNoSuchParticipant
	}
	return p, err
}

// refuseBlocked refuses actor when a block stands between it and the
// event's association.
func (s *Service) refuseBlocked(ctx context.Context, tx store.Tx, row store.Event, actor string) error {
	group, err := tx.Actors().OfAssociation(ctx, row.AssociationID)
	if err != nil {
		return err
	}
	return membership.RefuseBlocked(ctx, tx, group, actor)
}

// Approve admits the pending (or earlier declined) participation of the
// actor named handle (a local name, or name@host) in event id, as the
// board: a participant when there is room, else first on the waiting list
// after those already on it.
func (s *Service) Approve(ctx context.Context, by membership.Account, id uuid.UUID, handle string) (Participation, error) {
	return s.decide(ctx, by, id, handle, "event.approve", func(tx store.Tx, row *store.Event, p *store.EventParticipant, actor string) error {
		if p.State != StatePending && p.State != StateRejected {
			return ErrNotPending
		}
		if err := s.open(*row); err != nil {
			return err
		}
		if !hasRoom(*row) || row.WaitlistCount > 0 {
			return s.move(ctx, tx, row, p, StateWaitlisted, actor)
		}
		if err := s.move(ctx, tx, row, p, StateParticipant, actor); err != nil {
			return err
		}
		return s.answer(ctx, tx, *row, *p, "Accept", "")
	})
}

// Reject declines the participation of the actor named handle in event id,
// as the board, whatever its state; a place it frees goes to the first
// waiting. The actor may not join again unless the board approves it.
func (s *Service) Reject(ctx context.Context, by membership.Account, id uuid.UUID, handle string) (Participation, error) {
	return s.decide(ctx, by, id, handle, "event.reject", func(tx store.Tx, row *store.Event, p *store.EventParticipant, actor string) error {
		if p.State == StateRejected {
			return nil
		}
		if err := s.move(ctx, tx, row, p, StateRejected, actor); err != nil {
			return err
		}
		if err := s.answer(ctx, tx, *row, *p, "Reject", "the organisers declined the participation"); err != nil {
			return err
		}
		return s.fill(ctx, tx, row)
	})
}

// decide runs a board's decision on a participation, and records it.
func (s *Service) decide(ctx context.Context, by membership.Account, id uuid.UUID, handle, action string,
	change func(tx store.Tx, row *store.Event, p *store.EventParticipant, actor string) error) (Participation, error) {
	var out Participation
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := requireBoard(ctx, tx, row.AssociationID, by); err != nil {
			return err
		}
		me, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		who, err := actorByHandle(ctx, tx, handle)
		if err != nil {
			return err
		}
		p, err := tx.EventParticipants().Of(ctx, row.ID, who.URI)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoSuchParticipant
		}
		if err != nil {
			return err
		}
		if err := change(tx, &row, &p, me.URI); err != nil {
			return err
		}
		out = withActor(p, who)
		return audit.Record(ctx, tx, audit.Entry{Association: &row.AssociationID, Account: &by.ID, AccountName: by.Username,
			Action: action, Target: out.Handle, Detail: map[string]any{"event": row.ID.String(), "name": row.Name, "state": p.State},
			At: s.now()})
	})
	if err != nil {
		return Participation{}, fmt.Errorf("%s %s in event %s: %w", action, handle, id, err)
	}
	return out, nil
}

// actorByHandle finds the actor named handle: a local name, or name@host
// of an actor elsewhere.
func actorByHandle(ctx context.Context, tx store.Tx, handle string) (store.Actor, error) {
	handle = strings.TrimPrefix(strings.TrimSpace(handle), "@")
	if handle == "" || len(handle) > 500 {
		return store.Actor{}, ErrNoSuchParticipant
	}
	var (
		a   store.Actor
		err error
	)
	if name, host, remote := strings.Cut(handle, "@"); remote {
		a, err = tx.Actors().ByHandle(ctx, name, strings.ToLower(host))
	} else {
		a, err = tx.Actors().Local(ctx, strings.ToLower(handle))
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.Actor{}, ErrNoSuchParticipant
	}
	return a, err
}

// ParticipantList is a page of an event's participations in one state,
// with the event's counts.
type ParticipantList struct {
	Event        Event
	Participants []Participation
	// Next is the cursor of the next page; "" at the end.
	Next string
}

// MaxPage bounds a page of participants or events.
const MaxPage = 100

// Participants lists event id's participations in state (participant when
// ""), in the order they came. Everyone sees the counts and the
// participants who chose to be shown; the board sees every participant,
// and only the board sees the other states, on which it decides.
func (s *Service) Participants(ctx context.Context, viewer *membership.Account, id uuid.UUID, state, cursor string, limit int) (ParticipantList, error) {
	if state == "" {
		state = StateParticipant
	}
	switch state {
	case StateParticipant, StatePending, StateWaitlisted, StateRejected:
	default:
		return ParticipantList{}, core.Invalid(core.FieldError{Field: "state", Code: "invalid-choice",
			Detail: "must be participant, pending, waitlisted or rejected"})
	}
	after, err := parseIDCursor(cursor)
	if err != nil {
		return ParticipantList{}, err
	}
	limit = min(max(limit, 1), MaxPage)
	row, err := s.db.Events().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ParticipantList{}, ErrNoSuchEvent
	}
	if err != nil {
		return ParticipantList{}, err
	}
	board := false
	if viewer != nil {
		if board, err = isBoard(ctx, s.db.Tx, row.AssociationID, *viewer); err != nil {
			return ParticipantList{}, err
		}
	}
	if state != StateParticipant && !board {
		return ParticipantList{}, ErrBoardOnly
	}
	e, err := load(ctx, s.db.Tx, row)
	if err != nil {
		return ParticipantList{}, err
	}
	rows, err := s.db.EventParticipants().List(ctx, store.ParticipantQuery{Event: id, State: state, VisibleOnly: !board,
		After: after, Limit: limit + 1})
	if err != nil {
		return ParticipantList{}, fmt.Errorf("participants of event %s: %w", id, err)
	}
	out := ParticipantList{Event: e, Participants: []Participation{}}
	if len(rows) > limit {
		rows = rows[:limit]
		out.Next = rows[limit-1].ID.String()
	}
	for _, r := range rows {
		out.Participants = append(out.Participants, participationFrom(r))
	}
	return out, nil
}

// Participation returns by's participation in event id, if any.
func (s *Service) Participation(ctx context.Context, by membership.Account, id uuid.UUID) (Participation, error) {
	actor, err := actorOf(ctx, s.db.Tx, by)
	if err != nil {
		return Participation{}, err
	}
	p, err := s.db.EventParticipants().Of(ctx, id, actor.URI)
	if errors.Is(err, store.ErrNotFound) {
		return Participation{}, ErrNoSuchParticipant
	}
	if err != nil {
		return Participation{}, err
	}
	return withActor(p, actor), nil
}

func parseIDCursor(c string) (uuid.UUID, error) {
	if c == "" {
		return uuid.Nil, nil
	}
	id, err := uuid.Parse(c)
	if err != nil {
		return uuid.Nil, ErrBadCursor
	}
	return id, nil
}
