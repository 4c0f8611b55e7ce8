package api

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/web/auth"
)

// proposalRequest is the body of a new proposal. Its fields are left out
// when empty so that the API can hand a ready body to a client
// (needsProposal).
type proposalRequest struct {
	Category string          `json:"category"`
	Title    string          `json:"title"`
	Body     string          `json:"body,omitempty"`
	Options  []string        `json:"options,omitempty"`
	Actions  []actionRequest `json:"actions,omitempty"`
}

// actionRequest is one executable action; only the fields of its kind are
// read. Ids are strings, so that a malformed one is reported as a field.
type actionRequest struct {
	Kind       string   `json:"kind"`
	Task       string   `json:"task,omitempty"`
	From       string   `json:"from,omitempty"`
	Amount     string   `json:"amount,omitempty"`
	Project    string   `json:"project,omitempty"`
	Submission string   `json:"submission,omitempty"`
	Setting    string   `json:"setting,omitempty"`
	Value      string   `json:"value,omitempty"`
	Category   string   `json:"category,omitempty"`
	Quorum     *float64 `json:"quorum,omitempty"`
	Majority   *float64 `json:"majority,omitempty"`
	Actor      string   `json:"actor,omitempty"`
}

// input checks the ids and returns what the service reads; the service
// checks everything else.
func (in proposalRequest) input() (governance.ProposalInput, error) {
	out := governance.ProposalInput{Category: in.Category, Title: in.Title, Body: in.Body, Options: in.Options}
	if len(in.Actions) > governance.MaxActions {
		return out, badField("too-many", "actions", fmt.Sprintf("at most %d actions", governance.MaxActions))
	}
	var fe core.FieldErrors
	id := func(i int, field, s string) uuid.UUID {
		if s == "" {
			return uuid.Nil // the service says what is missing
		}
		v, err := uuid.Parse(s)
		if err != nil {
			fe.Add(fmt.Sprintf("actions[%d].%s", i, field), "invalid-id", "must be the id of a "+field)
		}
		return v
	}
	for i, a := range in.Actions {
		ai := governance.ActionInput{Kind: a.Kind, From: a.From, Amount: a.Amount, Setting: a.Setting, Value: a.Value,
			Category: a.Category, Actor: a.Actor,
			Task: id(i, "task", a.Task), Project: id(i, "project", a.Project), Submission: id(i, "submission", a.Submission)}
		if a.Quorum != nil {
			ai.Quorum = *a.Quorum
		}
		if a.Majority != nil {
			ai.Majority = *a.Majority
		}
		out.Actions = append(out.Actions, ai)
	}
	return out, fe.Err()
}

// proposalJSON is a proposal. A single proposal also shows the phases it
// went through; lists leave them out.
type proposalJSON struct {
	ID          string       `json:"id"`
	URI         string       `json:"uri"`
	Association string       `json:"association"`
	Author      string       `json:"author"`
	Category    string       `json:"category"`
	Title       string       `json:"title"`
	Body        string       `json:"body"`
	Options     []string     `json:"options"`
	Actions     []actionJSON `json:"actions"`
	Project     *string      `json:"project"`
	Phase       string       `json:"phase"`
	Deadline    *string      `json:"deadline"`
	Periods     periodsJSON  `json:"periods"`
	Outcome     *outcomeJSON `json:"outcome"`
	CreatedAt   string       `json:"created_at"`
	UpdatedAt   string       `json:"updated_at"`
	ClosedAt    *string      `json:"closed_at"`
	Phases      []phaseJSON  `json:"phases,omitempty"`
	MaxScore    int          `json:"max_score"`
}

// periodsJSON are the proposal's phase lengths, fixed when it opened.
type periodsJSON struct {
	Debate    string `json:"debate"`
	Consensus string `json:"consensus"`
	ValueVote string `json:"value_vote"`
}

// actionJSON is an executable action as checked and stored.
type actionJSON struct {
	Kind       string   `json:"kind"`
	Task       *string  `json:"task,omitempty"`
	From       string   `json:"from,omitempty"`
	Amount     string   `json:"amount,omitempty"`
	Currency   string   `json:"currency,omitempty"`
	Project    *string  `json:"project,omitempty"`
	Submission *string  `json:"submission,omitempty"`
	Setting    string   `json:"setting,omitempty"`
	Value      string   `json:"value,omitempty"`
	Category   string   `json:"category,omitempty"`
	Quorum     *float64 `json:"quorum,omitempty"`
	Majority   *float64 `json:"majority,omitempty"`
	Actor      string   `json:"actor,omitempty"`
}

// outcomeJSON is how a closed proposal ended and what its actions did.
type outcomeJSON struct {
	Result     string             `json:"result"`
	DecidedBy  *string            `json:"decided_by"`
	Option     *int               `json:"option"`
	OptionName *string            `json:"option_name"`
	Reason     *string            `json:"reason"`
	Actions    []actionResultJSON `json:"actions"`
}

type actionResultJSON struct {
	Kind        string  `json:"kind"`
	Status      string  `json:"status"`
	Code        *string `json:"code"`
	Detail      *string `json:"detail"`
	Transaction *string `json:"transaction"`
}

// phaseJSON is one phase a proposal went through, with its count once a
// voting phase closed.
type phaseJSON struct {
	Phase      string     `json:"phase"`
	StartedAt  string     `json:"started_at"`
	EndsAt     string     `json:"ends_at"`
	ClosedAt   *string    `json:"closed_at"`
	Electorate int        `json:"electorate"`
	Count      *countJSON `json:"count"`
}

