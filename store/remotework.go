package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// ByOffer returns the project a remote actor proposed with the Offer
// activity offer.
func (r Projects) ByOffer(ctx context.Context, offer string) (Project, error) {
	var p Project
	if err := r.tx.idb.NewSelect().Model(&p).Where("offer_activity = ?", offer).Scan(ctx); err != nil {
		return Project{}, notFound(err, "project offered by "+offer)
	}
	return p, nil
}

// ByOffer returns the reservation a remote actor made with the Offer
// activity offer.
func (r Reservations) ByOffer(ctx context.Context, offer string) (Reservation, error) {
	var res Reservation
	if err := r.tx.idb.NewSelect().Model(&res).Where("offer_activity = ?", offer).Scan(ctx); err != nil {
		return Reservation{}, notFound(err, "reservation offered by "+offer)
	}
	return res, nil
}

// ByURI returns the submission hosted elsewhere under uri.
func (r Submissions) ByURI(ctx context.Context, uri string) (Submission, error) {
	var s Submission
	if err := r.tx.idb.NewSelect().Model(&s).Where("uri = ?", uri).Where("uri <> ''").Scan(ctx); err != nil {
		return Submission{}, notFound(err, "submission "+uri)
	}
	return s, nil
}

// States of a local person's work on a task of another instance.
const (
	RemotePending  = "pending"  // offered, not yet answered
	RemoteActive   = "active"   // accepted by the association
	RemoteRejected = "rejected" // refused by the association
	RemoteReleased = "released" // given up by the person
	RemoteDone     = "completed"
)

