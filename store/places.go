package store

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// AssociationLocation is where an association is. Latitude and Longitude
// are both set or both nil (the table checks it).
type AssociationLocation struct {
	bun.BaseModel `bun:"table:association_locations"`

	AssociationID uuid.UUID `bun:"association_id,pk,type:uuid"`
	PlaceName     string    `bun:"place_name"`
	Locality      string    `bun:"locality"`
	Country       string    `bun:"country"`
	Latitude      *float64  `bun:"latitude"`
	Longitude     *float64  `bun:"longitude"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// Places reads and writes what the network's map shows: associations'
// locations, and the events with a position, this instance's and the
// partners' copies.
type Places struct{ tx Tx }

// Places returns the repository of places.
func (t Tx) Places() Places { return Places{t} }

// Location returns association's location; ErrNotFound when it has none.
func (r Places) Location(ctx context.Context, association uuid.UUID) (AssociationLocation, error) {
	var l AssociationLocation
	if err := r.tx.idb.NewSelect().Model(&l).Where("association_id = ?", association).Scan(ctx); err != nil {
		return AssociationLocation{}, notFound(err, "location of association "+association.String())
	}
	return l, nil
}

// SetLocation writes l, replacing the association's location.
func (r Places) SetLocation(ctx context.Context, l *AssociationLocation) error {
	_, err := r.tx.idb.NewInsert().Model(l).
		On("CONFLICT (association_id) DO UPDATE").
		Set("place_name = EXCLUDED.place_name, locality = EXCLUDED.locality, country = EXCLUDED.country").
		Set("latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return wrapWrite(err, "set association location")
}

// DeleteLocation forgets association's location; none is not an error.
func (r Places) DeleteLocation(ctx context.Context, association uuid.UUID) error {
	_, err := r.tx.idb.NewDelete().Model((*AssociationLocation)(nil)).Where("association_id = ?", association).Exec(ctx)
	return wrapWrite(err, "forget association location")
}

// Box is a bounding box in degrees. MinLon greater than MaxLon is a box
// that crosses the antimeridian (RFC 7946 §5.2).
type Box struct {
	MinLon, MinLat, MaxLon, MaxLat float64
}

// within writes the condition that the point (lat, lon) lies in b.
func (b Box) within(lat, lon string) (string, []any) {
	cond := lat + " BETWEEN ? AND ?"
	args := []any{b.MinLat, b.MaxLat}
	if b.MinLon <= b.MaxLon {
		return cond + " AND " + lon + " BETWEEN ? AND ?", append(args, b.MinLon, b.MaxLon)
	}
	return cond + " AND (" + lon + " >= ? OR " + lon + " <= ?)", append(args, b.MinLon, b.MaxLon)
}

// PlaceQuery selects the events the map shows: not cancelled, with a
// position, not over at From and starting before To (zero: no bound), in
// Box when set, after the position After, at most Limit.
type PlaceQuery struct {
	From  time.Time
	To    time.Time
	Box   *Box
	After EventPosition
	Limit int
}

// PlacedEvent is an event with a position, this instance's (Remote false,
// with its association's settings, which core reads for its visibility)
// or a partner's copy (Remote true, with its association's host).
type PlacedEvent struct {
	ID                  uuid.UUID `bun:"id"`
	Remote              bool      `bun:"remote"`
	Name                string    `bun:"name"`
	StartsAt            time.Time `bun:"starts_at"`
	EndsAt              time.Time `bun:"ends_at"`
	Timezone            string    `bun:"timezone"`
	PlaceName           string    `bun:"place_name"`
	Locality            string    `bun:"locality"`
	Latitude            float64   `bun:"latitude"`
	Longitude           float64   `bun:"longitude"`
	AssociationID       uuid.UUID `bun:"association_id"`
	AssociationName     string    `bun:"association_name"`
	AssociationHost     string    `bun:"association_host"`
	AssociationSettings string    `bun:"association_settings"`
}

// Events lists q's events by start, in one query over this instance's
// events and the copies of the partners' (associations a local actor
// follows, whose actor is live and not on a blocked domain). Each arm
// walks its (starts_at, id) index to at most Limit rows.
func (r Places) Events(ctx context.Context, q PlaceQuery) ([]PlacedEvent, error) {
	var args []any
	var b strings.Builder
	arm := func(t string) {
		b.WriteString(" AND " + t + ".latitude IS NOT NULL AND " + t + ".longitude IS NOT NULL AND " + t + ".status <> 'cancelled'")
		b.WriteString(" AND " + t + ".ends_at > ?")
		args = append(args, q.From)
		if !q.To.IsZero() {
			b.WriteString(" AND " + t + ".starts_at < ?")
			args = append(args, q.To)
		}
		if q.Box != nil {
			cond, a := q.Box.within(t+".latitude", t+".longitude")
			b.WriteString(" AND " + cond)
			args = append(args, a...)
		}
		if q.After.ID != uuid.Nil {
			b.WriteString(" AND (" + t + ".starts_at > ? OR (" + t + ".starts_at = ? AND " + t + ".id > ?))")
			args = append(args, q.After.StartsAt, q.After.StartsAt, q.After.ID)
		}
		b.WriteString(" ORDER BY " + t + ".starts_at, " + t + ".id LIMIT ?")
		args = append(args, q.Limit)
	}
	b.WriteString("SELECT * FROM (SELECT * FROM (SELECT e.id, FALSE AS remote, e.name, e.starts_at, e.ends_at, e.timezone, " +
		"e.place_name, e.locality, e.latitude, e.longitude, e.association_id, a.name AS association_name, " +
		"'' AS association_host, CAST(a.settings AS text) AS association_settings " +
		"FROM events AS e JOIN associations AS a ON a.id = e.association_id WHERE TRUE")
	arm("e")
	b.WriteString(") AS l UNION ALL SELECT * FROM (SELECT t.id, TRUE AS remote, t.name, t.starts_at, t.ends_at, t.timezone, " +
		"t.place_name, t.locality, t.latitude, t.longitude, t.association_actor_id AS association_id, " +
		"a.username AS association_name, a.host AS association_host, '' AS association_settings " +
		"FROM remote_events AS t JOIN actors AS a ON a.id = t.association_actor_id " +
		"WHERE a.deleted_at IS NULL AND " + unblockedHost("a.host") + " AND " + partnerHere)
	arm("t")
	b.WriteString(") AS r) AS p ORDER BY p.starts_at, p.id LIMIT ?")
	args = append(args, q.Limit)
	var list []PlacedEvent
	if err := r.tx.idb.NewRaw(b.String(), args...).Scan(ctx, &list); err != nil {
		return nil, notFound(err, "events on the map")
	}
	return list, nil
}

// LocatedAssociation is an association with a position, and its settings,
// which core reads for its visibility.
type LocatedAssociation struct {
	ID          uuid.UUID `bun:"id"`
	Name        string    `bun:"name"`
	DisplayName string    `bun:"display_name"`
	Settings    string    `bun:"settings"`
	PlaceName   string    `bun:"place_name"`
	Locality    string    `bun:"locality"`
	Country     string    `bun:"country"`
	Latitude    float64   `bun:"latitude"`
	Longitude   float64   `bun:"longitude"`
}

// Associations lists the associations with a position in box (nil: any),
// by name, after the name after, at most limit.
func (r Places) Associations(ctx context.Context, box *Box, after string, limit int) ([]LocatedAssociation, error) {
	sql := "SELECT a.id, a.name, a.display_name, CAST(a.settings AS text) AS settings, l.place_name, l.locality, l.country, l.latitude, l.longitude " +
		"FROM association_locations AS l JOIN associations AS a ON a.id = l.association_id " +
		"WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL AND a.name > ?"
	args := []any{after}
	if box != nil {
		cond, a := box.within("l.latitude", "l.longitude")
		sql += " AND " + cond
		args = append(args, a...)
	}
	sql += " ORDER BY a.name LIMIT ?"
	var list []LocatedAssociation
	if err := r.tx.idb.NewRaw(sql, append(args, limit)...).Scan(ctx, &list); err != nil {
		return nil, notFound(err, "associations on the map")
	}
	return list, nil
}
