package agenda

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Create adds an event to association's agenda, as its board. The event
// joins freely, is confirmed and has no capacity unless in says otherwise;
// its organiser is the association unless in names the board member
// creating it (ByMe).
func (s *Service) Create(ctx context.Context, by membership.Account, association string, in EventInput) (Event, error) {
	var out Event
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		a, err := associationByName(ctx, tx, association)
		if err != nil {
			return err
		}
		if err := requireBoard(ctx, tx, a.ID, by); err != nil {
			return err
		}
		me, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		group, err := tx.Actors().OfAssociation(ctx, a.ID)
		if err != nil {
			return err
		}
		now := s.now()
		id := newID()
		e := Event{ID: id, AssociationID: a.ID, Association: a.Name, URI: s.eventURI(id), Organiser: group.URI,
			JoinMode: JoinFree, Status: StatusConfirmed, Category: DefaultCategory, Tags: []string{},
			CreatedBy: me.URI, CreatedAt: now, UpdatedAt: now}
		var fe core.FieldErrors
		for field, v := range map[string]*string{"name": in.Name, "start": in.Start, "end": in.End, "timezone": in.Timezone} {
			if v == nil {
				fe.Add(field, "required", "this field is required")
			}
		}
		if in.Organiser != nil {
			switch strings.TrimSpace(*in.Organiser) {
			case ByAssociation, "":
			case ByMe:
				e.Organiser = me.URI
			default:
				fe.Add("organiser", "invalid-choice", "must be association or me")
			}
		}
		in.apply(&e, &fe)
		e.checkWhole(&fe)
		if err := fe.Err(); err != nil {
			return err
		}
		var row store.Event
		e.row(&row)
		if err := tx.Events().Create(ctx, &row); err != nil {
			return err
		}
		if err := tx.Events().SetTags(ctx, id, e.Tags); err != nil {
			return err
		}
		if err := s.record(ctx, tx, by, "event.create", e, nil); err != nil {
			return err
		}
		out = e
		return s.publish(ctx, tx, Publication{Type: "Create", Event: e})
	})
	if err != nil {
		return Event{}, fmt.Errorf("create event of %s: %w", association, err)
	}
	return out, nil
}

// Update changes event id, as its association's board; every change raises
// its sequence number. A cancelled event cannot change; the capacity
// cannot go below the participants the event already has, and places it
// adds go to those waiting.
func (s *Service) Update(ctx context.Context, by membership.Account, id uuid.UUID, in EventInput) (Event, error) {
	var out Event
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := requireBoard(ctx, tx, row.AssociationID, by); err != nil {
			return err
		}
		if row.Status == StatusCancelled {
			return ErrEventCancelled
		}
		e, err := load(ctx, tx, row)
		if err != nil {
			return err
		}
		var fe core.FieldErrors
		if in.Organiser != nil {
			fe.Add("organiser", "fixed-organiser", "the organiser is chosen when the event is created")
		}
		in.apply(&e, &fe)
		e.checkWhole(&fe)
		if e.Capacity > 0 && e.Capacity < row.ParticipantCount {
			fe.Add("capacity", "below-participants", "must be at least "+strconv.Itoa(row.ParticipantCount)+
				", the number of participants the event already has")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		e.Sequence++
		e.UpdatedAt = s.now()
		e.row(&row)
		if err := tx.Events().Update(ctx, &row); err != nil {
			return err
		}
		if in.Tags != nil {
			if err := tx.Events().SetTags(ctx, id, e.Tags); err != nil {
				return err
			}
		}
		if err := s.fill(ctx, tx, &row); err != nil {
			return err
		}
		if out, err = load(ctx, tx, row); err != nil {
			return err
		}
		if err := s.record(ctx, tx, by, "event.update", out, map[string]any{"fields": in.fields()}); err != nil {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: "Update", Event: out})
	})
	if err != nil {
		return Event{}, fmt.Errorf("update event %s: %w", id, err)
	}
	return out, nil
}

// Cancel cancels event id, as its association's board. The event stays,
// with its participants, its status cancelled: nobody may join it any
// more.
func (s *Service) Cancel(ctx context.Context, by membership.Account, id uuid.UUID) (Event, error) {
	var out Event
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := requireBoard(ctx, tx, row.AssociationID, by); err != nil {
			return err
		}
		if row.Status == StatusCancelled {
			return ErrEventCancelled
		}
		row.Status, row.Sequence, row.UpdatedAt = StatusCancelled, row.Sequence+1, s.now()
		if err := tx.Events().Update(ctx, &row); err != nil {
			return err
		}
		if out, err = load(ctx, tx, row); err != nil {
			return err
		}
		if err := s.record(ctx, tx, by, "event.cancel", out, nil); err != nil {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: "Update", Event: out})
	})
	if err != nil {
		return Event{}, fmt.Errorf("cancel event %s: %w", id, err)
	}
	return out, nil
}

