package projects

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/store"
)

// Task states (DESIGN §4): draft → open → reserved → submitted → done →
// paid; reserved → open on expiry or release; submitted → open on
// rejection; open → cancelled.
const (
	TaskDraft     = "draft"
	TaskOpen      = "open"
	TaskReserved  = "reserved"
	TaskSubmitted = "submitted"
	TaskDone      = "done"
	TaskPaid      = "paid"
	TaskCancelled = "cancelled"
)

// TaskStatuses lists every task state, for the catalogue's filter.
var TaskStatuses = []string{TaskDraft, TaskOpen, TaskReserved, TaskSubmitted, TaskDone, TaskPaid, TaskCancelled}

// Categories of a task.
var Categories = []string{"communication", "programming", "design", "translation", "research", "administration", "other"}

// Bounds on a task's fields.
const (
	MaxTaskName     = 200
	MaxCriteria     = 30
	MaxCriterion    = 500
	MaxReviewers    = 10
	MaxEffort       = 366 * 24 * time.Hour
	MinReservation  = time.Minute
	MaxSubmission   = 20_000
	MaxLinks        = 20
	MaxReviewText   = 5000
	MaxCriterionRem = 1000
)

// Task is a piece of work of a project, with a budget and the precise
// criteria that say when it is done.
type Task struct {
	ID              uuid.UUID
	ProjectID       uuid.UUID
	AssociationID   uuid.UUID
	Name            string
	Description     string
	Category        string
	DoneCriteria    []string
	Budget          int64 // minor units of Currency
	Currency        string
	EstimatedEffort time.Duration
	MaxReservation  time.Duration
	Reviewers       []string // actor ids
	Status          string
	ReservedBy      string // actor id of the active reservation's holder
	ReservedUntil   *time.Time
	CreatedBy       string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TaskInput is what a project holder or the board writes for a new task.
// Budget is a decimal amount in the association's currency; durations are
// Go durations ("72h").
type TaskInput struct {
	Name            string
	Description     string
	Category        string
	DoneCriteria    []string
	Budget          string
	EstimatedEffort string
	MaxReservation  string
	Reviewers       []string
	Draft           bool
}

func taskFrom(r store.Task) Task {
	return Task{ID: r.ID, ProjectID: r.ProjectID, AssociationID: r.AssociationID, Name: r.Name, Description: r.Description,
		Category: r.Category, DoneCriteria: decodeList(r.DoneCriteria), Budget: r.Budget, Currency: r.Currency,
		EstimatedEffort: time.Duration(r.EstimatedEffort) * time.Second, MaxReservation: time.Duration(r.MaxReservation) * time.Second,
		Reviewers: decodeList(r.Reviewers), Status: r.Status, ReservedBy: r.ReservedBy, ReservedUntil: r.ReservedUntil,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// AddTask adds a task to an accepted or active project, as its holder or
// the board. The task is open unless in.Draft; its maximum reservation
// period may not exceed the association's.
func (s *Service) AddTask(ctx context.Context, by membership.Account, project uuid.UUID, in TaskInput) (Task, error) {
	var out Task
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		p, actor, err := s.holderOrBoard(ctx, tx, by, project)
		if err != nil {
			return err
		}
		if p.Status != ProjectAccepted && p.Status != ProjectActive {
			return ErrProjectNotOpen
		}
		a, err := associationByID(ctx, tx, p.AssociationID)
		if err != nil {
			return err
		}
		var fe fieldErrors
		now := s.now()
		t := store.Task{ID: newID(), ProjectID: p.ID, AssociationID: a.ID, Currency: a.Settings.Currency,
			Status: TaskOpen, CreatedBy: actor, CreatedAt: now, UpdatedAt: now}
		if in.Draft {
			t.Status = TaskDraft
		}
		t.Name = fe.Text("name", in.Name, MaxTaskName, true)
		t.Description = fe.Text("description", in.Description, MaxDescription, false)
		if c := strings.TrimSpace(in.Category); slices.Contains(Categories, c) {
			t.Category = c
		} else {
			fe.Add("category", "invalid-choice", "must be one of "+strings.Join(Categories, ", "))
		}
		t.DoneCriteria = encodeList(fe.List("done_criteria", in.DoneCriteria, 1, MaxCriteria, MaxCriterion))
		if n, err := money.Parse(in.Budget, t.Currency); err != nil {
			fe.Add("budget", "invalid-amount", fmt.Sprintf("must be an amount in %s such as \"250.00\"", t.Currency))
		} else {
			t.Budget = n
		}
		if in.EstimatedEffort != "" {
			d, err := time.ParseDuration(in.EstimatedEffort)
			if err != nil || d < 0 || d > MaxEffort {
				fe.Add("estimated_effort", "invalid-duration", `must be a duration such as "16h", at most a year`)
			} else {
				t.EstimatedEffort = int64(d / time.Second)
			}
		}
		d, err := time.ParseDuration(in.MaxReservation)
		switch {
		case err != nil:
			fe.Add("max_reservation", "invalid-duration", `must be a duration such as "168h"`)
		case d < MinReservation || d > a.Settings.MaxReservationPeriod:
			fe.Add("max_reservation", "out-of-range", fmt.Sprintf("must be between %s and the association's max_reservation_period, %s", MinReservation, a.Settings.MaxReservationPeriod))
		default:
			t.MaxReservation = int64(d / time.Second)
		}
		t.Reviewers = encodeList(fe.URIs("reviewers", in.Reviewers, 1, MaxReviewers))
		if err := fe.Err(); err != nil {
			return err
		}
		if err := tx.Tasks().Create(ctx, &t); err != nil {
			return err
		}
		if err := s.ledger.OpenTaskAccount(ctx, tx, a.ID, p.ID, t.ID, t.Budget); err != nil {
			return err
		}
		if actor != p.Holder {
			if err := recordBoard(ctx, tx, a.ID, by, "task.add", t.Name, map[string]any{"project": p.Name}); err != nil {
				return err
			}
		}
		out = taskFrom(t)
		return s.publishTask(ctx, tx, "Create", t.ID)
	})
	if err != nil {
		return Task{}, fmt.Errorf("add a task to project %s: %w", project, err)
	}
	return out, nil
}

// Task returns the task id.
func (s *Service) Task(ctx context.Context, id uuid.UUID) (Task, error) {
	row, err := s.db.Tasks().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Task{}, ErrNoSuchTask
	}
	if err != nil {
		return Task{}, err
	}
	return taskFrom(row), nil
}

