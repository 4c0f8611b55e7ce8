package store

import (
	"context"
	"strings"

	"github.com/google/uuid"
)

// NetworkTaskRow is one task of the network catalogue: a local task
// (Remote false, URI empty: the caller knows its own ids) or the copy of a
// partner's task. ID is the local id of either; a copy's AssociationID is
// its association's actor, a local task's its association.
type NetworkTaskRow struct {
	Task
	Remote         bool   `bun:"remote"`
	URI            string `bun:"uri"`
	URL            string `bun:"url"`
	AssociationURI string `bun:"association_uri"`
	// AssociationName and AssociationHost are the association's actor's
	// name and, for a partner, host ("" for a local association).
	AssociationName string `bun:"association_name"`
	AssociationHost string `bun:"association_host"`
	ProjectURI      string `bun:"project_uri"`
	ProjectName     string `bun:"project_name"`
	Place           string `bun:"place"`
}

// NetworkFilter selects tasks of the network catalogue. Empty fields do not
// filter; MaxBudget < 0 means no upper bound; an Association keeps that
// local association's tasks only. Currency, when set, keeps the
// tasks budgeted in it (budget bounds compare amounts of one currency).
type NetworkFilter struct {
	CatalogueFilter
	Currency     string
	PartnersOnly bool // leave this instance's tasks out
}

// NetworkCatalogue lists the tasks f selects among this instance's and the
// copies of the partners' (associations a local actor follows, not on a
// blocked domain), newest first, in one query: each arm walks its own (status, id) or
// (status, category, id) index to at most Limit rows, and the union keeps
// the Limit newest of both.
func (r Tasks) NetworkCatalogue(ctx context.Context, f NetworkFilter) ([]NetworkTaskRow, error) {
	sql, args := networkSQL(f)
	var list []NetworkTaskRow
	if err := r.tx.idb.NewRaw(sql, args...).Scan(ctx, &list); err != nil {
		return nil, notFound(err, "network task catalogue")
	}
	return list, nil
}

func networkSQL(f NetworkFilter) (string, []any) {
	var args []any
	var b strings.Builder
	b.WriteString("SELECT * FROM (SELECT * FROM (")
	// The local arm.
	b.WriteString("SELECT " + networkColumns + ", t.created_by, t.created_at, t.updated_at, FALSE AS remote, '' AS uri, '' AS url, " +
		"COALESCE(a.uri, '') AS association_uri, COALESCE(a.username, '') AS association_name, '' AS association_host, " +
		"'' AS project_uri, p.name AS project_name, p.place " +
		"FROM tasks AS t JOIN projects AS p ON p.id = t.project_id LEFT JOIN actors AS a ON a.association_id = t.association_id " +
		"WHERE TRUE")
	if f.PartnersOnly {
		b.WriteString(" AND FALSE")
	}
	args = f.where(&b, args, "t", "project_tags", "p")
	if f.Association != uuid.Nil {
		b.WriteString(" AND t.association_id = ?")
		args = append(args, f.Association)
	}
	b.WriteString(" ORDER BY t.id DESC LIMIT ?) AS l UNION ALL SELECT * FROM (")
	args = append(args, f.Limit)
	// The partners' arm.
	b.WriteString("SELECT " + strings.NewReplacer("t.estimated_effort", "t.effort AS estimated_effort",
		"t.association_id", "t.association_actor_id AS association_id").Replace(networkColumns) +
		", '' AS created_by, t.published_at AS created_at, t.updated_at, TRUE AS remote, t.uri, t.url, a.uri AS association_uri, " +
		"a.username AS association_name, a.host AS association_host, " +
		"t.project_uri, COALESCE(p.name, '') AS project_name, COALESCE(p.place, '') AS place " +
		"FROM remote_tasks AS t JOIN actors AS a ON a.id = t.association_actor_id " +
		"LEFT JOIN remote_projects AS p ON p.id = t.project_id " +
		"WHERE a.deleted_at IS NULL AND " + unblockedHost("a.host") + " AND ")
	b.WriteString(partnerHere)
	args = f.where(&b, args, "t", "remote_project_tags", "p")
	if f.Association != uuid.Nil {
		b.WriteString(" AND FALSE") // a local association has no copies
	}
	b.WriteString(" ORDER BY t.id DESC LIMIT ?) AS r) AS c ORDER BY c.id DESC LIMIT ?")
	args = append(args, f.Limit, f.Limit)
	return b.String(), args
}

// networkColumns are the columns both arms read alike. A copy's project_id
// may be NULL (its project is not kept): scanned as uuid.Nil.
const networkColumns = "t.id, t.project_id, t.association_id, t.name, t.description, t.category, t.done_criteria, " +
	"t.budget, t.currency, t.estimated_effort, t.max_reservation, t.reviewers, t.status, t.reserved_by, t.reserved_until"

// partnerHere is the condition that a local actor follows the task's
// association. OFFSET 0 keeps PostgreSQL from turning the EXISTS into a
// join driven by the followed associations, which reads every task of
// every partner; as a filter, the arm walks its (status, id) index newest
// first and stops at the page's end.
const partnerHere = "EXISTS (SELECT 1 FROM follows AS lf JOIN actors AS la ON la.id = lf.follower_id " +
	"WHERE lf.followed_id = t.association_actor_id AND lf.state = 'accepted' AND la.local = TRUE LIMIT 1 OFFSET 0)"

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
