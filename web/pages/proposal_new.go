package pages

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
)

// actionSlots is how many actions the form offers; core takes up to
// governance.MaxActions, the API more than a person writes by hand.
const actionSlots = 3

// The parts of an action slot of the proposal form.
var actionParts = []string{"kind", "task", "amount", "from", "project", "submission", "setting", "value", "member"}

// actionKinds are the actions the form offers, in this order.
var actionKinds = []string{governance.ActionAllocate, governance.ActionAcceptProject, governance.ActionRejectProject,
	governance.ActionVerifySubmission, governance.ActionChangeSetting, governance.ActionAdmitMember,
	governance.ActionExcludeMember}

// actionField is the input of part of action slot i; actionField(i, "")
// is the slot itself, where core's errors about the whole action show.
func actionField(i int, part string) string {
	if part == "" {
		return fmt.Sprintf("actions[%d]", i)
	}
	return fmt.Sprintf("actions[%d].%s", i, part)
}

// proposalFields are the fields of the proposal form; "prefill" marks a
// form posted from another page to be shown filled in, not made.
var proposalFields = func() []string {
	f := []string{"category", "title", "body", "options", "prefill"}
	for i := range actionSlots {
		f = append(f, actionField(i, ""))
		for _, part := range actionParts {
			f = append(f, actionField(i, part))
		}
	}
	return f
}()

func init() {
	fieldMax["category"] = 32
	fieldMax["title"] = governance.MaxTitle
	fieldMax["body"] = governance.MaxBody
	fieldMax["options"] = governance.MaxOptions * (governance.MaxOption + 2)
	fieldMax["prefill"] = 8
	for i := range actionSlots {
		for part, max := range map[string]int{"": 1, "kind": 32, "task": 36, "amount": 32, "from": 64, "project": 36,
			"submission": 36, "setting": 32, "value": 64, "member": core.MaxIDLength} {
			fieldMax[actionField(i, part)] = max
		}
	}
	labelSets["action_kind"] = labelKeys("action_kind", append(actionKinds, governance.ActionChangeRules)...)
}

// choice is an option of a select: a value and what it shows.
type choice struct {
	Value string
	Label string
	Group string // the project a task belongs to
}

// actionSlot is one action of the proposal form.
type actionSlot struct {
	Index int
	Form  *form
	Open  bool // shown unfolded: the first, or one filled in or wrong
}

// Number counts the slots from 1, as people do.
func (a actionSlot) Number() int { return a.Index + 1 }

// Name is the input of part of the slot ("" for the slot itself).
func (a actionSlot) Name(part string) string { return actionField(a.Index, part) }

// Value is the value of part of the slot.
func (a actionSlot) Value(part string) string { return a.Form.Value(a.Name(part)) }

// Field is part of the slot with its error, if any.
func (a actionSlot) Field(part string) fieldState { return a.Form.Field(a.Name(part)) }

type newProposalPage struct {
	frame
	Association membership.Association
	Form        *form
	Categories  []string
	Kinds       []string
	Slots       []actionSlot
	Tasks       []choice
	Sources     []choice
	Projects    []choice // awaiting their evaluation
	Submissions []choice // awaiting their verification
	Settings    []string
}

func (s *server) newProposalForm(w http.ResponseWriter, r *http.Request) {
	_, a, ok := s.memberOnly(w, r, r.URL.Path)
	if !ok {
		return
	}
	f := newForm(proposalFields...)
	f.Values["category"] = governance.CategoryGeneral
	s.showNewProposal(w, r, http.StatusOK, a, f)
}

func (s *server) showNewProposal(w http.ResponseWriter, r *http.Request, status int, a membership.Association, f *form) {
	p := &newProposalPage{Association: a, Form: f, Categories: governance.Categories, Kinds: actionKinds,
		Settings: governance.Settings}
	for i := range actionSlots {
		slot := actionSlot{Index: i, Form: f}
		slot.Open = i == 0 || slices.ContainsFunc(actionParts, func(part string) bool { return f.Value(actionField(i, part)) != "" }) ||
			slices.ContainsFunc(append(actionParts, ""), func(part string) bool { _, bad := f.Errors[actionField(i, part)]; return bad })
		p.Slots = append(p.Slots, slot)
	}
	if err := s.actionChoices(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "new_proposal", p)
}

// actionChoices lists what the association's actions may name: the tasks
// that may receive money and where it may come from, the projects
// awaiting their evaluation and the work awaiting its verification.
func (s *server) actionChoices(ctx context.Context, p *newProposalPage) error {
	p.Sources = []choice{{Value: ledger.KeyGeneral}}
	list, _, err := s.projects.Projects(ctx, p.Association.Name, uuid.Nil, projects.MaxPage)
	if err != nil {
		return err
	}
	for _, pr := range list {
		p.Sources = append(p.Sources, choice{Value: ledger.ProjectKey(pr.ID), Label: pr.Name})
		if pr.Status == projects.ProjectProposed || pr.Status == projects.ProjectEvaluating {
			p.Projects = append(p.Projects, choice{Value: pr.ID.String(), Label: pr.Name})
		}
		tasks, err := s.projects.Tasks(ctx, pr.ID)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			switch t.Status {
			case projects.TaskDraft, projects.TaskOpen, projects.TaskReserved:
			case projects.TaskSubmitted:
				subs, err := s.projects.Submissions(ctx, t.ID)
				if err != nil {
					return err
				}
				for _, sub := range subs {
					if sub.Status == projects.SubmissionPending {
						p.Submissions = append(p.Submissions, choice{Value: sub.ID.String(), Label: t.Name, Group: pr.Name})
					}
				}
			default:
				continue
			}
			p.Tasks = append(p.Tasks, choice{Value: t.ID.String(), Label: t.Name, Group: pr.Name})
		}
	}
	return nil
}