// Tasks lists the tasks of project, oldest first.
func (s *Service) Tasks(ctx context.Context, project uuid.UUID) ([]Task, error) {
	rows, err := s.db.Tasks().OfProject(ctx, project)
	if err != nil {
		return nil, err
	}
	out := make([]Task, len(rows))
	for i, r := range rows {
		out[i] = taskFrom(r)
	}
	return out, nil
}

// lockTask locks task id for the rest of the transaction.
func lockTask(ctx context.Context, tx store.Tx, id uuid.UUID) (store.Task, error) {
	t, err := tx.Tasks().ByIDForUpdate(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Task{}, ErrNoSuchTask
	}
	return t, err
}

// OpenTask opens a draft task, as the project holder or the board.
func (s *Service) OpenTask(ctx context.Context, by membership.Account, id uuid.UUID) (Task, error) {
	return s.moveTask(ctx, by, id, TaskDraft, TaskOpen, ErrTaskNotDraft)
}

// CancelTask cancels an open (or draft) task, as the project holder or the
// board.
func (s *Service) CancelTask(ctx context.Context, by membership.Account, id uuid.UUID) (Task, error) {
	return s.moveTask(ctx, by, id, TaskOpen, TaskCancelled, ErrTaskNotOpen)
}

func (s *Service) moveTask(ctx context.Context, by membership.Account, id uuid.UUID, from, to string, refusal error) (Task, error) {
	var out Task
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		t, err := lockTask(ctx, tx, id)
		if err != nil {
			return err
		}
		p, actor, err := s.holderOrBoard(ctx, tx, by, t.ProjectID)
		if err != nil {
			return err
		}
		if t.Status == TaskDraft && to == TaskCancelled {
			from = TaskDraft
		}
		now := s.now()
		ok, err := tx.Tasks().SetStatus(ctx, id, from, to, "", nil, now)
		if err != nil {
			return err
		}
		if !ok {
			return refusal
		}
		if to == TaskCancelled {
			if err := s.ledger.CloseTaskAccount(ctx, tx, id); err != nil {
				return err
			}
		}
		if actor != p.Holder {
			action := "task.open"
			if to == TaskCancelled {
				action = "task.cancel"
			}
			if err := recordBoard(ctx, tx, t.AssociationID, by, action, t.Name, nil); err != nil {
				return err
			}
		}
		wasDraft := t.Status == TaskDraft
		t.Status, t.UpdatedAt = to, now
		out = taskFrom(t)
		switch {
		case to == TaskOpen:
			// Others hear of a task when it opens.
			return s.publishTask(ctx, tx, "Create", id)
		case wasDraft:
			return nil // a cancelled draft was never published
		}
		return s.publishTask(ctx, tx, "Update", id)
	})
	if err != nil {
		return Task{}, fmt.Errorf("task %s to %s: %w", id, to, err)
	}
	return out, nil
}

