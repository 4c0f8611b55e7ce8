package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// RemoteTask is this instance's copy of a partner association's task.
// DoneCriteria and Reviewers are JSON arrays of strings; Effort and
// MaxReservation are seconds.
type RemoteTask struct {
	bun.BaseModel `bun:"table:remote_tasks"`

	ID                 uuid.UUID  `bun:"id,pk,type:uuid"`
	URI                string     `bun:"uri"`
	AssociationActorID uuid.UUID  `bun:"association_actor_id,type:uuid"`
	ProjectURI         string     `bun:"project_uri"`
	ProjectID          *uuid.UUID `bun:"project_id,type:uuid"`
	Name               string     `bun:"name"`
	Summary            string     `bun:"summary"`
	Description        string     `bun:"description"`
	Category           string     `bun:"category"`
	DoneCriteria       string     `bun:"done_criteria"`
	Budget             int64      `bun:"budget"`
	Currency           string     `bun:"currency"`
	Effort             int64      `bun:"effort"`
	MaxReservation     int64      `bun:"max_reservation"`
	Reviewers          string     `bun:"reviewers"`
	Status             string     `bun:"status"`
	ReservedBy         string     `bun:"reserved_by"`
	ReservedUntil      *time.Time `bun:"reserved_until"`
	CompletedBy        string     `bun:"completed_by"`
	URL                string     `bun:"url"`
	PublishedAt        time.Time  `bun:"published_at"`
	UpdatedAt          time.Time  `bun:"updated_at"`
	ReceivedAt         time.Time  `bun:"received_at"`
}

// RemoteTasks reads and writes the copies of partners' tasks.
type RemoteTasks struct{ tx Tx }

// RemoteTasks returns the repository of partners' tasks.
func (t Tx) RemoteTasks() RemoteTasks { return RemoteTasks{t} }

// ByID returns the copy id.
func (r RemoteTasks) ByID(ctx context.Context, id uuid.UUID) (RemoteTask, error) {
	var t RemoteTask
	if err := r.tx.idb.NewSelect().Model(&t).Where("id = ?", id).Scan(ctx); err != nil {
		return RemoteTask{}, notFound(err, "remote task "+id.String())
	}
	return t, nil
}

// ByURI returns the copy of the task whose id on the wire is uri.
func (r RemoteTasks) ByURI(ctx context.Context, uri string) (RemoteTask, error) {
	var t RemoteTask
	if err := r.tx.idb.NewSelect().Model(&t).Where("uri = ?", uri).Scan(ctx); err != nil {
		return RemoteTask{}, notFound(err, "remote task "+uri)
	}
	return t, nil
}

// ByURIForUpdate is ByURI that also locks the row until the transaction
// ends, so that two Updates of one task apply one after the other.
func (r RemoteTasks) ByURIForUpdate(ctx context.Context, uri string) (RemoteTask, error) {
	var t RemoteTask
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&t).Where("uri = ?", uri))
	if err := q.Scan(ctx); err != nil {
		return RemoteTask{}, notFound(err, "remote task "+uri)
	}
	return t, nil
}

// Create inserts t, linked to its project's copy when there is one;
// ErrDuplicate when its uri is taken.
func (r RemoteTasks) Create(ctx context.Context, t *RemoteTask) error {
	if err := r.linkProject(ctx, t); err != nil {
		return err
	}
	_, err := r.tx.idb.NewInsert().Model(t).Exec(ctx)
	return wrapWrite(err, "cache remote task")
}

// Update writes every column of t.
func (r RemoteTasks) Update(ctx context.Context, t *RemoteTask) error {
	if err := r.linkProject(ctx, t); err != nil {
		return err
	}
	res, err := r.tx.idb.NewUpdate().Model(t).WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update remote task")
	}
	return expectOne(res, "update remote task")
}

// linkProject sets t.ProjectID to the copy of its project, of the same
// association, or nil when that is not cached.
func (r RemoteTasks) linkProject(ctx context.Context, t *RemoteTask) error {
	var ids []uuid.UUID
	err := r.tx.idb.NewSelect().Model((*RemoteProject)(nil)).Column("id").
		Where("uri = ?", t.ProjectURI).Where("association_actor_id = ?", t.AssociationActorID).Scan(ctx, &ids)
	if err != nil {
		return notFound(err, "project of remote task")
	}
	t.ProjectID = nil
	if len(ids) == 1 {
		t.ProjectID = &ids[0]
	}
	return nil
}

// Delete forgets the copy whose id on the wire is uri; ErrNotFound when
// there is none.
func (r RemoteTasks) Delete(ctx context.Context, uri string) error {
	res, err := r.tx.idb.NewDelete().Model((*RemoteTask)(nil)).Where("uri = ?", uri).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "forget remote task")
	}
	return expectOne(res, "forget remote task")
}

// CountOf counts the copies of association's tasks.
func (r RemoteTasks) CountOf(ctx context.Context, association uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*RemoteTask)(nil)).Where("association_actor_id = ?", association).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count remote tasks")
	}
	return int(n), nil
}