// record writes a board's action on event e to the audit log.
func (s *Service) record(ctx context.Context, tx store.Tx, by membership.Account, action string, e Event, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	detail["name"] = e.Name
	return audit.Record(ctx, tx, audit.Entry{Association: &e.AssociationID, Account: &by.ID, AccountName: by.Username,
		Action: action, Target: e.ID.String(), Detail: detail, At: s.now()})
}

// fields names the fields a change sets, for the audit log.
func (in EventInput) fields() []string {
	var out []string
	for name, set := range map[string]bool{"name": in.Name != nil, "summary": in.Summary != nil,
		"description": in.Description != nil, "start": in.Start != nil, "end": in.End != nil,
		"timezone": in.Timezone != nil, "place": in.Place != nil, "online_link": in.OnlineLink != nil,
		"capacity": in.Capacity != nil, "join_mode": in.JoinMode != nil, "status": in.Status != nil,
		"category": in.Category != nil, "tags": in.Tags != nil} {
		if set {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// Event returns event id as viewer (nil: anonymous) may read it: a
// members-only association's events are its members' (ErrMembersOnly).
func (s *Service) Event(ctx context.Context, viewer *membership.Account, id uuid.UUID) (Event, error) {
	row, err := s.db.Events().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Event{}, ErrNoSuchEvent
	}
	if err != nil {
		return Event{}, err
	}
	assoc, err := s.db.Associations().ByID(ctx, row.AssociationID)
	if err != nil {
		return Event{}, fmt.Errorf("event %s: %w", id, err)
	}
	if _, err := s.readable(ctx, assoc, viewer); err != nil {
		return Event{}, err
	}
	return load(ctx, s.db.Tx, row)
}

// AgendaQuery selects an association's events: those not over at From
// (now when zero) and starting before To (no bound when zero), by start,
// from the cursor a previous page handed out.
type AgendaQuery struct {
	Association string
	// Viewer reads the agenda (nil: anonymous); a members-only
	// association's is its members' (ErrMembersOnly).
	Viewer   *membership.Account
	From, To time.Time
	Cursor   string
	Limit    int
}

// Events lists an association's events as q selects them, the next first,
// and the cursor of the next page ("" at the end).
func (s *Service) Events(ctx context.Context, q AgendaQuery) ([]Event, string, error) {
	after, err := parseAgendaCursor(q.Cursor)
	if err != nil {
		return nil, "", err
	}
	if q.From.IsZero() {
		q.From = s.now()
	}
	if !q.To.IsZero() && !q.To.After(q.From) {
		return nil, "", core.Invalid(core.FieldError{Field: "to", Code: "end-before-start", Detail: "the end must come after the start"})
	}
	limit := min(max(q.Limit, 1), MaxPage)
	row, err := associationByName(ctx, s.db.Tx, q.Association)
	if err != nil {
		return nil, "", err
	}
	a, err := s.readable(ctx, row, q.Viewer)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.db.Events().OfAssociation(ctx, a.ID, store.EventRange{From: q.From, To: q.To, After: after, Limit: limit + 1})
	if err != nil {
		return nil, "", fmt.Errorf("agenda of %s: %w", a.Name, err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = agendaCursor(rows[limit-1])
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	tags, err := s.db.Events().Tags(ctx, ids...)
	if err != nil {
		return nil, "", err
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = eventFrom(r, a.Name, tags[r.ID])
	}
	return out, next, nil
}

// agendaCursor is where the page after event r starts: its start and id.
func agendaCursor(r store.Event) string {
	b := make([]byte, 8, 24)
	binary.BigEndian.PutUint64(b, uint64(r.StartsAt.UnixMicro()))
	return base64.RawURLEncoding.EncodeToString(append(b, r.ID[:]...))
}

func parseAgendaCursor(c string) (store.EventPosition, error) {
	if c == "" {
		return store.EventPosition{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) != 24 {
		return store.EventPosition{}, ErrBadCursor
	}
	id, err := uuid.FromBytes(b[8:])
	if err != nil || id == uuid.Nil {
		return store.EventPosition{}, ErrBadCursor
	}
	return store.EventPosition{StartsAt: time.UnixMicro(int64(binary.BigEndian.Uint64(b[:8]))).UTC(), ID: id}, nil
}