// CatalogueQuery selects tasks of the catalogue. MinBudget and MaxBudget
// are decimal amounts (empty: no bound), compared in minor units.
type CatalogueQuery struct {
	// Association, when set, keeps the tasks of the association by that
	// name; its currency is then the budget bounds' currency.
	Association string
	Status      string
	Category    string
	Tag         string
	Place       string
	MinBudget   string
	MaxBudget   string
	Currency    string // of the budget bounds; EUR when empty
	Cursor      uuid.UUID
	Limit       int
}

// Catalogue lists the local tasks q selects, newest first, limit at a
// time after the cursor.
func (s *Service) Catalogue(ctx context.Context, q CatalogueQuery) (list []Task, next uuid.UUID, err error) {
	f, _, err := s.catalogueFilter(ctx, q)
	if err != nil {
		return nil, uuid.Nil, err
	}
	limit := clampLimit(q.Limit)
	f.Limit = limit + 1
	rows, err := s.db.Tasks().Catalogue(ctx, f)
	if err != nil {
		return nil, uuid.Nil, fmt.Errorf("task catalogue: %w", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	for _, r := range rows {
		list = append(list, taskFrom(r))
	}
	return list, next, nil
}

// catalogueFilter checks q and returns the store's filter and the currency
// of its budget bounds (the association's, when q names one).
func (s *Service) catalogueFilter(ctx context.Context, q CatalogueQuery) (store.CatalogueFilter, string, error) {
	var fe fieldErrors
	f := store.CatalogueFilter{Status: q.Status, Category: q.Category, MaxBudget: -1, Before: q.Cursor}
	if f.Status != "" && !slices.Contains(TaskStatuses, f.Status) {
		fe.Add("status", "invalid-choice", "must be one of "+strings.Join(TaskStatuses, ", "))
	}
	if f.Category != "" && !slices.Contains(Categories, f.Category) {
		fe.Add("category", "invalid-choice", "must be one of "+strings.Join(Categories, ", "))
	}
	if q.Tag != "" {
		tags := normalizeTags([]string{q.Tag}, &fe)
		if len(tags) == 1 {
			f.Tag = tags[0]
		}
	}
	f.Place = strings.ToLower(fe.Text("place", q.Place, MaxPlace, false))
	cur := q.Currency
	if q.Association != "" {
		a, err := associationByName(ctx, s.db.Tx, q.Association)
		if err != nil {
			return store.CatalogueFilter{}, "", err
		}
		f.Association, cur = a.ID, a.Settings.Currency
	}
	if cur == "" {
		cur = "EUR"
	}
	for _, b := range []struct {
		field string
		in    string
		out   *int64
	}{{"min_budget", q.MinBudget, &f.MinBudget}, {"max_budget", q.MaxBudget, &f.MaxBudget}} {
		if b.in == "" {
			continue
		}
		n, err := money.Parse(b.in, cur)
		if err != nil {
			fe.Add(b.field, "invalid-amount", "must be an amount such as \"100.00\"")
			continue
		}
		*b.out = n
	}
	return f, cur, fe.Err()
}

// TasksPage lists the tasks of project, oldest first, limit at a time after
// the cursor; ErrNoSuchProject when there is no such project.
func (s *Service) TasksPage(ctx context.Context, project, after uuid.UUID, limit int) (list []Task, next uuid.UUID, err error) {
	if _, err := s.db.Projects().ByID(ctx, project); errors.Is(err, store.ErrNotFound) {
		return nil, uuid.Nil, ErrNoSuchProject
	} else if err != nil {
		return nil, uuid.Nil, fmt.Errorf("tasks of project %s: %w", project, err)
	}
	limit = clampLimit(limit)
	rows, err := s.db.Tasks().OfProjectAfter(ctx, project, after, limit+1)
	if err != nil {
		return nil, uuid.Nil, fmt.Errorf("tasks of project %s: %w", project, err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	for _, r := range rows {
		list = append(list, taskFrom(r))
	}
	return list, next, nil
}
