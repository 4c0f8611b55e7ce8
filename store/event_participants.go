package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// EventParticipant is one actor's participation in an event; its state's
// meaning is core/agenda's.
type EventParticipant struct {
	bun.BaseModel `bun:"table:event_participants,alias:participant"`

	ID           uuid.UUID `bun:"id,pk,type:uuid"`
	EventID      uuid.UUID `bun:"event_id,type:uuid"`
	Actor        string    `bun:"actor"`
	Local        bool      `bun:"local"`
	State        string    `bun:"state"`
	Visible      bool      `bun:"visible"`
	JoinActivity string    `bun:"join_activity"`
	DecidedBy    string    `bun:"decided_by"`
	CreatedAt    time.Time `bun:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at"`
}

// ParticipantRow is a participation with what the participant's actor
// row says of them ("" when it is not known here).
type ParticipantRow struct {
	EventParticipant `bun:",extend"`

	Username    string `bun:"username"`
	Host        string `bun:"host"`
	DisplayName string `bun:"display_name"`
}

// EventParticipants reads and writes participations.
type EventParticipants struct{ tx Tx }

// EventParticipants returns the participation repository.
func (t Tx) EventParticipants() EventParticipants { return EventParticipants{t} }

// Add inserts p; ErrDuplicate if its actor already has a participation in
// the event.
func (r EventParticipants) Add(ctx context.Context, p *EventParticipant) error {
	_, err := r.tx.idb.NewInsert().Model(p).Exec(ctx)
	return wrapWrite(err, "add participation")
}

// Update writes p's state, visibility, Join and decision.
func (r EventParticipants) Update(ctx context.Context, p *EventParticipant) error {
	res, err := r.tx.idb.NewUpdate().Model(p).WherePK().
		Column("state", "visible", "join_activity", "decided_by", "updated_at").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update participation")
	}
	return expectOne(res, "update participation")
}

// Delete removes participation id.
func (r EventParticipants) Delete(ctx context.Context, id uuid.UUID) error {
	res, err := r.tx.idb.NewDelete().Model((*EventParticipant)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "delete participation")
	}
	return expectOne(res, "delete participation")
}

// Of returns actor's participation in event.
func (r EventParticipants) Of(ctx context.Context, event uuid.UUID, actor string) (EventParticipant, error) {
	var p EventParticipant
	if err := r.tx.idb.NewSelect().Model(&p).Where("event_id = ? AND actor = ?", event, actor).Scan(ctx); err != nil {
		return EventParticipant{}, notFound(err, "participation of "+actor)
	}
	return p, nil
}

// FirstInState returns the participation of event in state that came
// first: the head of the waiting list.
func (r EventParticipants) FirstInState(ctx context.Context, event uuid.UUID, state string) (EventParticipant, error) {
	var p EventParticipant
	err := r.tx.idb.NewSelect().Model(&p).Where("event_id = ? AND state = ?", event, state).
		OrderExpr("id").Limit(1).Scan(ctx)
	if err != nil {
		return EventParticipant{}, notFound(err, "first "+state+" participation")
	}
	return p, nil
}

// ParticipantQuery selects participations of an event in one state, in the
// order they came, after the participation After (uuid.Nil: from the
// first); VisibleOnly keeps those who chose to be shown.
type ParticipantQuery struct {
	Event       uuid.UUID
	State       string
	VisibleOnly bool
	After       uuid.UUID
	Limit       int
}

// List returns the participations q selects, with their actors' names.
func (r EventParticipants) List(ctx context.Context, q ParticipantQuery) ([]ParticipantRow, error) {
	var list []ParticipantRow
	sq := r.tx.idb.NewSelect().Model(&list).
		ColumnExpr("participant.*").
		ColumnExpr("COALESCE(a.username, '') AS username, COALESCE(a.host, '') AS host, COALESCE(a.display_name, '') AS display_name").
		Join("LEFT JOIN actors AS a ON a.uri = participant.actor").
		Where("participant.event_id = ? AND participant.state = ?", q.Event, q.State)
	if q.VisibleOnly {
		sq = sq.Where("participant.visible = ?", true)
	}
	if q.After != uuid.Nil {
		sq = sq.Where("participant.id > ?", q.After)
	}
	if err := sq.OrderExpr("participant.id").Limit(int64(q.Limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list participants")
	}
	return list, nil
}

// CountByState counts the participations of event in each state, for
// checking the counts the event's row keeps.
func (r EventParticipants) CountByState(ctx context.Context, event uuid.UUID) (map[string]int, error) {
	var rows []struct {
		State string `bun:"state"`
		N     int    `bun:"n"`
	}
	err := r.tx.idb.NewSelect().Model((*EventParticipant)(nil)).ColumnExpr("state, COUNT(*) AS n").
		Where("event_id = ?", event).GroupExpr("state").Scan(ctx, &rows)
	if err != nil {
		return nil, notFound(err, "count participants")
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}
