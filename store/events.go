package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Event is an event's row. The counts repeat event_participants by state;
// core/agenda changes them with the participations, under the row's lock.
type Event struct {
	bun.BaseModel `bun:"table:events"`

	ID               uuid.UUID `bun:"id,pk,type:uuid"`
	AssociationID    uuid.UUID `bun:"association_id,type:uuid"`
	URI              string    `bun:"uri"`
	Organiser        string    `bun:"organiser"`
	Name             string    `bun:"name"`
	Summary          string    `bun:"summary"`
	Description      string    `bun:"description"`
	StartsAt         time.Time `bun:"starts_at"`
	EndsAt           time.Time `bun:"ends_at"`
	Timezone         string    `bun:"timezone"`
	PlaceName        string    `bun:"place_name"`
	StreetAddress    string    `bun:"street_address"`
	Locality         string    `bun:"locality"`
	PostalCode       string    `bun:"postal_code"`
	Region           string    `bun:"region"`
	Country          string    `bun:"country"`
	Latitude         *float64  `bun:"latitude"`
	Longitude        *float64  `bun:"longitude"`
	OnlineLink       string    `bun:"online_link"`
	Capacity         int       `bun:"capacity"`
	JoinMode         string    `bun:"join_mode"`
	Status           string    `bun:"status"`
	Category         string    `bun:"category"`
	Sequence         int       `bun:"sequence"`
	ParticipantCount int       `bun:"participant_count"`
	PendingCount     int       `bun:"pending_count"`
	WaitlistCount    int       `bun:"waitlist_count"`
	CreatedBy        string    `bun:"created_by"`
	CreatedAt        time.Time `bun:"created_at"`
	UpdatedAt        time.Time `bun:"updated_at"`
}

// EventTag is one tag of an event.
type EventTag struct {
	bun.BaseModel `bun:"table:event_tags"`

	EventID uuid.UUID `bun:"event_id,pk,type:uuid"`
	Tag     string    `bun:"tag,pk"`
}

// Events reads and writes events and their tags.
type Events struct{ tx Tx }

// Events returns the event repository.
func (t Tx) Events() Events { return Events{t} }

// Create inserts e; ErrDuplicate if its URI is taken.
func (r Events) Create(ctx context.Context, e *Event) error {
	_, err := r.tx.idb.NewInsert().Model(e).Exec(ctx)
	return wrapWrite(err, "create event")
}

// Update writes every column of e.
func (r Events) Update(ctx context.Context, e *Event) error {
	res, err := r.tx.idb.NewUpdate().Model(e).WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update event")
	}
	return expectOne(res, "update event")
}

// SetCounts writes e's participation counts, and nothing else: a join
// does not rewrite the event.
func (r Events) SetCounts(ctx context.Context, e *Event) error {
	res, err := r.tx.idb.NewUpdate().Model(e).WherePK().Column("participant_count", "pending_count", "waitlist_count").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "count participants")
	}
	return expectOne(res, "count participants")
}

// ByID returns the event id.
func (r Events) ByID(ctx context.Context, id uuid.UUID) (Event, error) {
	var e Event
	if err := r.tx.idb.NewSelect().Model(&e).Where("id = ?", id).Scan(ctx); err != nil {
		return Event{}, notFound(err, "event "+id.String())
	}
	return e, nil
}

// ByIDForUpdate returns the event id and locks its row until the
// transaction ends (PostgreSQL; SQLite transactions are serialised), so
// that concurrent participations count against the same capacity one
// after the other.
func (r Events) ByIDForUpdate(ctx context.Context, id uuid.UUID) (Event, error) {
	var e Event
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&e).Where("id = ?", id))
	if err := q.Scan(ctx); err != nil {
		return Event{}, notFound(err, "event "+id.String())
	}
	return e, nil
}

// ByURI returns the event whose id on the wire is uri.
func (r Events) ByURI(ctx context.Context, uri string) (Event, error) {
	var e Event
	if err := r.tx.idb.NewSelect().Model(&e).Where("uri = ?", uri).Scan(ctx); err != nil {
		return Event{}, notFound(err, "event "+uri)
	}
	return e, nil
}

// EventPosition is where a page of an agenda starts: after the event that
// starts at StartsAt with id ID (zero: from the first).
type EventPosition struct {
	StartsAt time.Time
	ID       uuid.UUID
}

// EventRange selects events by date: those not yet over at From (ending
// after it) and starting before To (zero: no bound), after the position.
type EventRange struct {
	From  time.Time
	To    time.Time
	After EventPosition
	Limit int
}

// OfAssociation lists association's events in q's range, by start.
func (r Events) OfAssociation(ctx context.Context, association uuid.UUID, q EventRange) ([]Event, error) {
	var list []Event
	sq := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association).Where("ends_at > ?", q.From)
	if !q.To.IsZero() {
		sq = sq.Where("starts_at < ?", q.To)
	}
	if q.After.ID != uuid.Nil {
		sq = sq.Where("(starts_at > ? OR (starts_at = ? AND id > ?))", q.After.StartsAt, q.After.StartsAt, q.After.ID)
	}
	if err := sq.OrderExpr("starts_at, id").Limit(int64(q.Limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list events")
	}
	return list, nil
}

// SetTags replaces the tags of event.
func (r Events) SetTags(ctx context.Context, event uuid.UUID, tags []string) error {
	return eventTagTable.replace(ctx, r.tx.idb, event, tags)
}

// Tags returns the tags of each of events, in alphabetical order.
func (r Events) Tags(ctx context.Context, events ...uuid.UUID) (map[uuid.UUID][]string, error) {
	return eventTagTable.of(ctx, r.tx.idb, events...)
}

// Listed lists the events of every association in q's range, by start:
// the network's agenda, which core filters by the associations'
// visibility.
func (r Events) Listed(ctx context.Context, q EventRange) ([]Event, error) {
	var list []Event
	sq := r.tx.idb.NewSelect().Model(&list).Where("ends_at > ?", q.From)
	if !q.To.IsZero() {
		sq = sq.Where("starts_at < ?", q.To)
	}
	if q.After.ID != uuid.Nil {
		sq = sq.Where("(starts_at > ? OR (starts_at = ? AND id > ?))", q.After.StartsAt, q.After.StartsAt, q.After.ID)
	}
	if err := sq.OrderExpr("starts_at, id").Limit(int64(q.Limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list the network's events")
	}
	return list, nil
}