// RemoteReservation is a local person's reservation of a task that an
// association on another instance owns.
type RemoteReservation struct {
	bun.BaseModel `bun:"table:remote_reservations"`

	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	TaskURI       string    `bun:"task_uri"`
	TaskName      string    `bun:"task_name"`
	Association   string    `bun:"association"`
	Actor         string    `bun:"actor"`
	OfferActivity string    `bun:"offer_activity"`
	Deadline      time.Time `bun:"deadline"`
	Status        string    `bun:"status"`
	Reason        string    `bun:"reason"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// RemoteReservations reads and writes local persons' reservations of
// tasks elsewhere.
type RemoteReservations struct{ tx Tx }

// RemoteReservations returns the repository of reservations of tasks
// elsewhere.
func (t Tx) RemoteReservations() RemoteReservations { return RemoteReservations{t} }

// Create inserts res; ErrDuplicate when the person already has a pending
// or active reservation of the task.
func (r RemoteReservations) Create(ctx context.Context, res *RemoteReservation) error {
	_, err := r.tx.idb.NewInsert().Model(res).Exec(ctx)
	return wrapWrite(err, "create reservation of a remote task")
}

// ByID returns the reservation id.
func (r RemoteReservations) ByID(ctx context.Context, id uuid.UUID) (RemoteReservation, error) {
	return r.one(ctx, "id = ?", id)
}

// ByOffer returns the reservation offered with the activity offer.
func (r RemoteReservations) ByOffer(ctx context.Context, offer string) (RemoteReservation, error) {
	return r.one(ctx, "offer_activity = ?", offer)
}

// Open returns actor's pending or active reservation of the task uri.
func (r RemoteReservations) Open(ctx context.Context, task, actor string) (RemoteReservation, error) {
	var res RemoteReservation
	err := r.tx.idb.NewSelect().Model(&res).Where("task_uri = ?", task).Where("actor = ?", actor).
		Where("status IN (?)", bun.In([]string{RemotePending, RemoteActive})).Scan(ctx)
	if err != nil {
		return RemoteReservation{}, notFound(err, "open reservation of "+task)
	}
	return res, nil
}

// Latest returns actor's newest reservation of the task uri, whatever its
// state.
func (r RemoteReservations) Latest(ctx context.Context, task, actor string) (RemoteReservation, error) {
	var res RemoteReservation
	err := r.tx.idb.NewSelect().Model(&res).Where("task_uri = ?", task).Where("actor = ?", actor).
		OrderExpr("id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return RemoteReservation{}, notFound(err, "reservation of "+task)
	}
	return res, nil
}

func (r RemoteReservations) one(ctx context.Context, where string, arg any) (RemoteReservation, error) {
	var res RemoteReservation
	if err := r.tx.idb.NewSelect().Model(&res).Where(where, arg).Scan(ctx); err != nil {
		return RemoteReservation{}, notFound(err, "reservation of a remote task")
	}
	return res, nil
}

// Move changes reservation id from state from to state to with reason;
// false, changing nothing, when it is no longer in from.
func (r RemoteReservations) Move(ctx context.Context, id uuid.UUID, from, to, reason string, at time.Time) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*RemoteReservation)(nil)).
		Set("status = ?", to).Set("reason = ?", reason).Set("updated_at = ?", at).
		Where("id = ?", id).Where("status = ?", from).Exec(ctx)
	return affected(res, err, "change reservation of a remote task")
}

// RemoteSubmission is work a local person delivered for a task of another
// instance, hosted here. Links and Checks are JSON arrays.
type RemoteSubmission struct {
	bun.BaseModel `bun:"table:remote_submissions"`

	ID             uuid.UUID  `bun:"id,pk,type:uuid"`
	TaskURI        string     `bun:"task_uri"`
	TaskName       string     `bun:"task_name"`
	Association    string     `bun:"association"`
	By             string     `bun:"by_actor"`
	ReservationID  *uuid.UUID `bun:"reservation_id,type:uuid"`
	Text           string     `bun:"text"`
	Links          string     `bun:"links"`
	Status         string     `bun:"status"`
	Checks         string     `bun:"checks"`
	Verdict        string     `bun:"verdict"`
	PayoutURI      string     `bun:"payout_uri"`
	PayoutAmount   int64      `bun:"payout_amount"`
	PayoutCurrency string     `bun:"payout_currency"`
	SubmittedAt    time.Time  `bun:"submitted_at"`
	ReviewedAt     *time.Time `bun:"reviewed_at"`
}

// RemoteSubmissions reads and writes work delivered for tasks elsewhere.
type RemoteSubmissions struct{ tx Tx }

// RemoteSubmissions returns the repository of work delivered for tasks
// elsewhere.
func (t Tx) RemoteSubmissions() RemoteSubmissions { return RemoteSubmissions{t} }

// Create inserts s.
func (r RemoteSubmissions) Create(ctx context.Context, s *RemoteSubmission) error {
	_, err := r.tx.idb.NewInsert().Model(s).Exec(ctx)
	return wrapWrite(err, "create submission for a remote task")
}

// ByID returns the submission id.
func (r RemoteSubmissions) ByID(ctx context.Context, id uuid.UUID) (RemoteSubmission, error) {
	var s RemoteSubmission
	if err := r.tx.idb.NewSelect().Model(&s).Where("id = ?", id).Scan(ctx); err != nil {
		return RemoteSubmission{}, notFound(err, "submission for a remote task "+id.String())
	}
	return s, nil
}

// OfTask lists actor's submissions for the task uri, oldest first.
func (r RemoteSubmissions) OfTask(ctx context.Context, task, actor string) ([]RemoteSubmission, error) {
	var list []RemoteSubmission
	err := r.tx.idb.NewSelect().Model(&list).Where("task_uri = ?", task).Where("by_actor = ?", actor).
		OrderExpr("id").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "submissions for "+task)
	}
	return list, nil
}

// Decide records the association's verdict on the pending submission id;
// false, changing nothing, when it was decided already.
func (r RemoteSubmissions) Decide(ctx context.Context, id uuid.UUID, status, checks, verdict string, at time.Time) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*RemoteSubmission)(nil)).
		Set("status = ?", status).Set("checks = ?", checks).Set("verdict = ?", verdict).Set("reviewed_at = ?", at).
		Where("id = ?", id).Where("status = ?", "pending").Exec(ctx)
	return affected(res, err, "record the verdict on a submission")
}

// RecordPayout records the payout the association announced for the
// accepted submission id, once; false when one is recorded already.
func (r RemoteSubmissions) RecordPayout(ctx context.Context, id uuid.UUID, uri string, amount int64, currency string) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*RemoteSubmission)(nil)).
		Set("payout_uri = ?", uri).Set("payout_amount = ?", amount).Set("payout_currency = ?", currency).
		Where("id = ?", id).Where("payout_uri = ''").Exec(ctx)
	return affected(res, err, "record a payout")
}

// affected reports whether a conditional UPDATE changed exactly one row.
func affected(res sql.Result, err error, what string) (bool, error) {
	if err != nil {
		return false, wrapWrite(err, what)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, wrapWrite(err, what)
	}
	return n == 1, nil
}

// RemoteReallocation is a local volunteer's offer to reallocate the budget
// of a task elsewhere. Parts is a JSON array.
type RemoteReallocation struct {
	bun.BaseModel `bun:"table:remote_reallocations"`

	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	TaskURI       string    `bun:"task_uri"`
	Association   string    `bun:"association"`
	Actor         string    `bun:"actor"`
	OfferActivity string    `bun:"offer_activity"`
	Parts         string    `bun:"parts"`
	Currency      string    `bun:"currency"`
	Status        string    `bun:"status"`
	Reason        string    `bun:"reason"`
	Transaction   string    `bun:"transaction_uri"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// RemoteReallocations reads and writes volunteers' offers to reallocate
// budgets elsewhere.
type RemoteReallocations struct{ tx Tx }

// RemoteReallocations returns their repository.
func (t Tx) RemoteReallocations() RemoteReallocations { return RemoteReallocations{t} }

// Create inserts r.
func (r RemoteReallocations) Create(ctx context.Context, re *RemoteReallocation) error {
	_, err := r.tx.idb.NewInsert().Model(re).Exec(ctx)
	return wrapWrite(err, "create reallocation offer")
}

// ByOffer returns the reallocation offered with the activity offer.
func (r RemoteReallocations) ByOffer(ctx context.Context, offer string) (RemoteReallocation, error) {
	var re RemoteReallocation
	if err := r.tx.idb.NewSelect().Model(&re).Where("offer_activity = ?", offer).Scan(ctx); err != nil {
		return RemoteReallocation{}, notFound(err, "reallocation offered by "+offer)
	}
	return re, nil
}

// OfTask lists actor's reallocation offers of the task uri, oldest first.
func (r RemoteReallocations) OfTask(ctx context.Context, task, actor string) ([]RemoteReallocation, error) {
	var list []RemoteReallocation
	err := r.tx.idb.NewSelect().Model(&list).Where("task_uri = ?", task).Where("actor = ?", actor).OrderExpr("id").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "reallocations of "+task)
	}
	return list, nil
}

