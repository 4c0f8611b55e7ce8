package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Task is a task's row. DoneCriteria and Reviewers are JSON arrays of
// strings; EstimatedEffort and MaxReservation are seconds.
type Task struct {
	bun.BaseModel `bun:"table:tasks"`

	ID              uuid.UUID  `bun:"id,pk,type:uuid"`
	ProjectID       uuid.UUID  `bun:"project_id,type:uuid"`
	AssociationID   uuid.UUID  `bun:"association_id,type:uuid"`
	Name            string     `bun:"name"`
	Description     string     `bun:"description"`
	Category        string     `bun:"category"`
	DoneCriteria    string     `bun:"done_criteria"`
	Budget          int64      `bun:"budget"`
	Currency        string     `bun:"currency"`
	EstimatedEffort int64      `bun:"estimated_effort"`
	MaxReservation  int64      `bun:"max_reservation"`
	Reviewers       string     `bun:"reviewers"`
	Status          string     `bun:"status"`
	ReservedBy      string     `bun:"reserved_by"`
	ReservedUntil   *time.Time `bun:"reserved_until"`
	CreatedBy       string     `bun:"created_by"`
	CreatedAt       time.Time  `bun:"created_at"`
	UpdatedAt       time.Time  `bun:"updated_at"`
}

// Tasks reads and writes tasks.
type Tasks struct{ tx Tx }

// Tasks returns the task repository.
func (t Tx) Tasks() Tasks { return Tasks{t} }

// Create inserts t.
func (r Tasks) Create(ctx context.Context, t *Task) error {
	_, err := r.tx.idb.NewInsert().Model(t).Exec(ctx)
	return wrapWrite(err, "create task")
}

// ByID returns the task id.
func (r Tasks) ByID(ctx context.Context, id uuid.UUID) (Task, error) {
	var t Task
	if err := r.tx.idb.NewSelect().Model(&t).Where("id = ?", id).Scan(ctx); err != nil {
		return Task{}, notFound(err, "task "+id.String())
	}
	return t, nil
}

// ByIDForUpdate returns the task id and locks its row until the
// transaction ends.
func (r Tasks) ByIDForUpdate(ctx context.Context, id uuid.UUID) (Task, error) {
	var t Task
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&t).Where("id = ?", id))
	if err := q.Scan(ctx); err != nil {
		return Task{}, notFound(err, "task "+id.String())
	}
	return t, nil
}

// OfProject lists the tasks of project, oldest first.
func (r Tasks) OfProject(ctx context.Context, project uuid.UUID) ([]Task, error) {
	var list []Task
	if err := r.tx.idb.NewSelect().Model(&list).Where("project_id = ?", project).OrderExpr("id").Scan(ctx); err != nil {
		return nil, notFound(err, "list tasks of a project")
	}
	return list, nil
}

// SetStatus moves task id from status from to status to, and sets who
// holds it and until when (empty and nil when nobody does). It changes
// nothing and reports false when the task is no longer in from: the
// condition is what makes concurrent changes safe.
func (r Tasks) SetStatus(ctx context.Context, id uuid.UUID, from, to, reservedBy string, reservedUntil *time.Time, at time.Time) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*Task)(nil)).
		Set("status = ?", to).Set("reserved_by = ?", reservedBy).Set("reserved_until = ?", reservedUntil).
		Set("updated_at = ?", at).
		Where("id = ?", id).Where("status = ?", from).Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "change task status")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, wrapWrite(err, "change task status")
	}
	return n == 1, nil
}

// CatalogueFilter selects tasks of the catalogue. Empty fields do not
// filter; MaxBudget < 0 means no upper bound.
type CatalogueFilter struct {
	// Association, when set, keeps the tasks of that association only.
	Association uuid.UUID
	Status      string
	Category    string
	Tag         string
	Place       string
	MinBudget   int64
	MaxBudget   int64
	Before      uuid.UUID // keyset cursor: tasks older than this one
	Limit       int
}

// Catalogue lists the tasks f selects, newest first. The (status, id) and
// (status, category, id) indexes serve the order; the other filters are
// checked on the rows walked.
func (r Tasks) Catalogue(ctx context.Context, f CatalogueFilter) ([]Task, error) {
	var list []Task
	q := r.tx.idb.NewSelect().Model(&list)
	if f.Status != "" {
		q = q.Where("task.status = ?", f.Status)
	}
	if f.Association != uuid.Nil {
		q = q.Where("task.association_id = ?", f.Association)
	}
	if f.Category != "" {
		q = q.Where("task.category = ?", f.Category)
	}
	if f.MinBudget > 0 {
		q = q.Where("task.budget >= ?", f.MinBudget)
	}
	if f.MaxBudget >= 0 {
		q = q.Where("task.budget <= ?", f.MaxBudget)
	}
	if f.Tag != "" {
		q = q.Where("EXISTS (SELECT 1 FROM project_tags AS pt WHERE pt.project_id = task.project_id AND pt.tag = ?)", f.Tag)
	}
	if f.Place != "" {
		q = q.Where("EXISTS (SELECT 1 FROM projects AS p WHERE p.id = task.project_id AND lower(p.place) = ?)", f.Place)
	}
	if f.Before != uuid.Nil {
		q = q.Where("task.id < ?", f.Before)
	}
	if err := q.OrderExpr("task.id DESC").Limit(int64(f.Limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "task catalogue")
	}
	return list, nil
}

// Reservation states.
const (
	ReservationActive    = "active"
	ReservationReleased  = "released"
	ReservationLapsed    = "lapsed"
	ReservationCompleted = "completed"
)

