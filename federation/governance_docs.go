package federation

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// proposal builds a proposal's document (docs/vocabulary.md §4.3): a
// Question, so that Mastodon shows a poll of the current phase's options
// with their counts, closing at the phase's deadline. Its content starts
// with the name and a line saying where the proposal stands (what the
// members are asked until when, or how it ended); it has no summary,
// which Mastodon would show as a content warning.
func (d objectDocs) proposal(ctx context.Context, tx store.Tx, pub governance.Publication) (objectDoc, error) {
	p := pub.Proposal
	o, err := d.owner(ctx, tx, p.AssociationID)
	if err != nil {
		return objectDoc{}, err
	}
	to, cc := addressed(o)
	f := vocab.ProposalFields{
		Object: vocab.Object{ID: d.uri("proposals", p.ID), Name: line(p.Title, vocab.MaxNameLength),
			Summary: line(standing(pub), vocab.MaxSummaryLength), Content: paragraphsOf(p.Body),
			AttributedTo: p.Author, Audience: o.actor.URI, Published: p.CreatedAt,
			Updated: later(p.UpdatedAt, p.CreatedAt), To: to, Cc: cc},
		Category: p.Category, Phase: p.Phase, MaxScore: governance.MaxScore,
	}
	for _, ph := range pub.Phases {
		f.Phases = append(f.Phases, vocab.PhaseSpan{Phase: ph.Phase, Start: ph.StartedAt, End: ph.EndsAt})
	}
	f.Options, f.Voters = pollOf(pub.Tally)
	if p.ClosedAt != nil {
		f.Closed = *p.ClosedAt
		if p.Outcome.Option >= 0 {
			f.Outcome = line(p.Outcome.OptionName, vocab.MaxNameLength)
		}
	}
	for i, a := range p.Actions {
		action, err := d.action(ctx, tx, a)
		if err != nil {
			return objectDoc{}, fmt.Errorf("action %d of proposal %s: %w", i, p.ID, err)
		}
		f.Actions = append(f.Actions, action)
	}
	doc, err := vocab.NewProposal(f)
	if err != nil {
		return objectDoc{}, fmt.Errorf("document of proposal %s: %w", p.ID, err)
	}
	return objectDoc{obj: doc, owner: o, updated: f.Updated, name: f.Name, summary: f.Summary}, nil
}

// pollOf is the poll a tally shows: agree, abstain and object with their
// votes in the consensus round, the options with their total scores in
// the value vote; nothing before the first vote. Votes delegated count as
// the votes they follow; outside votes never count.
func pollOf(t governance.Tally) ([]vocab.Option, int) {
	switch t.Phase {
	case governance.PhaseConsensus:
		return []vocab.Option{{Name: governance.Agree, Count: t.Count.Agree}, {Name: governance.Abstain, Count: t.Count.Abstain},
			{Name: governance.Object, Count: t.Count.Object}}, t.Count.Participants
	case governance.PhaseValueVote:
		options := make([]vocab.Option, len(t.Options))
		for i, name := range t.Options {
			options[i].Name = line(name, vocab.MaxNameLength)
			if i < len(t.Count.Totals) {
				options[i].Count = t.Count.Totals[i]
			}
		}
		return options, t.Count.Participants
	}
	return nil, 0
}

