package projects

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// RemoteSubmission is work a local person delivered for a task elsewhere,
// hosted here: its id on the wire is this instance's
// /submissions/{ID}. The association's verdict and payout are recorded as
// they come back.
type RemoteSubmission struct {
	ID            uuid.UUID
	URI           string
	Task          string // the task's id on the wire
	TaskName      string
	Association   string
	By            string
	ReservationID *uuid.UUID // the reservation it was delivered under, if any
	Text          string
	Links         []string
	Status        string // pending, accepted, rejected
	Checks        []CheckedCriterion
	Verdict       string // the association's summary, or why it refused the work
	SubmittedAt   time.Time
	ReviewedAt    *time.Time
	// Payout is the payout the association recorded for this work; nil
	// until it says so.
	Payout *ReceivedPayout
}

// ReceivedPayout is a payout an association elsewhere recorded for work
// delivered from here.
type ReceivedPayout struct {
	Transaction string // its id on the wire
	Amount      int64  // minor units of Currency
	Currency    string
}

// checkJSON is a CheckedCriterion as stored.
type checkJSON struct {
	Criterion string `json:"criterion"`
	Met       bool   `json:"met"`
	Comment   string `json:"comment,omitempty"`
}

func (s *Service) remoteSubmissionFrom(r store.RemoteSubmission) RemoteSubmission {
	out := RemoteSubmission{ID: r.ID, URI: s.policy.BaseURL + "/submissions/" + r.ID.String(), Task: r.TaskURI,
		TaskName: r.TaskName, Association: r.Association, By: r.By, ReservationID: r.ReservationID, Text: r.Text,
		Links: decodeList(r.Links), Status: r.Status, Checks: []CheckedCriterion{}, Verdict: r.Verdict,
		SubmittedAt: r.SubmittedAt, ReviewedAt: r.ReviewedAt}
	var checks []checkJSON
	_ = json.Unmarshal([]byte(r.Checks), &checks)
	for _, c := range checks {
		out.Checks = append(out.Checks, CheckedCriterion{Criterion: c.Criterion, Met: c.Met, Comment: c.Comment})
	}
	if r.PayoutURI != "" {
		out.Payout = &ReceivedPayout{Transaction: r.PayoutURI, Amount: r.PayoutAmount, Currency: r.PayoutCurrency}
	}
	return out
}

// SubmitRemote delivers by's work for a task elsewhere: the submission is
// hosted here and its Create sent to the association (§5.3), which
// records it by its own rules (the holder of the reservation, or anyone
// while the task is open) and answers with its verdict.
func (s *Service) SubmitRemote(ctx context.Context, by membership.Account, task RemoteTask, text string, links []string) (RemoteSubmission, error) {
	var fe fieldErrors
	text = fe.Text("text", text, MaxSubmission, true)
	links = fe.URIs("links", links, 0, MaxLinks)
	if err := fe.Err(); err != nil {
		return RemoteSubmission{}, err
	}
	if !core.IsHTTPURL(task.URI) || !core.IsHTTPURL(task.Association) {
		return RemoteSubmission{}, ErrNoSuchTask
	}
	var out RemoteSubmission
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		row := store.RemoteSubmission{ID: newID(), TaskURI: task.URI, TaskName: line(task.Name, MaxTaskName),
			Association: task.Association, By: actor, Text: text, Links: encodeList(links), Status: SubmissionPending,
			Checks: "[]", SubmittedAt: s.now()}
		res, err := tx.RemoteReservations().Open(ctx, task.URI, actor)
		switch {
		case err == nil && res.Status == store.RemoteActive:
			row.ReservationID = &res.ID
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
		if err := tx.RemoteSubmissions().Create(ctx, &row); err != nil {
			return err
		}
		out = s.remoteSubmissionFrom(row)
		return s.send(ctx, tx, Message{Type: MessageCreate, From: actor, To: task.Association,
			Submission: &DeliveredWork{Submission: out}})
	})
	if err != nil {
		return RemoteSubmission{}, fmt.Errorf("submit work for %s: %w", task.URI, err)
	}
	return out, nil
}

