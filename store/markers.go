package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Marker is where an account stopped reading one timeline.
type Marker struct {
	bun.BaseModel `bun:"table:markers"`

	AccountID  uuid.UUID `bun:"account_id,pk,type:uuid"`
	Timeline   string    `bun:"timeline,pk"`
	LastReadID string    `bun:"last_read_id"`
	Version    int       `bun:"version"`
	UpdatedAt  time.Time `bun:"updated_at"`
}

// Markers reads and writes reading positions.
type Markers struct{ tx Tx }

// Markers returns the marker repository.
func (t Tx) Markers() Markers { return Markers{t} }

// Of returns account's markers of the given timelines (those it has).
func (r Markers) Of(ctx context.Context, account uuid.UUID, timelines []string) ([]Marker, error) {
	list := []Marker{}
	if len(timelines) == 0 {
		return list, nil
	}
	err := r.tx.idb.NewSelect().Model(&list).Where("account_id = ?", account).
		Where("timeline IN (?)", bun.In(timelines)).OrderExpr("timeline").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "read markers")
	}
	return list, nil
}

// Save sets account's marker of timeline to lastRead, counting one more
// version: the first save is version 1. The counter is raised in the
// database, so that two concurrent saves give two versions.
func (r Markers) Save(ctx context.Context, account uuid.UUID, timeline, lastRead string, at time.Time) error {
	m := Marker{AccountID: account, Timeline: timeline, LastReadID: lastRead, Version: 1, UpdatedAt: at}
	_, err := r.tx.idb.NewInsert().Model(&m).
		On("CONFLICT (account_id, timeline) DO UPDATE").
		Set("last_read_id = EXCLUDED.last_read_id").
		Set("version = ?TableAlias.version + 1").
		Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return wrapWrite(err, "save marker "+timeline)
}