// Answer records the association's answer to the pending offer id; false
// when it was answered already.
func (r RemoteReallocations) Answer(ctx context.Context, id uuid.UUID, status, reason, transaction string, at time.Time) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*RemoteReallocation)(nil)).
		Set("status = ?", status).Set("reason = ?", reason).Set("transaction_uri = ?", transaction).Set("updated_at = ?", at).
		Where("id = ?", id).Where("status = ?", RemotePending).Exec(ctx)
	return affected(res, err, "answer a reallocation offer")
}

// ReallocationOffer links a volunteer's Offer to the reallocation it made.
type ReallocationOffer struct {
	bun.BaseModel `bun:"table:reallocation_offers"`

	OfferActivity string    `bun:"offer_activity,pk"`
	TransactionID uuid.UUID `bun:"transaction_id,type:uuid"`
}

// AddReallocationOffer records that the Offer made the reallocation.
func (r RemoteReallocations) AddReallocationOffer(ctx context.Context, o *ReallocationOffer) error {
	_, err := r.tx.idb.NewInsert().Model(o).Exec(ctx)
	return wrapWrite(err, "record reallocation offer")
}

// ReallocationOf returns the reallocation made by the Offer offer.
func (r RemoteReallocations) ReallocationOf(ctx context.Context, offer string) (ReallocationOffer, error) {
	var o ReallocationOffer
	if err := r.tx.idb.NewSelect().Model(&o).Where("offer_activity = ?", offer).Scan(ctx); err != nil {
		return ReallocationOffer{}, notFound(err, "reallocation of "+offer)
	}
	return o, nil
}
