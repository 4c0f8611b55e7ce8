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

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Bounds on a proposal.
const (
	MaxTitle   = 200
	MaxBody    = 20_000
	MaxOptions = 10
	MaxOption  = 200
	MaxActions = 20
)

// Proposal is a decision an association's members take together.
type Proposal struct {
	ID            uuid.UUID
	AssociationID uuid.UUID
	Author        string // the author's actor id
	Category      string
	Title         string
	Body          string
	// Options are "adopt" and "reject", or several alternatives; consensus
	// adopts the first.
	Options []string
	Actions []Action
	// ProjectID is the project the proposal concerns, if any: its
	// beneficiaries lead (docs/governance.md).
	ProjectID *uuid.UUID
	Phase     string
	// Deadline is the end of the current phase; nil once closed.
	Deadline                                       *time.Time
	DebatePeriod, ConsensusPeriod, ValueVotePeriod time.Duration
	Outcome                                        Outcome
	CreatedAt, UpdatedAt                           time.Time
	ClosedAt                                       *time.Time
}

// YesOrNo reports whether p's options are adopt and reject.
func (p Proposal) YesOrNo() bool {
	return len(p.Options) == 2 && p.Options[0] == OptionAdopt && p.Options[1] == OptionReject
}

// Outcome is how a closed proposal ended and what it executed.
type Outcome struct {
	// Result is adopted, rejected or withdrawn; empty while open.
	Result string `json:"result,omitempty"`
	// DecidedBy is the phase whose count decided: consensus or value_vote.
	DecidedBy string `json:"decided_by,omitempty"`
	// Option is the index of the adopted option, -1 when none was.
	Option     int    `json:"option"`
	OptionName string `json:"option_name,omitempty"`
	// Reason, for a rejected proposal, is the count's outcome (no_quorum,
	// tie, no_winner…) or reject when the value vote chose to reject.
	Reason  string         `json:"reason,omitempty"`
	Actions []ActionResult `json:"actions,omitempty"`
}

// ProposalInput is what the author writes. Without options the proposal
// is adopt or reject.
type ProposalInput struct {
	Category string
	Title    string
	Body     string
	Options  []string
	Actions  []ActionInput
}

func proposalFrom(r store.Proposal) (Proposal, error) {
	p := Proposal{ID: r.ID, AssociationID: r.AssociationID, Author: r.Author, Category: r.Category, Title: r.Title,
		Body: r.Body, ProjectID: r.ProjectID, Phase: r.Phase, Deadline: r.Deadline,
		DebatePeriod: time.Duration(r.DebatePeriod), ConsensusPeriod: time.Duration(r.ConsensusPeriod),
		ValueVotePeriod: time.Duration(r.ValueVotePeriod), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ClosedAt: r.ClosedAt}
	if err := json.Unmarshal([]byte(r.Options), &p.Options); err != nil {
		return Proposal{}, fmt.Errorf("proposal %s options: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Actions), &p.Actions); err != nil {
		return Proposal{}, fmt.Errorf("proposal %s actions: %w", r.ID, err)
	}
	p.Outcome.Option = -1
	if err := json.Unmarshal([]byte(r.Outcome), &p.Outcome); err != nil {
		return Proposal{}, fmt.Errorf("proposal %s outcome: %w", r.ID, err)
	}
	return p, nil
}

func encodeJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("governance: encode " + err.Error()) // plain values always encode
	}
	return string(b)
}

// checkOptions returns the proposal's options: adopt and reject by
// default; alternatives otherwise, 2 to MaxOptions distinct texts. A
// proposal with actions is adopt or reject: its actions run if it is
// adopted.
func checkOptions(in []string, withActions bool, fe *fieldErrors) []string {
	if len(in) == 0 {
		return []string{OptionAdopt, OptionReject}
	}
	if len(in) < 2 || len(in) > MaxOptions {
		fe.Add("options", "option-count", fmt.Sprintf("give 2 to %d options, or none for adopt or reject", MaxOptions))
		return nil
	}
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, o := range in {
		n := len(*fe)
		o = fe.Text("options", o, MaxOption, true)
		if len(*fe) > n {
			return nil
		}
		if seen[strings.ToLower(o)] {
			fe.Add("options", "duplicate-option", "each option must differ from the others")
			return nil
		}
		seen[strings.ToLower(o)] = true
		out = append(out, o)
	}
	yesNo := len(out) == 2 && out[0] == OptionAdopt && out[1] == OptionReject
	if withActions && !yesNo {
		fe.Add("options", "options-with-actions", "a proposal with actions is adopted or rejected: leave its options out")
		return nil
	}
	return out
}

