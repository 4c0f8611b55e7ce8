package pages_test

import (
	"context"
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/governance"
)

// periods sets the association's governance periods as its founder (the
// other settings as newWork leaves them): proposals take them when made.
func (w *work) periods(debate, consensus, valueVote string) {
	w.t.Helper()
	form := settingsForm()
	form.Set("board_may_allocate_up_to", "1000.00")
	form.Set("board_may_evaluate_projects", "on")
	form.Set("debate_period", debate)
	form.Set("consensus_period", consensus)
	form.Set("value_vote_period", valueVote)
	w.alice.post("/@"+w.assoc+"/settings", form).redirectsTo(w.t, "/@"+w.assoc+"/settings?saved=1")
}

// propose makes a proposal through the form as b and returns its id.
func (w *work) propose(b *browser, form url.Values) string {
	w.t.Helper()
	if form.Get("category") == "" {
		form.Set("category", "general")
	}
	return idFrom(w.t, b.post("/@"+w.assoc+"/proposals/new", form), "/proposals/")
}

// advanceAfter waits until the deadline d has passed and runs the
// scheduler once.
func (w *work) advanceAfter(d time.Time) {
	w.t.Helper()
	if wait := time.Until(d); wait > 0 {
		time.Sleep(wait + 10*time.Millisecond)
	}
	if _, err := w.in.Governance.AdvanceDue(context.Background()); err != nil {
		w.t.Fatal(err)
	}
}

// ballot posts a ballot through the proposal's form as b and expects it
// recorded.
func (w *work) ballot(b *browser, id string, form url.Values) {
	w.t.Helper()
	b.post("/proposals/"+id+"/ballots", form).redirectsTo(w.t, "/proposals/"+id+"?done=voted")
}

func consensusBallot(position, reason string) url.Values {
	return url.Values{"phase": {"consensus"}, "position": {position}, "reason": {reason}}
}

// proposalOf reads proposal id in core.
func (w *work) proposalOf(id string) governance.Proposal {
	w.t.Helper()
	u, err := uuid.Parse(id)
	if err != nil {
		w.t.Fatal(err)
	}
	p, err := w.in.Governance.Proposal(context.Background(), u)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// voteInCore casts username's ballot directly in core, faster than the
// form, where a short phase must not end first.
func (w *work) voteInCore(username, id string, in governance.BallotInput) {
	w.t.Helper()
	p := w.proposalOf(id)
	if _, err := w.in.Governance.Vote(context.Background(), mustAccount(w.t, w.in, username), p.ID, in); err != nil {
		w.t.Fatalf("vote of %s: %v", username, err)
	}
}