// HostedSubmission returns the submission id hosted here for a task
// elsewhere; ErrNoSuchSubmission when there is none.
func (s *Service) HostedSubmission(ctx context.Context, id uuid.UUID) (RemoteSubmission, error) {
	row, err := s.db.RemoteSubmissions().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return RemoteSubmission{}, ErrNoSuchSubmission
	}
	if err != nil {
		return RemoteSubmission{}, err
	}
	return s.remoteSubmissionFrom(row), nil
}

// RemoteSubmissionsOf lists actor's submissions for the task elsewhere,
// oldest first.
func (s *Service) RemoteSubmissionsOf(ctx context.Context, actor, task string) ([]RemoteSubmission, error) {
	rows, err := s.db.RemoteSubmissions().OfTask(ctx, task, actor)
	if err != nil {
		return nil, err
	}
	out := make([]RemoteSubmission, len(rows))
	for i, r := range rows {
		out[i] = s.remoteSubmissionFrom(r)
	}
	return out, nil
}

// hosted returns the submission hosted here whose id on the wire is uri,
// locked for the transaction's change; ErrNotOurs for any other.
func (s *Service) hosted(ctx context.Context, tx store.Tx, uri string) (store.RemoteSubmission, error) {
	id, ok := s.localID("submissions", uri)
	if !ok {
		return store.RemoteSubmission{}, ErrNotOurs
	}
	row, err := tx.RemoteSubmissions().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.RemoteSubmission{}, ErrNotOurs
	}
	return row, err
}

// ReceiveVerdict records the association's verdict on work delivered from
// here (§5.3): accepted, the reservation it was delivered under is
// completed; rejected (by its reviewers, or refused outright), the reason
// is kept. Only the association the work went to may give it, once.
// ErrNotOurs when submission is not hosted here.
func (s *Service) ReceiveVerdict(ctx context.Context, from, submission string, accepted bool, checks []CheckedCriterion, reason string) error {
	if len(checks) > MaxCriteria {
		checks = checks[:MaxCriteria]
	}
	stored := make([]checkJSON, len(checks))
	for i, c := range checks {
		stored[i] = checkJSON{Criterion: line(c.Criterion, MaxCriterion), Met: c.Met, Comment: line(c.Comment, MaxCriterionRem)}
	}
	encoded, _ := json.Marshal(stored)
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := s.hosted(ctx, tx, submission)
		if err != nil {
			return err
		}
		if row.Association != from {
			return ErrNotAssociation
		}
		status := SubmissionAccepted
		if !accepted {
			status = SubmissionRejected
		}
		now := s.now()
		ok, err := tx.RemoteSubmissions().Decide(ctx, row.ID, status, string(encoded), line(reason, MaxRefusal), now)
		if err != nil || !ok || !accepted || row.ReservationID == nil {
			return err
		}
		_, err = tx.RemoteReservations().Move(ctx, *row.ReservationID, store.RemoteActive, store.RemoteDone, "", now)
		return err
	})
	if err != nil {
		return fmt.Errorf("receive the verdict on %s: %w", submission, err)
	}
	return nil
}

// ReceivePayout records the payout an association elsewhere announces for
// work delivered from here. It never touches this instance's ledger: the
// money is the association's, and its ledger is on its instance. Only the
// association the work went to may announce it, to its completer, for
// work it has not rejected. ErrNotOurs when the cause is not a
// submission hosted here.
func (s *Service) ReceivePayout(ctx context.Context, from string, n PayoutNotice, uri string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := s.hosted(ctx, tx, n.Cause)
		if err != nil {
			return err
		}
		if row.Association != from || n.Association != from {
			return ErrNotAssociation
		}
		// The payout may arrive before the verdict: both are sent at once.
		if n.Payee != row.By || row.Status == SubmissionRejected || n.Amount <= 0 || !core.IsHTTPURL(uri) {
			return ErrNotOurs
		}
		_, err = tx.RemoteSubmissions().RecordPayout(ctx, row.ID, uri, n.Amount, n.Currency)
		return err
	})
	if err != nil {
		return fmt.Errorf("receive the payout for %s: %w", n.Cause, err)
	}
	return nil
}
