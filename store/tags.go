package store

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// tagTable is a table of the tags of one kind of thing: a row per thing
// (its id in the owner column) and tag, normalised as hashtags are.
type tagTable struct {
	name, owner, what string
}

var (
	eventTagTable       = tagTable{"event_tags", "event_id", "event tags"}
	remoteEventTagTable = tagTable{"remote_event_tags", "event_id", "remote event tags"}
	projectTagTable     = tagTable{"project_tags", "project_id", "project tags"}
)

// replace makes tags the tags of owner.
func (t tagTable) replace(ctx context.Context, idb bun.IDB, owner uuid.UUID, tags []string) error {
	_, err := idb.NewDelete().TableExpr(t.name).Where("? = ?", bun.Ident(t.owner), owner).Exec(ctx)
	if err != nil || len(tags) == 0 {
		return wrapWrite(err, "replace "+t.what)
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?), ", len(tags)), ", ")
	args := make([]any, 0, 2+2*len(tags))
	args = append(args, bun.Ident(t.name), bun.Ident(t.owner))
	for _, tag := range tags {
		args = append(args, owner, tag)
	}
	_, err = idb.NewRaw("INSERT INTO ? (?, tag) VALUES "+values, args...).Exec(ctx)
	return wrapWrite(err, "replace "+t.what)
}

// of returns the tags of each of owners, in alphabetical order.
func (t tagTable) of(ctx context.Context, idb bun.IDB, owners ...uuid.UUID) (map[uuid.UUID][]string, error) {
	out := map[uuid.UUID][]string{}
	if len(owners) == 0 {
		return out, nil
	}
	var rows []struct {
		Owner uuid.UUID `bun:"owner,type:uuid"`
		Tag   string    `bun:"tag"`
	}
	err := idb.NewSelect().TableExpr(t.name).ColumnExpr("? AS owner, tag", bun.Ident(t.owner)).
		Where("? IN (?)", bun.Ident(t.owner), bun.In(owners)).OrderExpr("?, tag", bun.Ident(t.owner)).Scan(ctx, &rows)
	if err != nil {
		return nil, notFound(err, t.what)
	}
	for _, r := range rows {
		out[r.Owner] = append(out[r.Owner], r.Tag)
	}
	return out, nil
}
