package governance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// openVote opens a voting phase of p at now: every member gets a voter
// number, the electorate is taken (members active, not suspended, past
// their probation) into the phase's roll with an empty ballot box, and
// the phase's deadline is set. p's row is changed, not written: the caller
// writes it with Proposals.Advance.
func (s *Service) openVote(ctx context.Context, tx store.Tx, p *store.Proposal, phase string, now time.Time) error {
	row, err := tx.Associations().ByIDForUpdate(ctx, p.AssociationID)
	if err != nil {
		return err
	}
	a, err := membership.AssociationFromRow(row)
	if err != nil {
		return err
	}
	if err := tx.Voters().NumberMembers(ctx, a.ID); err != nil {
		return err
	}
	eligible, err := tx.Voters().EligibleNumbers(ctx, a.ID, now.Add(-a.Settings.ProbationPeriod))
	if err != nil {
		return err
	}
	var options []string
	if err := json.Unmarshal([]byte(p.Options), &options); err != nil {
		return fmt.Errorf("options of proposal %s: %w", p.ID, err)
	}
	width := boxWidth(phase, len(options))
	var pages []store.RollPage
	for _, n := range eligible {
		page, off := pageOf(n)
		if len(pages) == 0 || pages[len(pages)-1].Page != page {
			el, ch := newRollPage(width)
			pages = append(pages, store.RollPage{ProposalID: p.ID, Phase: phase, Page: page, Eligible: el, Choices: ch})
		}
		setEligible(pages[len(pages)-1].Eligible, off)
	}
	if err := tx.Rolls().Add(ctx, pages); err != nil {
		return err
	}
	beneficiaries, err := s.beneficiaries(ctx, tx, *p, eligible)
	if err != nil {
		return err
	}
	period := time.Duration(p.ConsensusPeriod)
	if phase == PhaseValueVote {
		period = time.Duration(p.ValueVotePeriod)
	}
	ends := now.Add(period)
	err = tx.Proposals().AddPhase(ctx, &store.ProposalPhase{ProposalID: p.ID, Phase: phase, StartedAt: now, EndsAt: ends,
		Electorate: len(eligible), Beneficiaries: encodeJSON(beneficiaries)})
	if err != nil {
		return err
	}
	p.Phase, p.Deadline, p.UpdatedAt = phase, &ends, now
	return nil
}

