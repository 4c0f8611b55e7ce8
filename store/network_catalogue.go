package store

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
)

// NetworkTaskRow is one task of the network catalogue: a local task
// (Remote false, URI empty: the caller knows its own ids) or the copy of a
// partner's task. ID is the local id of either.
type NetworkTaskRow struct {
	ID             uuid.UUID  `bun:"id,type:uuid"`
	Remote         bool       `bun:"remote"`
	URI            string     `bun:"uri"`
	URL            string     `bun:"url"`
	AssociationURI string     `bun:"association_uri"`
	ProjectID      *uuid.UUID `bun:"project_id,type:uuid"`
	ProjectURI     string     `bun:"project_uri"`
	ProjectName    string     `bun:"project_name"`
	Place          string     `bun:"place"`
	Name           string     `bun:"name"`
	Category       string     `bun:"category"`
	Status         string     `bun:"status"`
	Budget         int64      `bun:"budget"`
	Currency       string     `bun:"currency"`
	ReservedUntil  *time.Time `bun:"reserved_until"`
	CreatedAt      time.Time  `bun:"created_at"`
}

// NetworkFilter selects tasks of the network catalogue. Empty fields do not
// filter; MaxBudget < 0 means no upper bound. Currency, when set, keeps the
// tasks budgeted in it (budget bounds compare amounts of one currency).
type NetworkFilter struct {
	CatalogueFilter
	Currency string
}

// NetworkCatalogue lists the tasks f selects among this instance's and the
// copies of the partners' (associations a local actor follows), newest
// first, in one query: each arm walks its own (status, id) or
// (status, category, id) index to at most Limit rows, and the union keeps
// the Limit newest of both.
func (r Tasks) NetworkCatalogue(ctx context.Context, f NetworkFilter) ([]NetworkTaskRow, error) {
	var args []any
	var b strings.Builder
	b.WriteString("SELECT * FROM (SELECT * FROM (")
	// The local arm.
	b.WriteString("SELECT t.id, FALSE AS remote, '' AS uri, '' AS url, " +
		"COALESCE((SELECT a.uri FROM actors AS a WHERE a.association_id = t.association_id), '') AS association_uri, " +
		"t.project_id, '' AS project_uri, p.name AS project_name, p.place, t.name, t.category, t.status, t.budget, t.currency, " +
		"t.reserved_until, t.created_at " +
		"FROM tasks AS t JOIN projects AS p ON p.id = t.project_id WHERE TRUE")
	args = f.where(&b, args, "t", "project_tags", "p")
	b.WriteString(" ORDER BY t.id DESC LIMIT ?) AS l UNION ALL SELECT * FROM (")
	args = append(args, f.Limit)
	// The partners' arm.
	b.WriteString("SELECT t.id, TRUE AS remote, t.uri, t.url, a.uri AS association_uri, " +
		"t.project_id, t.project_uri, COALESCE(p.name, '') AS project_name, COALESCE(p.place, '') AS place, " +
		"t.name, t.category, t.status, t.budget, t.currency, t.reserved_until, t.published_at AS created_at " +
		"FROM remote_tasks AS t JOIN actors AS a ON a.id = t.association_actor_id " +
		"LEFT JOIN remote_projects AS p ON p.id = t.project_id " +
		"WHERE a.deleted_at IS NULL AND ")
	b.WriteString(followedHere("t.association_actor_id").sql)
	args = f.where(&b, args, "t", "remote_project_tags", "p")
	b.WriteString(" ORDER BY t.id DESC LIMIT ?) AS r) AS c ORDER BY c.id DESC LIMIT ?")
	args = append(args, f.Limit, f.Limit)

	var list []NetworkTaskRow
	if err := r.tx.idb.NewRaw(b.String(), args...).Scan(ctx, &list); err != nil {
		return nil, notFound(err, "network task catalogue")
	}
	return list, nil
}

// where writes the filter's conditions on the task alias t, whose project
// (alias p, joined) has its tags in tagTable.
func (f NetworkFilter) where(b *strings.Builder, args []any, t, tagTable, p string) []any {
	cond := func(sql string, a ...any) {
		b.WriteString(" AND ")
		b.WriteString(sql)
		args = append(args, a...)
	}
	if f.Status != "" {
		cond(t+".status = ?", f.Status)
	}
	if f.Category != "" {
		cond(t+".category = ?", f.Category)
	}
	if f.Currency != "" {
		cond(t+".currency = ?", f.Currency)
	}
	if f.MinBudget > 0 {
		cond(t+".budget >= ?", f.MinBudget)
	}
	if f.MaxBudget >= 0 {
		cond(t+".budget <= ?", f.MaxBudget)
	}
	if f.Tag != "" {
		cond("EXISTS (SELECT 1 FROM "+tagTable+" AS pt WHERE pt.project_id = "+t+".project_id AND pt.tag = ?)", f.Tag)
	}
	if f.Place != "" {
		cond("lower("+p+".place) = ?", f.Place)
	}
	if f.Before != uuid.Nil {
		cond(t+".id < ?", f.Before)
	}
	return args
}
