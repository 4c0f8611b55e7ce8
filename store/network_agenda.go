package store

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
)

// NetworkEventRow is one event of the network agenda: a local event
// (Remote false) or the copy of a partner's (Remote true). ID is the local
// id of either. A local event's AssociationID is its association, its
// AssociationHost ""; a copy's AssociationID is its association's actor,
// Capacity 0 when the origin announces none, Sequence 0 and CreatedAt the
// time the origin published it.
type NetworkEventRow struct {
	ID               uuid.UUID `bun:"id"`
	Remote           bool      `bun:"remote"`
	URI              string    `bun:"uri"`
	URL              string    `bun:"url"` // a copy's page at its origin; "" for a local event
	AssociationID    uuid.UUID `bun:"association_id"`
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
	ParticipantCount int       `bun:"participant_count"`
	JoinMode         string    `bun:"join_mode"`
	Status           string    `bun:"status"`
	Category         string    `bun:"category"`
	Sequence         int       `bun:"sequence"`
	CreatedAt        time.Time `bun:"created_at"`
	UpdatedAt        time.Time `bun:"updated_at"`
	AssociationName  string    `bun:"association_name"`
	AssociationHost  string    `bun:"association_host"`
}

// NetworkAgendaFilter selects the events of the network agenda: those not
// over at From and starting before To (zero: no bound), after the
// position After, at most Limit. Empty fields do not filter.
type NetworkAgendaFilter struct {
	From, To time.Time
	// StartsAfter, when set, leaves out the events that started before
	// it. From implies it, as no event lasts longer than core allows (a
	// copy lasting longer is not listed at all once that long under way):
	// each arm then reads its (starts_at, id) index from there rather than
	// from the first event ever, to find those under way at From.
	StartsAfter time.Time
	After       EventPosition
	Tag         string // a normalised tag
	Place       string // lower case; matches the locality or the place's name
	Cancelled   bool   // keep cancelled events too
	// PartnersOnly leaves this instance's events out.
	PartnersOnly bool
	// Member is the account reading the agenda: the events of the
	// members-only associations it is an active member of are kept too.
	// uuid.Nil keeps the public associations' only.
	Member uuid.UUID
	Limit  int
}

// NetworkAgenda lists the events f selects among the local associations'
// (public ones, and the members-only ones f.Member belongs to) and the
// copies of the partners' (associations a local actor follows, whose
// actor is neither deleted, suspended nor silenced, on no blocked domain),
// by (start, id), in one query: each arm walks its own (starts_at, id)
// index to at most Limit rows, and the union keeps the Limit first.
func (r Events) NetworkAgenda(ctx context.Context, f NetworkAgendaFilter) ([]NetworkEventRow, error) {
	sql, args := r.tx.driver.networkAgendaSQL(f)
	var list []NetworkEventRow
	if err := r.tx.idb.NewRaw(sql, args...).Scan(ctx, &list); err != nil {
		return nil, notFound(err, "network agenda")
	}
	return list, nil
}

// networkAgendaColumns are the columns both arms read alike, from the
// alias e.
const networkAgendaColumns = "e.id, e.uri, e.organiser, e.name, e.summary, e.description, e.starts_at, e.ends_at, e.timezone, " +
	"e.place_name, e.street_address, e.locality, e.postal_code, e.region, e.country, e.latitude, e.longitude, e.online_link, " +
	"e.participant_count, e.join_mode, e.status, e.category, e.updated_at"

