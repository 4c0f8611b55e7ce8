package api

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/governance"
)

// needsProposal is a refusal that a proposal of the members can overcome:
// the problem answering it carries that proposal, ready to send, so that
// the client knows how to go on.
type needsProposal struct {
	err      error
	proposal proposalLink
}

func (e needsProposal) Error() string { return e.err.Error() }
func (e needsProposal) Unwrap() error { return e.err }

// proposalLink is a request to make: POST Body to Href.
type proposalLink struct {
	Method string          `json:"method"`
	Href   string          `json:"href"`
	Body   proposalRequest `json:"body"`
}

func proposalFor(err error, association string, body proposalRequest) error {
	return needsProposal{err: err, proposal: proposalLink{Method: "POST",
		Href: Prefix + "/associations/" + association + "/proposals", Body: body}}
}

// allocationProposal is err, a refused allocation, with the proposal of
// category budget_allocation that would make it.
func (h *handlers) allocationProposal(ctx context.Context, err error, association string, task uuid.UUID, in allocationRequest, currency string) error {
	what := "task " + task.String()
	if h.projects != nil {
		if t, terr := h.projects.Task(ctx, task); terr == nil {
			what = t.Name
		}
	}
	return proposalFor(err, association, proposalRequest{Category: governance.CategoryBudgetAllocation,
		Title: fmt.Sprintf("Allocate %s %s to %s", in.Amount, currency, what), Body: in.Cause,
		Actions: []actionRequest{{Kind: governance.ActionAllocate, Task: task.String(), From: in.From, Amount: in.Amount}}})
}

// evaluationProposal is err, a refused evaluation of project id, with the
// proposal of category project_evaluation that would make it.
func (h *handlers) evaluationProposal(ctx context.Context, err error, id uuid.UUID, in evaluationRequest) error {
	p, perr := h.projects.Project(ctx, id)
	if perr != nil {
		return err
	}
	kind, title := governance.ActionAcceptProject, "Accept the project "+p.Name
	if in.Verdict == "reject" {
		kind, title = governance.ActionRejectProject, "Reject the project "+p.Name
	}
	return proposalFor(err, p.Association, proposalRequest{Category: governance.CategoryProjectEvaluation,
		Title: title, Body: in.Reason, Actions: []actionRequest{{Kind: kind, Project: id.String()}}})
}
