package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/web/auth"
)

// ballotRequest is a voter's answer: a position in the consensus round,
// scores ({option: 0 to 5}) in the value vote. Phase, when given, is the
// phase the voter means: a ballot for a phase that has ended is refused
// rather than counted in the next one. There is no voter field: the voter
// is the caller.
type ballotRequest struct {
	Phase    string          `json:"phase"`
	Position string          `json:"position"`
	Scores   json.RawMessage `json:"scores"`
	Reason   string          `json:"reason"`
}

// scoresOf reads a value vote's scores, an object of the proposal's
// options and their scores, into the order of the options.
func scoresOf(raw json.RawMessage, options []string) ([]int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, badField("wrong-type", "scores", `must be an object of the options and their scores, such as {"adopt": 4, "reject": 1}`)
	}
	var fe core.FieldErrors
	given := make(map[int]int, len(options))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, badField("wrong-type", "scores", "must be an object")
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, badField("wrong-type", "scores", "must be an object")
		}
		field := "scores." + key
		o := slices.Index(options, key)
		n, err := strconv.Atoi(string(v))
		switch {
		case o < 0:
			fe.Add(field, "unknown-option", "not an option of this proposal")
		case err != nil:
			fe.Add(field, "out-of-scale", fmt.Sprintf("each score is a whole number from 0 to %d", governance.MaxScore))
		default:
			if _, dup := given[o]; dup {
				fe.Add(field, "repeated-field", "given more than once")
			}
			given[o] = n
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if len(given) != len(options) {
		fe.Add("scores", "one-score-per-option", fmt.Sprintf("score each of the %d options from 0 to %d", len(options), governance.MaxScore))
		return nil, fe.Err()
	}
	scores := make([]int, len(options))
	for o, n := range given {
		scores[o] = n
	}
	return scores, nil
}

// ballotJSON is a ballot as recorded: a voter's last in a phase.
type ballotJSON struct {
	ID        string         `json:"id"`
	Proposal  string         `json:"proposal"`
	Phase     string         `json:"phase"`
	Voter     string         `json:"voter"`
	Position  *string        `json:"position"`
	Scores    map[string]int `json:"scores"`
	Reason    string         `json:"reason"`
	CastAt    string         `json:"cast_at"`
	UpdatedAt string         `json:"updated_at"`
}

func renderBallot(c governance.Cast, options []string) ballotJSON {
	out := ballotJSON{ID: c.ID.String(), Proposal: c.ProposalID.String(), Phase: c.Phase, Voter: c.Voter,
		Position: optString(c.Position), Reason: c.Reason, CastAt: timestamp(c.CastAt), UpdatedAt: timestamp(c.UpdatedAt)}
	if len(c.Scores) > 0 {
		out.Scores = make(map[string]int, len(c.Scores))
		for i, s := range c.Scores {
			if i < len(options) {
				out.Scores[options[i]] = s
			}
		}
	}
	return out
}

