package pages

import (
	"context"
	"math"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// governanceRoutes are the addresses of proposals, the register of
// decisions and voting instructions (issue 6). /proposals/{id} is the
// proposal's id: federation may answer it for ActivityPub clients first.
func (s *server) governanceRoutes(r chi.Router) {
	r.Get("/@{name}/decisions", s.decisionsPage)
	r.Get("/@{name}/proposals/new", s.newProposalForm)
	r.Post("/@{name}/proposals/new", s.propose)
	r.Get("/@{name}/delegations", s.delegationsPage)
	r.Post("/@{name}/delegations", s.changeDelegations)
	r.Get("/proposals/{id}", s.proposalPage)
	r.Post("/proposals/{id}/ballots", s.castBallot)
	r.Post("/proposals/{id}/withdrawal", s.withdrawProposal)
}

func init() {
	for set, words := range map[string][]string{
		"proposal_category": governance.Categories,
		"phase": {governance.PhaseDebate, governance.PhaseConsensus, governance.PhaseValueVote,
			governance.PhaseAdopted, governance.PhaseRejected, governance.PhaseWithdrawn},
		"position":      {governance.Agree, governance.Abstain, governance.Object},
		"option":        {governance.OptionAdopt, governance.OptionReject},
		"action_status": {governance.ActionDone, governance.ActionFailed, governance.ActionUndone, governance.ActionNotRun},
		// the outcome of a count, and the reason a proposal was rejected
		"count_outcome": {governance.OutcomeAdopted, governance.OutcomeNoQuorum, governance.OutcomeObjection,
			governance.OutcomeNoWinner, governance.OutcomeTie, governance.OutcomeEmpty, governance.OptionReject},
		"setting": governance.Settings,
	} {
		labelSets[set] = labelKeys(set, words...)
	}
}

// errDecisionsMembersOnly refuses the proposals of an association that
// shows its records to its members only.
var errDecisionsMembersOnly = core.New(core.KindForbidden, "decisions-members-only",
	"this association shows its proposals and decisions to its members only")

// governanceReader returns the viewer's membership of a, and refuses a
// viewer who may not read its proposals: the members only, when the
// association shows its records to its members only (DESIGN §1.3). The
// core does no such check: the pages do.
func (s *server) governanceReader(ctx context.Context, a membership.Association) (membership.Member, bool, error) {
	m, member, err := s.memberOf(ctx, auth.Account(ctx), a.Name)
	if err != nil {
		return m, false, err
	}
	if a.Settings.Visibility == membership.VisibilityMembers && !member {
		return m, false, errDecisionsMembersOnly
	}
	return m, member, nil
}

// optionName is an option as the pages show it: adopt and reject are
// words of the catalogue, alternatives the author's text.
func (s *server) optionName(sp speaker, p governance.Proposal, option string) string {
	if p.YesOrNo() {
		return sp.label(labelSets["option"], option)
	}
	return option
}

// linkRef is a named object with its page here.
type linkRef struct {
	Name string
	Path string
}

// actionView is an executable action as a person reads it, with what it
// did once the proposal is closed.
type actionView struct {
	governance.Action
	Task       linkRef
	From       accountRef
	Project    linkRef
	Submission linkRef
	Member     actorRef
	// QuorumPercent and MajorityPercent are a change of rules' shares.
	QuorumPercent, MajorityPercent int
	Result                         *governance.ActionResult
	Refusal                        core.FieldError // why it failed, when it did
	Ledger                         string          // the ledger's allocations, when it recorded one
}

// actionViews describes p's actions and what they did.
func (s *server) actionViews(names *namer, a membership.Association, p governance.Proposal) []actionView {
	out := make([]actionView, 0, len(p.Actions))
	for i, act := range p.Actions {
		v := actionView{Action: act, Member: names.actor(act.Actor)}
		if act.Task != nil {
			v.Task = linkRef{Name: names.task(*act.Task), Path: "/tasks/" + act.Task.String()}
		}
		if act.From != "" {
			v.From = names.account(act.From)
		}
		if act.Project != nil {
			v.Project = linkRef{Name: names.project(*act.Project), Path: "/projects/" + act.Project.String()}
		}
		if act.Submission != nil {
			if sub, err := s.projects.Submission(names.ctx, *act.Submission); err == nil {
				v.Submission = linkRef{Name: names.task(sub.TaskID),
					Path: "/tasks/" + sub.TaskID.String() + "#submission-" + sub.ID.String()}
			}
		}
		if act.Quorum != nil {
			v.QuorumPercent = int(*act.Quorum*100 + 0.5)
		}
		if act.Majority != nil {
			v.MajorityPercent = int(*act.Majority*100 + 0.5)
		}
		if i < len(p.Outcome.Actions) {
			res := p.Outcome.Actions[i]
			v.Result = &res
			v.Refusal = core.FieldError{Code: res.Code, Detail: res.Detail}
			if res.Transaction != nil {
				v.Ledger = "/@" + a.Name + "/ledger?kind=" + ledger.KindAllocation
			}
		}
		out = append(out, v)
	}
	return out
}

// decisionView is a proposal as the register lists it.
type decisionView struct {
	governance.Proposal
	Author  actorRef
	Option  string // the adopted option, as shown
	Actions []actionView
}

type decisionsPage struct {
	frame
	Association membership.Association
	Open        []decisionView // on the first page only
	Decided     []decisionView
	Next        string
	Later       bool // a page after the first
	IsMember    bool
	// Rules are how the association decides, shown on the first page:
	// thresholds per category, and what the board may decide alone.
	Rules []ruleView
}

// ruleView is one category's thresholds, as whole percentages.
type ruleView struct {
	Category                string
	QuorumPercent, Majority int
	Own                     bool
}

// decisionsPage is the association's register of decisions: the open
// proposals first, nearest deadline first, then every closed one, newest
// first, a page at a time.
func (s *server) decisionsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.members.Association(ctx, chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, member, err := s.governanceReader(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	before, _ := uuid.Parse(r.URL.Query().Get("before"))
	p := &decisionsPage{Association: a, IsMember: member, Later: before != uuid.Nil}
	names, sp := s.namer(ctx), s.speaker(r)
	view := func(pr governance.Proposal) decisionView {
		v := decisionView{Proposal: pr, Author: names.actor(pr.Author), Actions: s.actionViews(names, a, pr)}
		if pr.Outcome.OptionName != "" {
			v.Option = s.optionName(sp, pr, pr.Outcome.OptionName)
		}
		return v
	}
	if !p.Later {
		rules, err := s.governance.RulesOf(ctx, a.Name)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, c := range rules {
			p.Rules = append(p.Rules, ruleView{Category: c.Category, QuorumPercent: int(math.Round(c.Quorum * 100)),
				Majority: int(math.Round(c.Majority * 100)), Own: c.Own})
		}
		open, err := s.governance.OpenProposals(ctx, a.Name)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, pr := range open {
			p.Open = append(p.Open, view(pr))
		}
	}
	decided, next, err := s.governance.Decided(ctx, a.Name, before, governance.DefaultPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, pr := range decided {
		p.Decided = append(p.Decided, view(pr))
	}
	if next != uuid.Nil {
		p.Next = "/@" + a.Name + "/decisions?before=" + next.String()
	}
	s.render(w, r, http.StatusOK, "decisions", p)
}

// proposalPath is the page of proposal id.
func proposalPath(id uuid.UUID) string { return "/proposals/" + id.String() }