// Propose opens a proposal in association name, by one of its members. It
// opens in debate for the association's debate period, or straight in the
// consensus round when that period is zero. Its actions are checked now
// (the task, project, submission or member they name exists and may be
// acted on) and again when they run.
func (s *Service) Propose(ctx context.Context, by membership.Account, name string, in ProposalInput) (Proposal, error) {
	var fe fieldErrors
	title := fe.Text("title", in.Title, MaxTitle, true)
	body := fe.Text("body", in.Body, MaxBody, false)
	if !IsCategory(in.Category) {
		fe.Add("category", "invalid-choice", "must be one of "+strings.Join(Categories, ", "))
	}
	if len(in.Actions) > MaxActions {
		fe.Add("actions", "too-many", fmt.Sprintf("at most %d actions", MaxActions))
	}
	options := checkOptions(in.Options, len(in.Actions) > 0, &fe)
	if err := fe.Err(); err != nil {
		return Proposal{}, err
	}
	var out Proposal
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		a, err := associationByName(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := memberOf(ctx, tx, a.ID, by); err != nil {
			return err
		}
		author, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		actions, project, err := s.checkActions(ctx, tx, a, in.Category, in.Actions)
		if err != nil {
			return err
		}
		now := s.now()
		row := store.Proposal{ID: newID(), AssociationID: a.ID, Author: author, Category: in.Category, Title: title,
			Body: body, Options: encodeJSON(options), Actions: encodeJSON(actions), ProjectID: project,
			Phase: PhaseDebate, DebatePeriod: int64(a.Settings.DebatePeriod), ConsensusPeriod: int64(a.Settings.ConsensusPeriod),
			ValueVotePeriod: int64(a.Settings.ValueVotePeriod), Outcome: encodeJSON(Outcome{Option: -1}),
			CreatedAt: now, UpdatedAt: now}
		if a.Settings.DebatePeriod > 0 {
			deadline := now.Add(a.Settings.DebatePeriod)
			row.Deadline = &deadline
		} else {
			row.Phase = PhaseConsensus
		}
		if err := tx.Proposals().Create(ctx, &row); err != nil {
			return err
		}
		tx.AfterCommit(s.deadlines.Ring)
		if row.Phase == PhaseDebate {
			err = tx.Proposals().AddPhase(ctx, &store.ProposalPhase{ProposalID: row.ID, Phase: PhaseDebate,
				StartedAt: now, EndsAt: *row.Deadline, Beneficiaries: "[]"})
		} else if err = s.openVote(ctx, tx, &row, PhaseConsensus, now); err == nil {
			_, err = tx.Proposals().Advance(ctx, &row, PhaseConsensus)
		}
		if err != nil {
			return err
		}
		if err := s.publish(ctx, tx, "Create", row); err != nil {
			return err
		}
		out, err = proposalFrom(row)
		return err
	})
	if err != nil {
		return Proposal{}, fmt.Errorf("propose in %s: %w", name, err)
	}
	return out, nil
}

// Withdraw closes an open proposal, as its author: nothing it proposed
// runs.
func (s *Service) Withdraw(ctx context.Context, by membership.Account, id uuid.UUID) (Proposal, error) {
	var out Proposal
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := tx.Proposals().ByIDForUpdate(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoSuchProposal
		}
		if err != nil {
			return err
		}
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		if actor != row.Author {
			return ErrNotAuthor
		}
		if !Open(row.Phase) {
			return ErrProposalClosed
		}
		now := s.now()
		from := row.Phase
		if err := tx.Proposals().ClosePhase(ctx, row.ID, from, nil, nil, nil, now); err != nil {
			return err
		}
		row.Phase, row.Deadline, row.ClosedAt, row.UpdatedAt = PhaseWithdrawn, nil, &now, now
		row.Outcome = encodeJSON(Outcome{Result: PhaseWithdrawn, Option: -1})
		ok, err := tx.Proposals().Advance(ctx, &row, from)
		if err != nil {
			return err
		}
		if !ok {
			return ErrProposalClosed
		}
		if err := s.publish(ctx, tx, "Update", row); err != nil {
			return err
		}
		out, err = proposalFrom(row)
		return err
	})
	if err != nil {
		return Proposal{}, fmt.Errorf("withdraw proposal %s: %w", id, err)
	}
	return out, nil
}