// standing is the line a person reads after the proposal's name: what the
// members are asked and until when, or how it ended.
func standing(pub governance.Publication) string {
	p, c := pub.Proposal, pub.Tally.Count
	until := ""
	if p.Deadline != nil {
		until = " until " + p.Deadline.UTC().Format("2 January 15:04 UTC")
	}
	on := ""
	if p.ClosedAt != nil {
		on = " on " + p.ClosedAt.UTC().Format("2 January")
	}
	switch p.Phase {
	case governance.PhaseDebate:
		return "Open for debate" + until + "; the members then agree, abstain or object."
	case governance.PhaseConsensus:
		if p.YesOrNo() {
			return "Consensus" + until + ": agree, abstain or object."
		}
		return "Consensus" + until + " on the first option, " + p.Options[0] + ": agree, abstain or object."
	case governance.PhaseValueVote:
		return fmt.Sprintf("Value vote%s: score each option from 0 to %d.", until, governance.MaxScore)
	case governance.PhaseAdopted:
		if p.Outcome.DecidedBy == governance.PhaseConsensus {
			return "Adopted" + on + " by consensus: " + consensusCount(c) + "."
		}
		return "Adopted" + on + " by value vote: " + p.Outcome.OptionName + ", " + points(c, p.Outcome.Option) + "."
	case governance.PhaseRejected:
		switch p.Outcome.Reason {
		case governance.OptionReject:
			return "Rejected" + on + " by value vote: reject, " + points(c, p.Outcome.Option) + "."
		case governance.OutcomeNoQuorum:
			return "Rejected" + on + ": too few members took part in the value vote."
		case governance.OutcomeTie:
			return "Rejected" + on + ": the value vote ended in a tie."
		}
		return "Rejected" + on + ": no option of the value vote met the rules."
	case governance.PhaseWithdrawn:
		return "Withdrawn by its author" + on + "."
	}
	return p.Phase + "."
}

// consensusCount says how a consensus round went: "5 agree, 1 abstains,
// nobody objects".
func consensusCount(c governance.Count) string {
	part := func(n int, one, many string) string {
		switch n {
		case 0:
			return "nobody " + one
		case 1:
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	}
	return part(c.Agree, "agrees", "agree") + ", " + part(c.Abstain, "abstains", "abstain") + ", " +
		part(c.Object, "objects", "object")
}

func points(c governance.Count, option int) string {
	if option < 0 || option >= len(c.Totals) {
		return "no points"
	}
	if c.Totals[option] == 1 {
		return "1 point"
	}
	return strconv.Itoa(c.Totals[option]) + " points"
}

// action is what an adopted proposal runs, on the wire: the object it acts
// on by its id.
func (d objectDocs) action(ctx context.Context, tx store.Tx, a governance.Action) (vocab.ProposalAction, error) {
	out := vocab.ProposalAction{Kind: a.Kind}
	switch a.Kind {
	case governance.ActionAllocate:
		if a.Task == nil {
			return out, errors.New("an allocation names no task")
		}
		out.Object = d.uri("tasks", *a.Task)
		out.Amount = &vocab.Amount{Value: money.Format(a.Amount, a.Currency), Currency: a.Currency}
	case governance.ActionAcceptProject, governance.ActionRejectProject:
		if a.Project == nil {
			return out, errors.New("a project's evaluation names no project")
		}
		out.Object = d.uri("projects", *a.Project)
	case governance.ActionVerifySubmission:
		if a.Submission == nil {
			return out, errors.New("a verification names no submission")
		}
		out.Object = d.uri("submissions", *a.Submission)
		if s, err := tx.Submissions().ByID(ctx, *a.Submission); err == nil && s.URI != "" {
			out.Object = s.URI // hosted by the professional's instance
		}
	case governance.ActionChangeSetting:
		out.Setting = &vocab.Setting{Name: a.Setting, Value: a.Value}
	case governance.ActionChangeRules:
		out.Setting = &vocab.Setting{Name: a.Category, Value: rules(a.Quorum, a.Majority)}
	case governance.ActionAdmitMember, governance.ActionExcludeMember:
		out.Object = a.Actor
	}
	return out, nil
}

// rules writes a category's thresholds as the value of a change_rules
// action: "quorum 0.5, majority 0.6".
func rules(quorum, majority *float64) string {
	s := ""
	if quorum != nil {
		s = "quorum " + strconv.FormatFloat(*quorum, 'f', -1, 64)
	}
	if majority != nil {
		if s != "" {
			s += ", "
		}
		s += "majority " + strconv.FormatFloat(*majority, 'f', -1, 64)
	}
	return s
}
