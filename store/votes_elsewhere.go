package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// States of what a local person sent to an association elsewhere to
// count: a ballot or voting instructions.
const (
	SentPending  = "pending"  // sent, not yet answered
	SentAccepted = "accepted" // the association counts it
	SentRejected = "rejected" // the association refused it (refusal says why)
)

// RemoteBallot is a local person's last ballot on one phase of a proposal
// of an association elsewhere. Scores is a JSON array of
// {"option", "score"}.
type RemoteBallot struct {
	bun.BaseModel `bun:"table:remote_ballots"`

	ID          uuid.UUID `bun:"id,pk,type:uuid"`
	AccountID   uuid.UUID `bun:"account_id,type:uuid"`
	Actor       string    `bun:"actor"`
	Association string    `bun:"association"`
	Proposal    string    `bun:"proposal"`
	Phase       string    `bun:"phase"`
	Position    string    `bun:"position"`
	Scores      string    `bun:"scores"`
	Reason      string    `bun:"reason"`
	Activity    string    `bun:"activity"`
	Status      string    `bun:"status"`
	Refusal     string    `bun:"refusal"`
	CreatedAt   time.Time `bun:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at"`
}

// RemoteDelegation is a local person's instruction for one scope in an
// association elsewhere. Delegates is a JSON array of {"actor"} and
// {"role"}.
type RemoteDelegation struct {
	bun.BaseModel `bun:"table:remote_delegations"`

	ID          uuid.UUID `bun:"id,pk,type:uuid"`
	AccountID   uuid.UUID `bun:"account_id,type:uuid"`
	Actor       string    `bun:"actor"`
	Association string    `bun:"association"`
	Scope       string    `bun:"scope"`
	Delegates   string    `bun:"delegates"`
	Activity    string    `bun:"activity"`
	Status      string    `bun:"status"`
	Refusal     string    `bun:"refusal"`
	CreatedAt   time.Time `bun:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at"`
}

// VotesElsewhere reads and writes what local persons sent to associations
// elsewhere to count.
type VotesElsewhere struct{ tx Tx }

// VotesElsewhere returns the repository of ballots and instructions sent
// elsewhere.
func (t Tx) VotesElsewhere() VotesElsewhere { return VotesElsewhere{t} }

// SaveBallot inserts b, or replaces the row of the same actor, proposal
// and phase (keeping its id and creation time, which b receives).
func (r VotesElsewhere) SaveBallot(ctx context.Context, b *RemoteBallot) error {
	_, err := r.tx.idb.NewInsert().Model(b).
		On("CONFLICT (actor, proposal, phase) DO UPDATE").
		Set("position = EXCLUDED.position, scores = EXCLUDED.scores, reason = EXCLUDED.reason").
		Set("activity = EXCLUDED.activity, status = EXCLUDED.status, refusal = EXCLUDED.refusal").
		Set("updated_at = EXCLUDED.updated_at").
		Returning("id, created_at").Exec(ctx)
	return wrapWrite(err, "save ballot sent elsewhere")
}

// Ballot returns actor's ballot on phase of proposal.
func (r VotesElsewhere) Ballot(ctx context.Context, actor, proposal, phase string) (RemoteBallot, error) {
	var b RemoteBallot
	err := r.tx.idb.NewSelect().Model(&b).Where("actor = ?", actor).Where("proposal = ?", proposal).
		Where("phase = ?", phase).Scan(ctx)
	if err != nil {
		return RemoteBallot{}, notFound(err, "ballot sent elsewhere")
	}
	return b, nil
}

// Ballots lists actor's ballots on proposal, in the order of their phases
// (consensus before value_vote).
func (r VotesElsewhere) Ballots(ctx context.Context, actor, proposal string) ([]RemoteBallot, error) {
	var list []RemoteBallot
	err := r.tx.idb.NewSelect().Model(&list).Where("actor = ?", actor).Where("proposal = ?", proposal).
		OrderExpr("phase ASC").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "ballots sent elsewhere")
	}
	return list, nil
}

// SaveDelegation inserts d, or replaces the row of the same actor,
// association and scope (keeping its id and creation time, which d
// receives).
func (r VotesElsewhere) SaveDelegation(ctx context.Context, d *RemoteDelegation) error {
	_, err := r.tx.idb.NewInsert().Model(d).
		On("CONFLICT (actor, association, scope) DO UPDATE").
		Set("delegates = EXCLUDED.delegates, activity = EXCLUDED.activity").
		Set("status = EXCLUDED.status, refusal = EXCLUDED.refusal, updated_at = EXCLUDED.updated_at").
		Returning("id, created_at").Exec(ctx)
	return wrapWrite(err, "save delegation sent elsewhere")
}

// Delegations lists actor's instructions in association, by scope.
func (r VotesElsewhere) Delegations(ctx context.Context, actor, association string) ([]RemoteDelegation, error) {
	var list []RemoteDelegation
	err := r.tx.idb.NewSelect().Model(&list).Where("actor = ?", actor).Where("association = ?", association).
		OrderExpr("scope ASC").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "delegations sent elsewhere")
	}
	return list, nil
}

// Answer records the association's answer to the activity sent: accepted,
// or rejected with refusal. It reports false when the activity is no
// ballot's nor delegation's sent from here as last sent (an answer to an
// older one changes nothing), or from is not the association it was sent
// to.
func (r VotesElsewhere) Answer(ctx context.Context, activity, from, status, refusal string, at time.Time) (bool, error) {
	for _, model := range []any{(*RemoteBallot)(nil), (*RemoteDelegation)(nil)} {
		res, err := r.tx.idb.NewUpdate().Model(model).
			Set("status = ?", status).Set("refusal = ?", refusal).Set("updated_at = ?", at).
			Where("activity = ?", activity).Where("association = ?", from).Exec(ctx)
		if done, err := affected(res, err, "answer to "+activity); err != nil || done {
			return done, err
		}
	}
	return false, nil
}