func optID(id *uuid.UUID) *string {
	if id == nil {
		return nil
	}
	s := id.String()
	return &s
}

func renderProposal(p governance.Proposal, association, uri string) proposalJSON {
	out := proposalJSON{ID: p.ID.String(), URI: uri, Association: association, Author: p.Author, Category: p.Category,
		Title: p.Title, Body: p.Body, Options: nonNil(p.Options), Actions: make([]actionJSON, len(p.Actions)),
		Project: optID(p.ProjectID), Phase: p.Phase, Deadline: optTimestamp(p.Deadline),
		Periods:   periodsJSON{Debate: p.DebatePeriod.String(), Consensus: p.ConsensusPeriod.String(), ValueVote: p.ValueVotePeriod.String()},
		CreatedAt: timestamp(p.CreatedAt), UpdatedAt: timestamp(p.UpdatedAt), ClosedAt: optTimestamp(p.ClosedAt),
		MaxScore: governance.MaxScore}
	for i, a := range p.Actions {
		j := actionJSON{Kind: a.Kind, Task: optID(a.Task), From: a.From, Currency: a.Currency, Project: optID(a.Project),
			Submission: optID(a.Submission), Setting: a.Setting, Value: a.Value, Category: a.Category,
			Quorum: a.Quorum, Majority: a.Majority, Actor: a.Actor}
		if a.Kind == governance.ActionAllocate {
			j.Amount = money.Format(a.Amount, a.Currency)
		}
		out.Actions[i] = j
	}
	if o := p.Outcome; o.Result != "" {
		oj := &outcomeJSON{Result: o.Result, DecidedBy: optString(o.DecidedBy), OptionName: optString(o.OptionName),
			Reason: optString(o.Reason), Actions: make([]actionResultJSON, len(o.Actions))}
		if o.Option >= 0 {
			n := o.Option
			oj.Option = &n
		}
		for i, a := range o.Actions {
			oj.Actions[i] = actionResultJSON{Kind: a.Kind, Status: a.Status, Code: optString(a.Code), Detail: optString(a.Detail),
				Transaction: optID(a.Transaction)}
		}
		out.Outcome = oj
	}
	return out
}

// writeProposal answers with proposal p in full, its phases included.
func (h *handlers) writeProposal(w http.ResponseWriter, r *http.Request, status int, p governance.Proposal, association string) {
	out := renderProposal(p, association, h.governance.ProposalURI(p.ID))
	phases, err := h.governance.Phases(r.Context(), p.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	out.Phases = make([]phaseJSON, len(phases))
	for i, ph := range phases {
		out.Phases[i] = phaseJSON{Phase: ph.Phase, StartedAt: timestamp(ph.StartedAt), EndsAt: timestamp(ph.EndsAt),
			ClosedAt: optTimestamp(ph.ClosedAt), Electorate: ph.Electorate}
		if ph.Count != nil {
			c := renderCount(*ph.Count, p.Options, ph.Phase)
			out.Phases[i].Count = &c
		}
	}
	if status == http.StatusCreated {
		created(w, r, "/proposals/"+p.ID.String(), out)
		return
	}
	writeJSON(w, r, status, out)
}

// propose opens a proposal, as a member of the association.
func (h *handlers) propose(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in proposalRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	pi, err := in.input()
	if err != nil {
		fail(w, r, err)
		return
	}
	a, err := h.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		fail(w, r, err)
		return
	}
	p, err := h.governance.Propose(r.Context(), acc, a.Name, pi)
	if err != nil {
		fail(w, r, err)
		return
	}
	h.writeProposal(w, r, http.StatusCreated, p, a.Name)
}

// listProposals is the association's register of decisions: every
// proposal, newest first, with its phase, outcome and what it executed.
func (h *handlers) listProposals(w http.ResponseWriter, r *http.Request) {
	pg, err := pageParams(r, governance.DefaultPageSize, governance.MaxPageSize, uuidCursor)
	if err != nil {
		fail(w, r, err)
		return
	}
	a, ok := h.readableAssociation(w, r)
	if !ok {
		return
	}
	before := uuid.Nil
	if pg.cursor != "" {
		before = uuid.MustParse(pg.cursor) // checked by uuidCursor
	}
	q := r.URL.Query()
	f := governance.RegisterFilter{Phase: q.Get("phase"), Category: q.Get("category")}
	list, next, err := h.governance.Register(r.Context(), a.Name, f, before, pg.limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]proposalJSON, len(list))
	for i, p := range list {
		items[i] = renderProposal(p, a.Name, h.governance.ProposalURI(p.ID))
	}
	writeJSON(w, r, http.StatusOK, newList(items, cursorOf(next)))
}

func (h *handlers) getProposal(w http.ResponseWriter, r *http.Request) {
	p, a, ok := h.readableProposal(w, r)
	if !ok {
		return
	}
	h.writeProposal(w, r, http.StatusOK, p, a.Name)
}

// withdrawProposal closes an open proposal, as its author.
func (h *handlers) withdrawProposal(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, ok := pathID(w, r, governance.ErrNoSuchProposal)
	if !ok {
		return
	}
	p, err := h.governance.Withdraw(r.Context(), acc, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	a, err := h.governance.Association(r.Context(), p.AssociationID)
	if err != nil {
		fail(w, r, err)
		return
	}
	h.writeProposal(w, r, http.StatusOK, p, a.Name)
}

// accountActor is the id on the wire of acc's actor: the caller is always
// the token's account, never a name the body gives.
func (h *handlers) accountActor(acc membership.Account) string {
	return h.members.ActorURI(acc.Username)
}