// Proposal returns proposal id.
func (s *Service) Proposal(ctx context.Context, id uuid.UUID) (Proposal, error) {
	row, err := s.db.Proposals().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Proposal{}, ErrNoSuchProposal
	}
	if err != nil {
		return Proposal{}, fmt.Errorf("proposal %s: %w", id, err)
	}
	return proposalFrom(row)
}

// Proposals lists association name's proposals, newest first, limit at a
// time before the cursor: its register of decisions.
func (s *Service) Proposals(ctx context.Context, name string, before uuid.UUID, limit int) (list []Proposal, next uuid.UUID, err error) {
	return s.Register(ctx, name, RegisterFilter{}, before, limit)
}

// RegisterFilter narrows the register of decisions to the proposals in a
// phase, of a category; "" keeps all.
type RegisterFilter struct {
	Phase    string
	Category string
}

// Register is Proposals narrowed by f: say, the adopted budget
// allocations. An unknown phase or category is refused.
func (s *Service) Register(ctx context.Context, name string, f RegisterFilter, before uuid.UUID, limit int) (list []Proposal, next uuid.UUID, err error) {
	var fe fieldErrors
	if f.Phase != "" && !slices.Contains(phases, f.Phase) {
		fe.Add("phase", "invalid-choice", "must be one of "+strings.Join(phases, ", "))
	}
	if f.Category != "" && !IsCategory(f.Category) {
		fe.Add("category", "invalid-choice", "must be one of "+strings.Join(Categories, ", "))
	}
	if err := fe.Err(); err != nil {
		return nil, uuid.Nil, err
	}
	a, err := associationByName(ctx, s.db.Tx, name)
	if err != nil {
		return nil, uuid.Nil, err
	}
	limit = clampLimit(limit)
	rows, err := s.db.Proposals().OfAssociation(ctx, a.ID, store.ProposalFilter{Phase: f.Phase, Category: f.Category}, before, limit+1)
	if err != nil {
		return nil, uuid.Nil, fmt.Errorf("proposals of %s: %w", name, err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	for _, r := range rows {
		p, err := proposalFrom(r)
		if err != nil {
			return nil, uuid.Nil, err
		}
		list = append(list, p)
	}
	return list, next, nil
}

// PhaseRecord is one phase a proposal went through.
type PhaseRecord struct {
	Phase      string
	StartedAt  time.Time
	EndsAt     time.Time
	ClosedAt   *time.Time
	Electorate int
	// Count is the phase's count once closed (voting phases only).
	Count *Count
}

// Phases lists the phases proposal id went through, in order.
func (s *Service) Phases(ctx context.Context, id uuid.UUID) ([]PhaseRecord, error) {
	out, err := phasesOf(ctx, s.db.Tx, id)
	if err != nil {
		return nil, fmt.Errorf("phases of proposal %s: %w", id, err)
	}
	return out, nil
}

func phasesOf(ctx context.Context, tx store.Tx, id uuid.UUID) ([]PhaseRecord, error) {
	rows, err := tx.Proposals().Phases(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]PhaseRecord, 0, len(rows))
	for _, r := range rows {
		ph := PhaseRecord{Phase: r.Phase, StartedAt: r.StartedAt, EndsAt: r.EndsAt, ClosedAt: r.ClosedAt, Electorate: r.Electorate}
		if r.Result != nil && *r.Result != "null" {
			var c Count
			if err := json.Unmarshal([]byte(*r.Result), &c); err != nil {
				return nil, err
			}
			ph.Count = &c
		}
		out = append(out, ph)
	}
	return out, nil
}
