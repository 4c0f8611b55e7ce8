package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Project is a project's row. Checklist and Beneficiaries are JSON arrays
// of strings whose meaning core/projects owns.
type Project struct {
	bun.BaseModel `bun:"table:projects"`

	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	AssociationID uuid.UUID `bun:"association_id,type:uuid"`
	Holder        string    `bun:"holder"`
	Name          string    `bun:"name"`
	Summary       string    `bun:"summary"`
	Description   string    `bun:"description"`
	Licence       string    `bun:"licence"`
	Architecture  string    `bun:"architecture"`
	Checklist     string    `bun:"checklist"`
	Beneficiaries string    `bun:"beneficiaries"`
	Place         string    `bun:"place"`
	Goal          int64     `bun:"goal"`
	Currency      string    `bun:"currency"`
	Status        string    `bun:"status"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	// OfferActivity is the id of the Offer a remote actor proposed the
	// project with; "" when it was proposed here.
	OfferActivity string `bun:"offer_activity"`
}

// ProjectTag is one tag of a project.
type ProjectTag struct {
	bun.BaseModel `bun:"table:project_tags"`

	ProjectID uuid.UUID `bun:"project_id,pk,type:uuid"`
	Tag       string    `bun:"tag,pk"`
}

// ProjectTransition is one change of a project's state.
type ProjectTransition struct {
	bun.BaseModel `bun:"table:project_transitions"`

	ID         uuid.UUID `bun:"id,pk,type:uuid"`
	ProjectID  uuid.UUID `bun:"project_id,type:uuid"`
	FromStatus string    `bun:"from_status"`
	ToStatus   string    `bun:"to_status"`
	By         string    `bun:"by_actor"`
	Reason     string    `bun:"reason"`
	At         time.Time `bun:"at"`
}

// Projects reads and writes projects, their tags and their history.
type Projects struct{ tx Tx }

// Projects returns the project repository.
func (t Tx) Projects() Projects { return Projects{t} }

// Create inserts p.
func (r Projects) Create(ctx context.Context, p *Project) error {
	_, err := r.tx.idb.NewInsert().Model(p).Exec(ctx)
	return wrapWrite(err, "create project")
}

// Update writes every column of p but the Offer it came with.
func (r Projects) Update(ctx context.Context, p *Project) error {
	res, err := r.tx.idb.NewUpdate().Model(p).WherePK().ExcludeColumn("offer_activity").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update project")
	}
	return expectOne(res, "update project")
}

// ByID returns the project id.
func (r Projects) ByID(ctx context.Context, id uuid.UUID) (Project, error) {
	var p Project
	if err := r.tx.idb.NewSelect().Model(&p).Where("id = ?", id).Scan(ctx); err != nil {
		return Project{}, notFound(err, "project "+id.String())
	}
	return p, nil
}

// ByIDForUpdate returns the project id and locks its row until the
// transaction ends, so that two changes of its state do not interleave.
func (r Projects) ByIDForUpdate(ctx context.Context, id uuid.UUID) (Project, error) {
	var p Project
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&p).Where("id = ?", id))
	if err := q.Scan(ctx); err != nil {
		return Project{}, notFound(err, "project "+id.String())
	}
	return p, nil
}

// OfAssociation lists association's projects, newest first, limit after
// the cursor (uuid.Nil: from the newest).
func (r Projects) OfAssociation(ctx context.Context, association, before uuid.UUID, limit int) ([]Project, error) {
	var list []Project
	q := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association)
	if before != uuid.Nil {
		q = q.Where("id < ?", before)
	}
	if err := q.OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list projects")
	}
	return list, nil
}

// SetTags replaces the tags of project.
func (r Projects) SetTags(ctx context.Context, project uuid.UUID, tags []string) error {
	return projectTagTable.replace(ctx, r.tx.idb, project, tags)
}

// Tags returns the tags of project in alphabetical order.
func (r Projects) Tags(ctx context.Context, project uuid.UUID) ([]string, error) {
	var tags []string
	err := r.tx.idb.NewSelect().Model((*ProjectTag)(nil)).Column("tag").
		Where("project_id = ?", project).OrderExpr("tag").Scan(ctx, &tags)
	if err != nil {
		return nil, notFound(err, "project tags")
	}
	return tags, nil
}

// AddTransition records a change of state.
func (r Projects) AddTransition(ctx context.Context, t *ProjectTransition) error {
	_, err := r.tx.idb.NewInsert().Model(t).Exec(ctx)
	return wrapWrite(err, "record project transition")
}

// Transitions returns the history of project, oldest first.
func (r Projects) Transitions(ctx context.Context, project uuid.UUID) ([]ProjectTransition, error) {
	var list []ProjectTransition
	err := r.tx.idb.NewSelect().Model(&list).Where("project_id = ?", project).OrderExpr("id").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "project transitions")
	}
	return list, nil
}
