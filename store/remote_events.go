package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// RemoteEvent is this instance's copy of an event organised elsewhere: a
// partner association's, or one a local person takes part in. Capacity is
// nil when the origin announces none.
type RemoteEvent struct {
	bun.BaseModel `bun:"table:remote_events"`

	ID                 uuid.UUID `bun:"id,pk,type:uuid"`
	URI                string    `bun:"uri"`
	AssociationActorID uuid.UUID `bun:"association_actor_id,type:uuid"`
	Organiser          string    `bun:"organiser"`
	Name               string    `bun:"name"`
	Summary            string    `bun:"summary"`
	Description        string    `bun:"description"`
	URL                string    `bun:"url"`
	StartsAt           time.Time `bun:"starts_at"`
	EndsAt             time.Time `bun:"ends_at"`
	Timezone           string    `bun:"timezone"`
	PlaceName          string    `bun:"place_name"`
	StreetAddress      string    `bun:"street_address"`
	Locality           string    `bun:"locality"`
	PostalCode         string    `bun:"postal_code"`
	Region             string    `bun:"region"`
	Country            string    `bun:"country"`
	Latitude           *float64  `bun:"latitude"`
	Longitude          *float64  `bun:"longitude"`
	OnlineLink         string    `bun:"online_link"`
	Capacity           *int      `bun:"capacity"`
	ParticipantCount   int       `bun:"participant_count"`
	JoinMode           string    `bun:"join_mode"`
	Status             string    `bun:"status"`
	Category           string    `bun:"category"`
	PublishedAt        time.Time `bun:"published_at"`
	UpdatedAt          time.Time `bun:"updated_at"`
	ReceivedAt         time.Time `bun:"received_at"`
}

// RemoteEventTag is one tag of a remote event.
type RemoteEventTag struct {
	bun.BaseModel `bun:"table:remote_event_tags"`

	EventID uuid.UUID `bun:"event_id,pk,type:uuid"`
	Tag     string    `bun:"tag,pk"`
}

// RemoteEventParticipation is a local person's participation in a remote
// event: the Join sent for them and the organiser's answer so far.
type RemoteEventParticipation struct {
	bun.BaseModel `bun:"table:remote_event_participations"`

	ID           uuid.UUID `bun:"id,pk,type:uuid"`
	EventID      uuid.UUID `bun:"event_id,type:uuid"`
	ActorID      uuid.UUID `bun:"actor_id,type:uuid"`
	State        string    `bun:"state"`
	Visible      bool      `bun:"visible"`
	JoinActivity string    `bun:"join_activity"`
	Reason       string    `bun:"reason"`
	CreatedAt    time.Time `bun:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at"`
}

// RemoteEvents reads and writes the copies of remote events and local
// people's participations in them.
type RemoteEvents struct{ tx Tx }

// RemoteEvents returns the repository of remote events.
func (t Tx) RemoteEvents() RemoteEvents { return RemoteEvents{t} }

// ByID returns the copy id.
func (r RemoteEvents) ByID(ctx context.Context, id uuid.UUID) (RemoteEvent, error) {
	var e RemoteEvent
	if err := r.tx.idb.NewSelect().Model(&e).Where("id = ?", id).Scan(ctx); err != nil {
		return RemoteEvent{}, notFound(err, "remote event "+id.String())
	}
	return e, nil
}

// ByURI returns the copy of the event whose id on the wire is uri.
func (r RemoteEvents) ByURI(ctx context.Context, uri string) (RemoteEvent, error) {
	var e RemoteEvent
	if err := r.tx.idb.NewSelect().Model(&e).Where("uri = ?", uri).Scan(ctx); err != nil {
		return RemoteEvent{}, notFound(err, "remote event "+uri)
	}
	return e, nil
}

// ByURIForUpdate is ByURI that also locks the row until the transaction
// ends, so that two Updates of one event apply one after the other.
func (r RemoteEvents) ByURIForUpdate(ctx context.Context, uri string) (RemoteEvent, error) {
	var e RemoteEvent
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&e).Where("uri = ?", uri))
	if err := q.Scan(ctx); err != nil {
		return RemoteEvent{}, notFound(err, "remote event "+uri)
	}
	return e, nil
}

// Create inserts e; ErrDuplicate when its uri is taken.
func (r RemoteEvents) Create(ctx context.Context, e *RemoteEvent) error {
	_, err := r.tx.idb.NewInsert().Model(e).Exec(ctx)
	return wrapWrite(err, "cache remote event")
}

// Update writes every column of e.
func (r RemoteEvents) Update(ctx context.Context, e *RemoteEvent) error {
	res, err := r.tx.idb.NewUpdate().Model(e).WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update remote event")
	}
	return expectOne(res, "update remote event")
}

// Delete forgets the copy whose id on the wire is uri, with its tags and
// the participations in it; ErrNotFound when there is none.
func (r RemoteEvents) Delete(ctx context.Context, uri string) error {
	res, err := r.tx.idb.NewDelete().Model((*RemoteEvent)(nil)).Where("uri = ?", uri).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "forget remote event")
	}
	return expectOne(res, "forget remote event")
}

// SetTags replaces the tags of the copy event.
func (r RemoteEvents) SetTags(ctx context.Context, event uuid.UUID, tags []string) error {
	return remoteEventTagTable.replace(ctx, r.tx.idb, event, tags)
}

// Tags returns the tags of each of events, in alphabetical order.
func (r RemoteEvents) Tags(ctx context.Context, events ...uuid.UUID) (map[uuid.UUID][]string, error) {
	return remoteEventTagTable.of(ctx, r.tx.idb, events...)
}

// Participation returns actor's participation in the copy event.
func (r RemoteEvents) Participation(ctx context.Context, event, actor uuid.UUID) (RemoteEventParticipation, error) {
	var p RemoteEventParticipation
	err := r.tx.idb.NewSelect().Model(&p).Where("event_id = ?", event).Where("actor_id = ?", actor).Scan(ctx)
	if err != nil {
		return RemoteEventParticipation{}, notFound(err, "participation in a remote event")
	}
	return p, nil
}

// ParticipationByJoin returns the participation that the Join activity
// asked for, locked until the transaction ends: the organiser's Accept or
// Reject names it.
func (r RemoteEvents) ParticipationByJoin(ctx context.Context, activity string) (RemoteEventParticipation, error) {
	var p RemoteEventParticipation
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&p).Where("join_activity = ?", activity))
	if err := q.Scan(ctx); err != nil {
		return RemoteEventParticipation{}, notFound(err, "participation of join "+activity)
	}
	return p, nil
}

// CreateParticipation inserts p; ErrDuplicate when the person already
// asked to take part.
func (r RemoteEvents) CreateParticipation(ctx context.Context, p *RemoteEventParticipation) error {
	_, err := r.tx.idb.NewInsert().Model(p).Exec(ctx)
	return wrapWrite(err, "record participation in a remote event")
}

// UpdateParticipation writes every column of p.
func (r RemoteEvents) UpdateParticipation(ctx context.Context, p *RemoteEventParticipation) error {
	res, err := r.tx.idb.NewUpdate().Model(p).WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update participation in a remote event")
	}
	return expectOne(res, "update participation in a remote event")
}

// DeleteParticipation forgets the participation id.
func (r RemoteEvents) DeleteParticipation(ctx context.Context, id uuid.UUID) error {
	res, err := r.tx.idb.NewDelete().Model((*RemoteEventParticipation)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "forget participation in a remote event")
	}
	return expectOne(res, "forget participation in a remote event")
}