// beneficiaries returns the voter numbers, among eligible, of the
// beneficiaries of the project p concerns: the project's beneficiaries
// that are actors' ids.
func (s *Service) beneficiaries(ctx context.Context, tx store.Tx, p store.Proposal, eligible []int32) ([]int32, error) {
	out := []int32{}
	if p.ProjectID == nil {
		return out, nil
	}
	project, err := tx.Projects().ByID(ctx, *p.ProjectID)
	if errors.Is(err, store.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	var list []string
	if err := json.Unmarshal([]byte(project.Beneficiaries), &list); err != nil {
		return nil, fmt.Errorf("beneficiaries of project %s: %w", project.ID, err)
	}
	for _, b := range list {
		if !core.IsHTTPURL(b) {
			continue // a description ("the villagers"), not a member
		}
		n, err := tx.Voters().Number(ctx, p.AssociationID, b)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if _, found := slices.BinarySearch(eligible, n); found && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// errMoved: the proposal was moved on by someone else meanwhile; the
// transaction is rolled back and nothing was done twice.
var errMoved = errors.New("proposal already moved on")

// AdvanceDue moves on every proposal whose phase has ended, one
// transaction each, and returns how many it moved: debate opens the
// consensus round; a consensus round adopts the proposal or opens the
// value vote; a value vote adopts or rejects it. An adopted proposal's
// actions run in the transaction that closes it. Several processes may run
// it at once: each proposal is claimed with its row locked (SKIP LOCKED on
// PostgreSQL) and moved by a conditional update, so it moves exactly once.
// A proposal that cannot be moved (the database failing) is left for the
// next run without holding up the others; the errors are returned.
func (s *Service) AdvanceDue(ctx context.Context) (int, error) {
	return s.eachDue(ctx, "advance due proposals", func(tx store.Tx, failed []uuid.UUID) (uuid.UUID, bool, error) {
		now := s.now()
		p, err := tx.Proposals().ClaimDue(ctx, now, failed)
		if errors.Is(err, store.ErrNotFound) {
			return uuid.Nil, false, nil
		}
		if err != nil {
			return uuid.Nil, false, err
		}
		if err := s.advance(ctx, tx, p, now); err != nil {
			return p.ID, false, fmt.Errorf("proposal %s: %w", p.ID, err)
		}
		return p.ID, true, nil
	})
}

// eachDue runs step, one transaction at a time, until it claims nothing
// (uuid.Nil), and returns how many of its steps counted. A proposal whose
// step fails is passed over for the rest of the run (step is given those),
// so that it does not hold up the others, up to maxFailures of them; the
// errors are returned together at the end. errMoved (someone else was
// quicker) is no failure.
func (s *Service) eachDue(ctx context.Context, what string, step func(tx store.Tx, failed []uuid.UUID) (claimed uuid.UUID, counts bool, err error)) (int, error) {
	n := 0
	var failed []uuid.UUID
	var errs []error
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		var claimed uuid.UUID
		var counts bool
		err := s.db.InTx(ctx, func(tx store.Tx) (err error) {
			claimed, counts, err = step(tx, failed)
			return err
		})
		switch {
		case errors.Is(err, errMoved):
		case err != nil && claimed != uuid.Nil && len(failed) < maxFailures:
			failed = append(failed, claimed)
			errs = append(errs, err)
		case err != nil:
			errs = append(errs, err)
			return n, fmt.Errorf("%s: %w", what, errors.Join(errs...))
		case claimed == uuid.Nil:
			if len(errs) > 0 {
				return n, fmt.Errorf("%s: %w", what, errors.Join(errs...))
			}
			return n, nil
		case counts:
			n++
		}
	}
}

// maxFailures bounds the proposals one run of eachDue passes over
// after failing to move them.
const maxFailures = 100

// NextDeadline returns when the next phase ends, so that the scheduler
// can wake then; ok is false when no proposal is open.
func (s *Service) NextDeadline(ctx context.Context) (t time.Time, ok bool, err error) {
	t, err = s.db.Proposals().NextDeadline(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next deadline: %w", err)
	}
	return t, true, nil
}

// advance moves the due proposal p on, at now.
func (s *Service) advance(ctx context.Context, tx store.Tx, p store.Proposal, now time.Time) error {
	from := p.Phase
	switch from {
	case PhaseDebate:
		if err := tx.Proposals().ClosePhase(ctx, p.ID, PhaseDebate, nil, nil, nil, now); err != nil {
			return err
		}
		if err := s.openVote(ctx, tx, &p, PhaseConsensus, now); err != nil {
			return err
		}
	case PhaseConsensus, PhaseValueVote:
		c, err := s.close(ctx, tx, p, from, now)
		if err != nil {
			return err
		}
		proposal, err := proposalFrom(p)
		if err != nil {
			return err
		}
		switch {
		case from == PhaseConsensus && c.Outcome == OutcomeAdopted:
			err = s.adopt(ctx, tx, &p, proposal, 0, from, now)
		case from == PhaseConsensus:
			err = s.openVote(ctx, tx, &p, PhaseValueVote, now)
		case c.Outcome == OutcomeAdopted && !(proposal.YesOrNo() && c.Winner == 1):
			err = s.adopt(ctx, tx, &p, proposal, c.Winner, from, now)
		case c.Outcome == OutcomeAdopted:
			reject(&p, from, OptionReject, 1, now)
		default:
			reject(&p, from, c.Outcome, -1, now)
		}
		if err != nil {
			return err
		}
	default:
		return fmt.Errorf("a %s proposal has a deadline", from)
	}
	ok, err := tx.Proposals().Advance(ctx, &p, from)
	if err != nil {
		return err
	}
	if !ok {
		return errMoved
	}
	return s.publish(ctx, tx, "Update", p)
}

// close counts the voting phase of p as it stands and records the count
// with what it read, so that it can be read and checked again later.
func (s *Service) close(ctx context.Context, tx store.Tx, p store.Proposal, phase string, now time.Time) (Count, error) {
	in, err := liveInputs(ctx, tx, p, phase)
	if err != nil {
		return Count{}, err
	}
	c, err := countPhase(ctx, tx, p, phase, in)
	if err != nil {
		return Count{}, err
	}
	if err := tx.Instructions().Freeze(ctx, p.AssociationID, p.ID, phase); err != nil {
		return Count{}, err
	}
	if in.suspended == nil {
		in.suspended = []int32{}
	}
	result, roles, suspended := encodeJSON(c.count), encodeJSON(in.roles), encodeJSON(in.suspended)
	if err := tx.Proposals().ClosePhase(ctx, p.ID, phase, &result, &roles, &suspended, now); err != nil {
		return Count{}, err
	}
	return c.count, nil
}

// adopt closes p as adopted with option, running its actions.
func (s *Service) adopt(ctx context.Context, tx store.Tx, p *store.Proposal, proposal Proposal, option int, by string, now time.Time) error {
	results, err := s.execute(ctx, tx, *p, proposal.Actions)
	if err != nil {
		return err
	}
	p.Outcome = encodeJSON(Outcome{Result: PhaseAdopted, DecidedBy: by, Option: option,
		OptionName: proposal.Options[option], Actions: results})
	p.Phase, p.Deadline, p.ClosedAt, p.UpdatedAt = PhaseAdopted, nil, &now, now
	return nil
}

// reject closes p as rejected for reason (the count's outcome, or
// "reject" when the value vote chose to reject).
func reject(p *store.Proposal, by, reason string, option int, now time.Time) {
	o := Outcome{Result: PhaseRejected, DecidedBy: by, Option: option, Reason: reason}
	if option >= 0 {
		o.OptionName = OptionReject
	}
	p.Outcome = encodeJSON(o)
	p.Phase, p.Deadline, p.ClosedAt, p.UpdatedAt = PhaseRejected, nil, &now, now
}