// castBallot records the caller's ballot in the proposal's current phase,
// replacing their earlier one in that phase: 201 for the first, 200 for
// a replacement.
func (h *handlers) castBallot(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, ok := pathID(w, r, governance.ErrNoSuchProposal)
	if !ok {
		return
	}
	var in ballotRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	p, err := h.governance.Proposal(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	scores, err := scoresOf(in.Scores, p.Options)
	if err != nil {
		fail(w, r, err)
		return
	}
	c, err := h.governance.Vote(r.Context(), acc, id, governance.BallotInput{Phase: in.Phase, Position: in.Position,
		Scores: scores, Reason: in.Reason})
	if err != nil {
		fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if c.UpdatedAt.After(c.CastAt) {
		status = http.StatusOK
	}
	writeJSON(w, r, status, renderBallot(c, p.Options))
}

// ballotPageJSON is one page of a phase's ballots, in voter order.
type ballotPageJSON struct {
	Phase string       `json:"phase"`
	Items []ballotJSON `json:"items"`
	Next  *string      `json:"next"`
}

func voterCursor(c string) *core.FieldError {
	if n, err := strconv.ParseInt(c, 10, 32); err != nil || n < 0 {
		return badCursor()
	}
	return nil
}

// votingPhaseOf is the phase whose ballots and count a proposal shows by
// default: the current one while voting, the last voting one after.
func (h *handlers) votingPhaseOf(r *http.Request, p governance.Proposal) (string, error) {
	if p.Phase == governance.PhaseConsensus || p.Phase == governance.PhaseValueVote {
		return p.Phase, nil
	}
	phases, err := h.governance.Phases(r.Context(), p.ID)
	if err != nil {
		return "", err
	}
	for i := len(phases) - 1; i >= 0; i-- {
		if ph := phases[i].Phase; ph == governance.PhaseConsensus || ph == governance.PhaseValueVote {
			return ph, nil
		}
	}
	return governance.PhaseConsensus, nil // none yet: no ballots
}

// listBallots publishes a phase's ballots: with the delegations, what
// anyone needs to count it again.
func (h *handlers) listBallots(w http.ResponseWriter, r *http.Request) {
	pg, err := pageParams(r, governance.DefaultPageSize, governance.MaxPageSize, voterCursor)
	if err != nil {
		fail(w, r, err)
		return
	}
	p, _, ok := h.readableProposal(w, r)
	if !ok {
		return
	}
	phase := r.URL.Query().Get("phase")
	switch phase {
	case governance.PhaseConsensus, governance.PhaseValueVote:
	case "":
		if phase, err = h.votingPhaseOf(r, p); err != nil {
			fail(w, r, err)
			return
		}
	default:
		fail(w, r, core.Invalid(core.FieldError{Field: "phase", Code: "invalid-choice", Detail: "must be consensus or value_vote"}))
		return
	}
	after := int32(-1)
	if pg.cursor != "" {
		n, _ := strconv.ParseInt(pg.cursor, 10, 32) // checked by voterCursor
		after = int32(n)
	}
	list, next, err := h.governance.Ballots(r.Context(), p.ID, phase, after, pg.limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := ballotPageJSON{Phase: phase, Items: make([]ballotJSON, len(list))}
	for i, c := range list {
		out.Items[i] = renderBallot(c, p.Options)
	}
	if next >= 0 {
		s := strconv.Itoa(int(next))
		out.Next = &s
	}
	writeJSON(w, r, http.StatusOK, out)
}

// myVoteJSON is the caller's ballot in the phase shown and how their
// vote is used: the chain it follows to the ballot that counts for it.
type myVoteJSON struct {
	Proposal string      `json:"proposal"`
	Phase    string      `json:"phase"`
	Voter    string      `json:"voter"`
	Ballot   *ballotJSON `json:"ballot"`
	Eligible bool        `json:"eligible"`
	Counted  bool        `json:"counted"`
	Chain    []string    `json:"chain"`
	Carried  int         `json:"carried"`
}

func (h *handlers) myBallot(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	p, _, ok := h.readableProposal(w, r)
	if !ok {
		return
	}
	actor := h.accountActor(acc)
	use, err := h.governance.VoteOf(r.Context(), actor, p.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := myVoteJSON{Proposal: p.ID.String(), Phase: use.Phase, Voter: actor, Eligible: use.Eligible,
		Counted: len(use.Chain) > 0, Chain: nonNil(use.Chain), Carried: use.Carried}
	if use.Phase == governance.PhaseConsensus || use.Phase == governance.PhaseValueVote {
		c, err := h.governance.Ballot(r.Context(), p.ID, use.Phase, actor)
		switch {
		case errors.Is(err, governance.ErrNoSuchBallot):
		case err != nil:
			fail(w, r, err)
			return
		default:
			b := renderBallot(c, p.Options)
			out.Ballot = &b
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// countJSON is a voting phase's count: participation, and the positions
// (consensus) or each option's results (value vote).
type countJSON struct {
	Outcome             string             `json:"outcome"`
	Winner              *int               `json:"winner"`
	Quorum              float64            `json:"quorum"`
	Majority            float64            `json:"majority"`
	Eligible            int                `json:"eligible"`
	Participants        int                `json:"participants"`
	Direct              int                `json:"direct"`
	Delegated           int                `json:"delegated"`
	Positions           *positionsJSON     `json:"positions,omitempty"`
	Objectors           []string           `json:"objectors,omitempty"`
	BeneficiaryObjected bool               `json:"beneficiary_objected"`
	Results             []optionResultJSON `json:"results,omitempty"`
}

type positionsJSON struct {
	Agree   int `json:"agree"`
	Abstain int `json:"abstain"`
	Object  int `json:"object"`
}

// optionResultJSON is one option's result in a value vote: the sum of
// the counted scores, how many counted ballots score it highest, and
// whether the beneficiaries vetoed it.
type optionResultJSON struct {
	Option string `json:"option"`
	Total  int    `json:"total"`
	Top    int    `json:"top"`
	Vetoed bool   `json:"vetoed"`
}

func renderCount(c governance.Count, options []string, phase string) countJSON {
	out := countJSON{Outcome: c.Outcome, Quorum: c.Quorum, Majority: c.Majority, Eligible: c.Eligible,
		Participants: c.Participants, Direct: c.Direct, Delegated: c.Delegated, Objectors: c.Objectors,
		BeneficiaryObjected: c.BeneficiaryObjected}
	if c.Winner >= 0 {
		n := c.Winner
		out.Winner = &n
	}
	if phase != governance.PhaseValueVote {
		out.Positions = &positionsJSON{Agree: c.Agree, Abstain: c.Abstain, Object: c.Object}
		return out
	}
	out.Results = make([]optionResultJSON, len(options))
	for i, o := range options {
		res := optionResultJSON{Option: o}
		if i < len(c.Totals) {
			res.Total, res.Top, res.Vetoed = c.Totals[i], c.Top[i], c.Vetoed[i]
		}
		out.Results[i] = res
	}
	return out
}

// tallyJSON is the count of a proposal's voting phase, live while it is
// open, with the members others' votes go through.
type tallyJSON struct {
	Proposal     string        `json:"proposal"`
	Phase        string        `json:"phase"`
	Final        bool          `json:"final"`
	Options      []string      `json:"options"`
	Count        *countJSON    `json:"count"`
	Carriers     []carrierJSON `json:"carriers"`
	CarrierCount int           `json:"carrier_count"`
	// Outside are the poll votes of people outside the electorate (a
	// Mastodon user answering the Question): shown apart, never counted.
	Outside outsideJSON `json:"outside"`
}

type outsideJSON struct {
	Agree   int `json:"agree"`
	Abstain int `json:"abstain"`
	Object  int `json:"object"`
}

type carrierJSON struct {
	Actor   string `json:"actor"`
	Carried int    `json:"carried"`
	Direct  bool   `json:"direct"`
}

func (h *handlers) getTally(w http.ResponseWriter, r *http.Request) {
	p, _, ok := h.readableProposal(w, r)
	if !ok {
		return
	}
	t, err := h.governance.Tally(r.Context(), p.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := tallyJSON{Proposal: p.ID.String(), Phase: t.Phase, Final: t.Final, Options: nonNil(t.Options),
		Carriers: make([]carrierJSON, len(t.Carriers)), CarrierCount: t.CarrierCount,
		Outside: outsideJSON{Agree: t.Outside.Agree, Abstain: t.Outside.Abstain, Object: t.Outside.Object}}
	if t.Count.Outcome != "" { // counted: the proposal reached a vote
		c := renderCount(t.Count, t.Options, t.Phase)
		out.Count = &c
	}
	for i, c := range t.Carriers {
		out.Carriers[i] = carrierJSON{Actor: c.Actor, Carried: c.Carried, Direct: c.Direct}
	}
	writeJSON(w, r, http.StatusOK, out)
}
