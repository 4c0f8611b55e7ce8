package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Submission is work delivered for a task. Links is a JSON array.
type Submission struct {
	bun.BaseModel `bun:"table:submissions"`

	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	TaskID        uuid.UUID  `bun:"task_id,type:uuid"`
	By            string     `bun:"by_actor"`
	ReservationID *uuid.UUID `bun:"reservation_id,type:uuid"`
	Text          string     `bun:"text"`
	Links         string     `bun:"links"`
	Status        string     `bun:"status"`
	SubmittedAt   time.Time  `bun:"submitted_at"`
	ReviewedAt    *time.Time `bun:"reviewed_at"`
	// URI is the submission's id on the instance that hosts it, when that
	// is another one; "" for work submitted here.
	URI string `bun:"uri"`
}

// Review is the decision on a submission. Criteria is a JSON array of the
// reviewer's check of each done criterion.
type Review struct {
	bun.BaseModel `bun:"table:reviews"`

	ID           uuid.UUID `bun:"id,pk,type:uuid"`
	SubmissionID uuid.UUID `bun:"submission_id,type:uuid"`
	Reviewer     string    `bun:"reviewer"`
	Verdict      string    `bun:"verdict"`
	Criteria     string    `bun:"criteria"`
	Comment      string    `bun:"comment"`
	Outcome      string    `bun:"outcome"`
	Value        int64     `bun:"value"`
	ReviewedAt   time.Time `bun:"reviewed_at"`
}

// Submissions reads and writes submissions and their reviews.
type Submissions struct{ tx Tx }

// Submissions returns the submission repository.
func (t Tx) Submissions() Submissions { return Submissions{t} }

// Create inserts s.
func (r Submissions) Create(ctx context.Context, s *Submission) error {
	_, err := r.tx.idb.NewInsert().Model(s).Exec(ctx)
	return wrapWrite(err, "create submission")
}

// ByID returns the submission id.
func (r Submissions) ByID(ctx context.Context, id uuid.UUID) (Submission, error) {
	var s Submission
	if err := r.tx.idb.NewSelect().Model(&s).Where("id = ?", id).Scan(ctx); err != nil {
		return Submission{}, notFound(err, "submission "+id.String())
	}
	return s, nil
}

// OfTask lists the submissions of task, oldest first.
func (r Submissions) OfTask(ctx context.Context, task uuid.UUID) ([]Submission, error) {
	var list []Submission
	if err := r.tx.idb.NewSelect().Model(&list).Where("task_id = ?", task).OrderExpr("id").Scan(ctx); err != nil {
		return nil, notFound(err, "submissions of a task")
	}
	return list, nil
}

// Decide moves the pending submission id to status; false, changing
// nothing, when it was already decided.
func (r Submissions) Decide(ctx context.Context, id uuid.UUID, status string, at time.Time) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*Submission)(nil)).
		Set("status = ?", status).Set("reviewed_at = ?", at).
		Where("id = ?", id).Where("status = ?", "pending").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "decide submission")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, wrapWrite(err, "decide submission")
	}
	return n == 1, nil
}

// AddReview inserts rv; ErrDuplicate when the submission has one already.
func (r Submissions) AddReview(ctx context.Context, rv *Review) error {
	_, err := r.tx.idb.NewInsert().Model(rv).Exec(ctx)
	return wrapWrite(err, "record review")
}

// Review returns the review of submission.
func (r Submissions) Review(ctx context.Context, submission uuid.UUID) (Review, error) {
	var rv Review
	if err := r.tx.idb.NewSelect().Model(&rv).Where("submission_id = ?", submission).Scan(ctx); err != nil {
		return Review{}, notFound(err, "review of submission "+submission.String())
	}
	return rv, nil
}

// VerifiedWork is one accepted submission with its task, for recognition.
type VerifiedWork struct {
	TaskID     uuid.UUID `bun:"task_id,type:uuid"`
	TaskName   string    `bun:"task_name"`
	ProjectID  uuid.UUID `bun:"project_id,type:uuid"`
	Outcome    string    `bun:"outcome"`
	Value      int64     `bun:"value"`
	Currency   string    `bun:"currency"`
	VerifiedAt time.Time `bun:"reviewed_at"`
}

// VerifiedWorkOf lists actor's accepted submissions, newest first.
func (r Submissions) VerifiedWorkOf(ctx context.Context, actor string, limit int) ([]VerifiedWork, error) {
	var list []VerifiedWork
	err := r.tx.idb.NewSelect().TableExpr("submissions AS s").
		ColumnExpr("s.task_id, t.name AS task_name, t.project_id, rv.outcome, rv.value, t.currency, rv.reviewed_at").
		Join("JOIN reviews AS rv ON rv.submission_id = s.id").
		Join("JOIN tasks AS t ON t.id = s.task_id").
		Where("s.by_actor = ?", actor).Where("s.status = ?", "accepted").
		OrderExpr("s.id DESC").Limit(int64(limit)).Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "verified work")
	}
	return list, nil
}
