package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// RemoteProject is this instance's copy of a partner association's
// project. AssociationActorID is the association's actor.
type RemoteProject struct {
	bun.BaseModel `bun:"table:remote_projects"`

	ID                 uuid.UUID `bun:"id,pk,type:uuid"`
	URI                string    `bun:"uri"`
	AssociationActorID uuid.UUID `bun:"association_actor_id,type:uuid"`
	Holder             string    `bun:"holder"`
	Name               string    `bun:"name"`
	Summary            string    `bun:"summary"`
	Description        string    `bun:"description"`
	Status             string    `bun:"status"`
	Licence            string    `bun:"licence"`
	Place              string    `bun:"place"`
	Goal               int64     `bun:"goal"`
	Currency           string    `bun:"currency"`
	URL                string    `bun:"url"`
	PublishedAt        time.Time `bun:"published_at"`
	UpdatedAt          time.Time `bun:"updated_at"`
	ReceivedAt         time.Time `bun:"received_at"`
}

// RemoteProjectTag is one tag of a partner's project.
type RemoteProjectTag struct {
	bun.BaseModel `bun:"table:remote_project_tags"`

	ProjectID uuid.UUID `bun:"project_id,pk,type:uuid"`
	Tag       string    `bun:"tag,pk"`
}

// RemoteProjects reads and writes the copies of partners' projects.
type RemoteProjects struct{ tx Tx }

// RemoteProjects returns the repository of partners' projects.
func (t Tx) RemoteProjects() RemoteProjects { return RemoteProjects{t} }

// ByURI returns the copy of the project whose id on the wire is uri.
func (r RemoteProjects) ByURI(ctx context.Context, uri string) (RemoteProject, error) {
	var p RemoteProject
	if err := r.tx.idb.NewSelect().Model(&p).Where("uri = ?", uri).Scan(ctx); err != nil {
		return RemoteProject{}, notFound(err, "remote project "+uri)
	}
	return p, nil
}

// ByURIForUpdate is ByURI that also locks the row until the transaction
// ends, so that two Updates of one project apply one after the other.
func (r RemoteProjects) ByURIForUpdate(ctx context.Context, uri string) (RemoteProject, error) {
	var p RemoteProject
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&p).Where("uri = ?", uri))
	if err := q.Scan(ctx); err != nil {
		return RemoteProject{}, notFound(err, "remote project "+uri)
	}
	return p, nil
}

// ByID returns the copy id.
func (r RemoteProjects) ByID(ctx context.Context, id uuid.UUID) (RemoteProject, error) {
	var p RemoteProject
	if err := r.tx.idb.NewSelect().Model(&p).Where("id = ?", id).Scan(ctx); err != nil {
		return RemoteProject{}, notFound(err, "remote project "+id.String())
	}
	return p, nil
}

// Create inserts p, links the tasks already cached that name it, and
// sets its tags; ErrDuplicate when its uri is taken.
func (r RemoteProjects) Create(ctx context.Context, p *RemoteProject, tags []string) error {
	if _, err := r.tx.idb.NewInsert().Model(p).Exec(ctx); err != nil {
		return wrapWrite(err, "cache remote project")
	}
	_, err := r.tx.idb.NewUpdate().Model((*RemoteTask)(nil)).Set("project_id = ?", p.ID).
		Where("project_uri = ?", p.URI).Where("association_actor_id = ?", p.AssociationActorID).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "link cached tasks to their project")
	}
	return r.setTags(ctx, p.ID, tags)
}

// Update writes every column of p and replaces its tags.
func (r RemoteProjects) Update(ctx context.Context, p *RemoteProject, tags []string) error {
	res, err := r.tx.idb.NewUpdate().Model(p).WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update remote project")
	}
	if err := expectOne(res, "update remote project"); err != nil {
		return err
	}
	return r.setTags(ctx, p.ID, tags)
}

func (r RemoteProjects) setTags(ctx context.Context, project uuid.UUID, tags []string) error {
	if _, err := r.tx.idb.NewDelete().Model((*RemoteProjectTag)(nil)).Where("project_id = ?", project).Exec(ctx); err != nil {
		return wrapWrite(err, "replace remote project tags")
	}
	if len(tags) == 0 {
		return nil
	}
	rows := make([]RemoteProjectTag, len(tags))
	for i, t := range tags {
		rows[i] = RemoteProjectTag{ProjectID: project, Tag: t}
	}
	_, err := r.tx.idb.NewInsert().Model(&rows).Exec(ctx)
	return wrapWrite(err, "replace remote project tags")
}

// Tags returns the tags of the copy project, in alphabetical order.
func (r RemoteProjects) Tags(ctx context.Context, project uuid.UUID) ([]string, error) {
	var tags []string
	err := r.tx.idb.NewSelect().Model((*RemoteProjectTag)(nil)).Column("tag").
		Where("project_id = ?", project).OrderExpr("tag").Scan(ctx, &tags)
	if err != nil {
		return nil, notFound(err, "remote project tags")
	}
	return tags, nil
}

// Delete forgets the copy whose id on the wire is uri (its tasks stay,
// unlinked); ErrNotFound when there is none.
func (r RemoteProjects) Delete(ctx context.Context, uri string) error {
	res, err := r.tx.idb.NewDelete().Model((*RemoteProject)(nil)).Where("uri = ?", uri).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "forget remote project")
	}
	return expectOne(res, "forget remote project")
}

// CountOf counts the copies of association's projects.
func (r RemoteProjects) CountOf(ctx context.Context, association uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*RemoteProject)(nil)).Where("association_actor_id = ?", association).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count remote projects")
	}
	return int(n), nil
}
