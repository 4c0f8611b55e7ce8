package governance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// On the member's instance: a local person votes on the proposals of an
// association elsewhere they are a member of, and gives it voting
// instructions. What they send waits for the association's answer.

// States of a ballot or a delegation sent elsewhere.
const (
	SentPending  = store.SentPending
	SentAccepted = store.SentAccepted
	SentRejected = store.SentRejected
)

// SentBallot is a local person's last ballot on one phase of a proposal
// elsewhere. URI is the ballot's id on the wire; Activity the Create or
// Update that last carried it.
type SentBallot struct {
	ID          uuid.UUID
	URI         string
	Voter       string
	Association string
	Proposal    string
	Phase       string
	Position    string
	Scores      []NamedScore
	Reason      string // the voter's
	Activity    string
	Status      string
	Refusal     string // the association's reason for refusing it
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (s *Service) sentBallotFrom(r store.RemoteBallot) (SentBallot, error) {
	b := SentBallot{ID: r.ID, URI: s.policy.BaseURL + "/ballots/" + r.ID.String(), Voter: r.Actor, Association: r.Association,
		Proposal: r.Proposal, Phase: r.Phase, Position: r.Position, Reason: r.Reason, Activity: r.Activity,
		Status: r.Status, Refusal: r.Refusal, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if err := json.Unmarshal([]byte(r.Scores), &b.Scores); err != nil {
		return SentBallot{}, fmt.Errorf("scores of ballot %s: %w", r.ID, err)
	}
	return b, nil
}

// SentDelegation is a local person's instruction for one scope (a
// category, or "" for every category) in an association elsewhere, empty
// Delegates once withdrawn.
type SentDelegation struct {
	ID          uuid.UUID
	URI         string
	Member      string
	Association string
	Scope       string
	Delegates   []DelegateRef
	Activity    string
	Status      string
	Refusal     string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (s *Service) sentDelegationFrom(r store.RemoteDelegation) (SentDelegation, error) {
	d := SentDelegation{ID: r.ID, URI: s.policy.BaseURL + "/delegations/" + r.ID.String(), Member: r.Actor,
		Association: r.Association, Scope: r.Scope, Activity: r.Activity, Status: r.Status, Refusal: r.Refusal,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if err := json.Unmarshal([]byte(r.Delegates), &d.Delegates); err != nil {
		return SentDelegation{}, fmt.Errorf("delegates of %s: %w", r.ID, err)
	}
	return d, nil
}

// BallotElsewhere is a person's answer on a proposal elsewhere: a
// Position in the consensus round, or Scores (each option by its name, 0
// to MaxScore) in the value vote.
type BallotElsewhere struct {
	Position string
	Scores   []NamedScore
	Reason   string
}

// MaxOptionName bounds the name of an option scored elsewhere.
const MaxOptionName = 200

// VoteElsewhere sends by's ballot on proposal (its id on the wire) to the
// association elsewhere whose actor is association, which counts it: a
// Create the first time in a phase, an Update after. by must be an active
// member there, as this instance knows it; the association decides the
// rest and answers. The ballot is pending until it does.
func (s *Service) VoteElsewhere(ctx context.Context, by membership.Account, association, proposal string, in BallotElsewhere) (SentBallot, error) {
	phase, err := checkElsewhere(association, proposal, &in)
	if err != nil {
		return SentBallot{}, err
	}
	var out SentBallot
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := s.memberElsewhere(ctx, tx, by, association)
		if err != nil {
			return err
		}
		kind := MessageCreate
		if _, err := tx.VotesElsewhere().Ballot(ctx, me, proposal, phase); err == nil {
			kind = MessageUpdate
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		now := s.now()
		scores := in.Scores
		if scores == nil {
			scores = []NamedScore{}
		}
		row := store.RemoteBallot{ID: newID(), AccountID: by.ID, Actor: me, Association: association, Proposal: proposal,
			Phase: phase, Position: in.Position, Scores: encodeJSON(scores), Reason: in.Reason,
			Activity: s.policy.BaseURL + "/activities/" + newID().String(), Status: SentPending, CreatedAt: now, UpdatedAt: now}
		if err := tx.VotesElsewhere().SaveBallot(ctx, &row); err != nil {
			return err
		}
		if out, err = s.sentBallotFrom(row); err != nil {
			return err
		}
		return s.send(ctx, tx, Message{Type: kind, ID: row.Activity, From: me, To: association, Ballot: &out})
	})
	if err != nil {
		return SentBallot{}, fmt.Errorf("vote on %s: %w", proposal, err)
	}
	return out, nil
}

// checkElsewhere checks what can be checked here of a ballot on proposal
// of association, and returns its phase: consensus for a position,
// value_vote for scores.
func checkElsewhere(association, proposal string, in *BallotElsewhere) (string, error) {
	var fe fieldErrors
	if !core.IsHTTPURL(proposal) || !core.SameHost(proposal, association) {
		fe.Add("proposal", "proposal-elsewhere", "the proposal's id on its association's instance")
	}
	in.Reason = fe.Text("reason", in.Reason, MaxReason, false)
	phase := PhaseConsensus
	switch {
	case in.Position != "" && len(in.Scores) > 0:
		fe.Add("position", "position-or-scores", "give a position in the consensus round or scores in the value vote, not both")
	case in.Position == "" && len(in.Scores) == 0:
		fe.Add("position", "required", "give a position (agree, abstain or object) or scores")
	case in.Position != "" && positionCode(in.Position) == noChoice:
		fe.Add("position", "invalid-choice", "must be agree, abstain or object")
	case len(in.Scores) > MaxOptions:
		fe.Add("scores", "too-many", fmt.Sprintf("at most %d scores", MaxOptions))
	case len(in.Scores) > 0:
		phase = PhaseValueVote
		seen := map[string]bool{}
		for _, sc := range in.Scores {
			switch {
			case sc.Score < 0 || sc.Score > MaxScore:
				fe.Add("scores", "out-of-scale", fmt.Sprintf("each score is from 0 to %d", MaxScore))
			case strings.TrimSpace(sc.Option) == "" || len(sc.Option) > MaxOptionName || seen[sc.Option]:
				fe.Add("scores", "unknown-option", "each score names one option, once")
			}
			seen[sc.Option] = true
		}
	}
	return phase, fe.Err()
}

// memberElsewhere returns by's actor id when by is an active member of
// the association elsewhere whose actor is association.
func (s *Service) memberElsewhere(ctx context.Context, tx store.Tx, by membership.Account, association string) (string, error) {
	me, err := actorOf(ctx, tx, by)
	if err != nil {
		return "", err
	}
	m, err := tx.RemoteMemberships().Open(ctx, me, association)
	if errors.Is(err, store.ErrNotFound) || (err == nil && m.Status != membership.ElsewhereActive) {
		return "", ErrNotMemberThere
	}
	return me, err
}

// DelegateElsewhere sends by's voting instructions to the association
// elsewhere whose actor is association, one Delegation a scope: rules
// replaces them all, so a scope sent before and left out is sent again
// with no delegates (withdrawn). Each is pending until the association
// answers. Delegates are members there (their actor ids) or roles.
func (s *Service) DelegateElsewhere(ctx context.Context, by membership.Account, association string, rules []VotingRule) ([]SentDelegation, error) {
	rules, err := checkRules(rules)
	if err != nil {
		return nil, err
	}
	var out []SentDelegation
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := s.memberElsewhere(ctx, tx, by, association)
		if err != nil {
			return err
		}
		before, err := tx.VotesElsewhere().Delegations(ctx, me, association)
		if err != nil {
			return err
		}
		sent := map[string]bool{}
		for _, d := range before {
			sent[d.Scope] = d.Delegates != "[]"
		}
		for _, d := range before {
			if sent[d.Scope] && !slices.ContainsFunc(rules, func(r VotingRule) bool { return r.Scope == d.Scope }) {
				rules = append(rules, VotingRule{Scope: d.Scope}) // withdrawn
			}
		}
		now := s.now()
		for _, r := range rules {
			kind := MessageCreate
			if _, known := sent[r.Scope]; known {
				kind = MessageUpdate
			}
			delegates := r.Delegates
			if delegates == nil {
				delegates = []DelegateRef{}
			}
			row := store.RemoteDelegation{ID: newID(), AccountID: by.ID, Actor: me, Association: association, Scope: r.Scope,
				Delegates: encodeJSON(delegates), Activity: s.policy.BaseURL + "/activities/" + newID().String(),
				Status: SentPending, CreatedAt: now, UpdatedAt: now}
			if err := tx.VotesElsewhere().SaveDelegation(ctx, &row); err != nil {
				return err
			}
			d, err := s.sentDelegationFrom(row)
			if err != nil {
				return err
			}
			if err := s.send(ctx, tx, Message{Type: kind, ID: row.Activity, From: me, To: association, Delegation: &d}); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("delegate in %s: %w", association, err)
	}
	return out, nil
}

// BallotsElsewhere lists by's ballots on proposal, sent elsewhere, by
// phase.
func (s *Service) BallotsElsewhere(ctx context.Context, by membership.Account, proposal string) ([]SentBallot, error) {
	me, err := actorOf(ctx, s.db.Tx, by)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.VotesElsewhere().Ballots(ctx, me, proposal)
	if err != nil {
		return nil, err
	}
	out := make([]SentBallot, len(rows))
	for i, r := range rows {
		if out[i], err = s.sentBallotFrom(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DelegationsElsewhere lists by's instructions in the association
// elsewhere whose actor is association, by scope.
func (s *Service) DelegationsElsewhere(ctx context.Context, by membership.Account, association string) ([]SentDelegation, error) {
	me, err := actorOf(ctx, s.db.Tx, by)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.VotesElsewhere().Delegations(ctx, me, association)
	if err != nil {
		return nil, err
	}
	out := make([]SentDelegation, len(rows))
	for i, r := range rows {
		if out[i], err = s.sentDelegationFrom(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ErrNotSentHere is returned for an answer to no ballot or delegation
// sent from here (or not as last sent).
var ErrNotSentHere = core.New(core.KindNotFound, "not-sent-here", "no ballot or delegation of this instance was sent with this activity")

// ReceiveAnswer records the answer of the association whose actor is from
// to the ballot or delegation sent with activity: accepted, or rejected
// with its reason.
func (s *Service) ReceiveAnswer(ctx context.Context, from, activity string, accepted bool, reason string) error {
	status, reason := SentAccepted, line(reason)
	if !accepted {
		status = SentRejected
	} else {
		reason = ""
	}
	done, err := s.db.VotesElsewhere().Answer(ctx, activity, from, status, reason, s.now())
	if err != nil {
		return fmt.Errorf("answer to %s: %w", activity, err)
	}
	if !done {
		return ErrNotSentHere
	}
	return nil
}