// propose makes the viewer's proposal, or, for a form posted with
// prefill from another page (an allocation or an evaluation the board may
// not decide alone), shows it filled in for the viewer to complete.
func (s *server) propose(w http.ResponseWriter, r *http.Request) {
	acc, a, ok := s.memberOnly(w, r, r.URL.Path)
	if !ok {
		return
	}
	f, err := readForm(r, proposalFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Value("prefill") != "" {
		delete(f.Values, "prefill")
		f.Errors, f.Problems = map[string]core.FieldError{}, nil
		s.showNewProposal(w, r, http.StatusOK, a, f)
		return
	}
	if !f.Invalid() {
		in, rename, err := s.proposalInput(r.Context(), f)
		if err == nil {
			var pr governance.Proposal
			if pr, err = s.governance.Propose(r.Context(), acc, a.Name, in); err == nil {
				redirect(w, r, proposalPath(pr.ID)+"?done=proposed")
				return
			}
		}
		if !s.formError(w, r, f, err, rename) {
			return
		}
	}
	s.showNewProposal(w, r, f.Status(), a, f)
}

// proposalInput reads the proposal form. rename maps core's fields of
// actions (numbered among the actions given) to the slots of the form.
func (s *server) proposalInput(ctx context.Context, f *form) (governance.ProposalInput, map[string]string, error) {
	in := governance.ProposalInput{Category: f.Value("category"), Title: f.Value("title"), Body: f.Value("body"),
		Options: lines(f.Value("options"))}
	rename := map[string]string{}
	var fe core.FieldErrors
	for i := range actionSlots {
		kind := strings.TrimSpace(f.Value(actionField(i, "kind")))
		if kind == "" {
			continue
		}
		rename[fmt.Sprintf("actions[%d]", len(in.Actions))] = actionField(i, "")
		act := governance.ActionInput{Kind: kind}
		id := func(part string) uuid.UUID {
			v := strings.TrimSpace(f.Value(actionField(i, part)))
			u, err := uuid.Parse(v)
			if err != nil {
				fe.Add(actionField(i, part), codeInvalidChoice, "pick one in the list")
			}
			return u
		}
		switch kind {
		case governance.ActionAllocate:
			act.Task, act.Amount, act.From = id("task"), decimalInput(f.Value(actionField(i, "amount"))), f.Value(actionField(i, "from"))
		case governance.ActionAcceptProject, governance.ActionRejectProject:
			act.Project = id("project")
		case governance.ActionVerifySubmission:
			act.Submission = id("submission")
		case governance.ActionChangeSetting:
			act.Setting, act.Value = f.Value(actionField(i, "setting")), f.Value(actionField(i, "value"))
		case governance.ActionAdmitMember, governance.ActionExcludeMember:
			uri, e := s.actorOfHandle(ctx, f.Value(actionField(i, "member")), actionField(i, "member"))
			if e != nil {
				fe = append(fe, *e)
			}
			act.Actor = uri
		}
		in.Actions = append(in.Actions, act)
	}
	return in, rename, fe.Err()
}

// errUnknownPerson is a person this instance cannot find, named in field.
func errUnknownPerson(field, who string) *core.FieldError {
	return &core.FieldError{Field: field, Code: "person-not-found", Detail: "no person " + who + " was found"}
}

// actorOfHandle turns what a person wrote to name someone ("@ada", "ada",
// "@ada@example.org" or a profile address) into their actor's id.
func (s *server) actorOfHandle(ctx context.Context, who, field string) (string, *core.FieldError) {
	who = strings.TrimSpace(who)
	if who == "" {
		return "", &core.FieldError{Field: field, Code: codeRequired, Detail: "name a person"}
	}
	if core.IsHTTPURL(who) {
		return who, nil
	}
	name, host, remote := strings.Cut(strings.TrimPrefix(who, "@"), "@")
	if remote && !strings.EqualFold(host, s.cfg.Server.Host) {
		if s.remote == nil {
			return "", errUnknownPerson(field, who)
		}
		a, err := s.remote.Lookup(ctx, name+"@"+host)
		if err != nil {
			return "", errUnknownPerson(field, who)
		}
		return a.URI, nil
	}
	a, err := s.members.LocalActor(ctx, strings.ToLower(name))
	if err != nil || a.Kind != membership.ActorPerson {
		return "", errUnknownPerson(field, who)
	}
	return a.URI, nil
}