// Reservation is one reservation of a task, active or ended.
type Reservation struct {
	bun.BaseModel `bun:"table:reservations"`

	ID         uuid.UUID  `bun:"id,pk,type:uuid"`
	TaskID     uuid.UUID  `bun:"task_id,type:uuid"`
	Actor      string     `bun:"actor"`
	Status     string     `bun:"status"`
	ReservedAt time.Time  `bun:"reserved_at"`
	Deadline   time.Time  `bun:"deadline"`
	EndedAt    *time.Time `bun:"ended_at"`
	EndedBy    string     `bun:"ended_by"`
	Reason     string     `bun:"reason"`
	// OfferActivity is the id of the Offer a remote actor reserved with;
	// "" for a reservation made here.
	OfferActivity string `bun:"offer_activity"`
}

// Reservations reads and writes reservations.
type Reservations struct{ tx Tx }

// Reservations returns the reservation repository.
func (t Tx) Reservations() Reservations { return Reservations{t} }

// Create inserts r; ErrDuplicate when the task already has an active
// reservation (the unique partial index decides, under any concurrency).
func (r Reservations) Create(ctx context.Context, res *Reservation) error {
	_, err := r.tx.idb.NewInsert().Model(res).Exec(ctx)
	return wrapWrite(err, "create reservation")
}

// Active returns the active reservation of task.
func (r Reservations) Active(ctx context.Context, task uuid.UUID) (Reservation, error) {
	var res Reservation
	err := r.tx.idb.NewSelect().Model(&res).Where("task_id = ?", task).Where("status = ?", ReservationActive).Scan(ctx)
	if err != nil {
		return Reservation{}, notFound(err, "active reservation of task "+task.String())
	}
	return res, nil
}

// OfTask lists the reservations of task, oldest first.
func (r Reservations) OfTask(ctx context.Context, task uuid.UUID) ([]Reservation, error) {
	var list []Reservation
	if err := r.tx.idb.NewSelect().Model(&list).Where("task_id = ?", task).OrderExpr("id").Scan(ctx); err != nil {
		return nil, notFound(err, "reservations of a task")
	}
	return list, nil
}

// End ends the active reservation id with status (released, lapsed or
// completed). It reports false, changing nothing, when the reservation was
// no longer active.
func (r Reservations) End(ctx context.Context, id uuid.UUID, status, by, reason string, at time.Time) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*Reservation)(nil)).
		Set("status = ?", status).Set("ended_at = ?", at).Set("ended_by = ?", by).Set("reason = ?", reason).
		Where("id = ?", id).Where("status = ?", ReservationActive).Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "end reservation")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, wrapWrite(err, "end reservation")
	}
	return n == 1, nil
}

// ClaimLapsed marks one active reservation whose deadline is at or before
// now as lapsed and returns it; ErrNotFound when none is due. It is one
// conditional UPDATE … RETURNING (on PostgreSQL the row is picked with SKIP
// LOCKED), so that of several processes exactly one lapses each
// reservation; the caller reopens the task in the same transaction.
func (r Reservations) ClaimLapsed(ctx context.Context, now time.Time, by string) (Reservation, error) {
	now = now.UTC()
	due := r.tx.idb.NewSelect().Model((*Reservation)(nil)).Column("id").
		Where("status = ?", ReservationActive).Where("deadline <= ?", now).
		OrderExpr("deadline ASC").Limit(1)
	if lock := r.tx.driver.claimLock(); lock != "" {
		due = due.For(lock)
	}
	var claimed []Reservation
	err := r.tx.idb.NewUpdate().Model(&claimed).
		Set("status = ?", ReservationLapsed).Set("ended_at = ?", now).Set("ended_by = ?", by).
		Set("reason = ?", "deadline passed").
		Where("id IN (?)", due).Where("status = ?", ReservationActive).
		Returning("*").Scan(ctx)
	if err != nil {
		return Reservation{}, wrapWrite(err, "claim lapsed reservation")
	}
	if len(claimed) == 0 {
		return Reservation{}, ErrNotFound
	}
	return claimed[0], nil
}

// NextDeadline returns the earliest deadline of an active reservation;
// ErrNotFound when none is active.
func (r Reservations) NextDeadline(ctx context.Context) (time.Time, error) {
	var res Reservation
	err := r.tx.idb.NewSelect().Model(&res).Column("deadline").Where("status = ?", ReservationActive).
		OrderExpr("deadline ASC").Limit(1).Scan(ctx)
	if err != nil {
		return time.Time{}, notFound(err, "next reservation deadline")
	}
	return res.Deadline, nil
}

// ByID returns the reservation id.
func (r Reservations) ByID(ctx context.Context, id uuid.UUID) (Reservation, error) {
	var res Reservation
	if err := r.tx.idb.NewSelect().Model(&res).Where("id = ?", id).Scan(ctx); err != nil {
		return Reservation{}, notFound(err, "reservation "+id.String())
	}
	return res, nil
}

// OfProjectAfter lists at most limit tasks of project after the cursor,
// oldest first (the tasks_project_idx index serves it).
func (r Tasks) OfProjectAfter(ctx context.Context, project, after uuid.UUID, limit int) ([]Task, error) {
	var list []Task
	q := r.tx.idb.NewSelect().Model(&list).Where("project_id = ?", project)
	if after != uuid.Nil {
		q = q.Where("id > ?", after)
	}
	if err := q.OrderExpr("id").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list tasks of a project")
	}
	return list, nil
}