// networkAgendaSQL is the query of f. Which associations an arm keeps is
// a set read once, not a check of each event it walks: the associations
// hidden from the reader (members-only ones it is no active member of)
// for the local arm, the partners (followed here, neither deleted nor
// moderated away, on no blocked domain) for the partners' arm. The
// associations' names are read for the page's rows only.
func (d Driver) networkAgendaSQL(f NetworkAgendaFilter) (string, []any) {
	var args []any
	var b strings.Builder
	b.WriteString("SELECT c.*, COALESCE(a.name, ga.username, '') AS association_name, COALESCE(ga.host, '') AS association_host " +
		"FROM (SELECT * FROM (")
	// The local arm.
	b.WriteString("SELECT " + networkAgendaColumns + ", FALSE AS remote, '' AS url, e.association_id, e.capacity, e.sequence, " +
		"e.created_at FROM events AS e WHERE e.association_id NOT IN (SELECT ha.id FROM associations AS ha WHERE " +
		d.jsonText("ha.settings", "visibility") + " = 'members'")
	if f.Member != uuid.Nil {
		b.WriteString(" AND NOT EXISTS (SELECT 1 FROM memberships AS vm WHERE vm.association_id = ha.id " +
			"AND vm.account_id = ? AND vm.status = 'active')")
		args = append(args, f.Member)
	}
	b.WriteString(")")
	if f.PartnersOnly {
		b.WriteString(" AND FALSE")
	}
	args = f.where(&b, args, "event_tags")
	b.WriteString(" ORDER BY e.starts_at, e.id LIMIT ?) AS l UNION ALL SELECT * FROM (")
	args = append(args, f.Limit)
	// The partners' arm.
	b.WriteString("SELECT " + networkAgendaColumns + ", TRUE AS remote, e.url, e.association_actor_id AS association_id, " +
		"COALESCE(e.capacity, 0) AS capacity, 0 AS sequence, e.published_at AS created_at FROM remote_events AS e WHERE " +
		d.inSet("e.association_actor_id", "SELECT pa.id FROM actors AS pa WHERE pa.local = FALSE AND pa.deleted_at IS NULL "+
			"AND pa.suspended_at IS NULL AND pa.silenced_at IS NULL AND "+unblockedHost("pa.host")+
			" AND EXISTS (SELECT 1 FROM follows AS lf JOIN actors AS la ON la.id = lf.follower_id "+
			"WHERE lf.followed_id = pa.id AND lf.state = 'accepted' AND la.local = TRUE)"))
	args = f.where(&b, args, "remote_event_tags")
	b.WriteString(" ORDER BY e.starts_at, e.id LIMIT ?) AS r) AS c " +
		"LEFT JOIN associations AS a ON c.remote = FALSE AND a.id = c.association_id " +
		"LEFT JOIN actors AS ga ON c.remote = TRUE AND ga.id = c.association_id " +
		"ORDER BY c.starts_at, c.id LIMIT ?")
	args = append(args, f.Limit, f.Limit)
	return b.String(), args
}

// where writes the filter's conditions on the event alias e, whose tags
// are in tagTable.
func (f NetworkAgendaFilter) where(b *strings.Builder, args []any, tagTable string) []any {
	cond := func(sql string, a ...any) {
		b.WriteString(" AND ")
		b.WriteString(sql)
		args = append(args, a...)
	}
	cond("e.ends_at > ?", f.From)
	if !f.StartsAfter.IsZero() {
		cond("e.starts_at > ?", f.StartsAfter)
	}
	if !f.To.IsZero() {
		cond("e.starts_at < ?", f.To)
	}
	if f.After.ID != uuid.Nil {
		// The first term bounds the index range, which PostgreSQL does not
		// draw from the OR.
		cond("e.starts_at >= ? AND (e.starts_at > ? OR (e.starts_at = ? AND e.id > ?))", f.After.StartsAt, f.After.StartsAt,
			f.After.StartsAt, f.After.ID)
	}
	if !f.Cancelled {
		cond("e.status <> 'cancelled'")
	}
	if f.Tag != "" {
		cond("EXISTS (SELECT 1 FROM "+tagTable+" AS et WHERE et.event_id = e.id AND et.tag = ?)", f.Tag)
	}
	if f.Place != "" {
		cond("(lower(e.locality) = ? OR lower(e.place_name) = ?)", f.Place, f.Place)
	}
	return args
}
