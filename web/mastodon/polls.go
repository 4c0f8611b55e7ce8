package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// Polls (Mastodon's Poll entity, /api/v1/polls). A poll's id is its
// status's: a note's id for the poll of a note, a proposal's id for the
// consensus round of a proposal, which Holon shows as a poll of agree,
// abstain and object. Voting in a proposal's poll is casting a ballot
// through governance, with its rules (core/governance PollVoteAs).

// maxChoices bounds the choices read from one vote request; a poll never
// has more options (news.MaxRemotePollOptions).
const maxChoices = news.MaxRemotePollOptions

// maxVoteBody bounds a vote request's body.
const maxVoteBody = 8 << 10

// pollParams is the poll of a status being posted, as a JSON body gives
// it ({"poll": {…}}); Mastodon's clients send numbers and booleans as
// JSON values or as strings.
type pollParams struct {
	Options    []string        `json:"options"`
	ExpiresIn  json.RawMessage `json:"expires_in"`
	Multiple   json.RawMessage `json:"multiple"`
	HideTotals json.RawMessage `json:"hide_totals"`
}

// input makes news' poll input of p; nil p is no poll.
func (p *pollParams) input() (*news.PollInput, error) {
	if p == nil || len(p.Options) == 0 {
		return nil, nil
	}
	if len(p.Options) > maxChoices {
		return nil, pollInvalid("Poll options can't contain more than %d items", news.MaxPollOptions)
	}
	in := &news.PollInput{Options: p.Options}
	secs, err := strconv.Atoi(strings.Trim(string(p.ExpiresIn), `" `))
	if err != nil {
		return nil, pollInvalid("Poll expires in must be a number of seconds")
	}
	in.ExpiresIn = time.Duration(min(max(secs, -1), int(news.MaxPollExpiry/time.Second)+1)) * time.Second
	in.Multiple = truthy(strings.Trim(string(p.Multiple), `"`))
	in.HideTotals = truthy(strings.Trim(string(p.HideTotals), `"`))
	return in, nil
}

// parsePoll reads the poll of a status posted as a form
// (poll[options][], poll[expires_in], poll[multiple], poll[hide_totals]),
// after the caller parsed it; nil when there is none. A JSON body gives
// it as pollParams instead. Errors are answered with writePollError.
func parsePoll(form url.Values) (*news.PollInput, error) {
	options := form["poll[options][]"]
	if len(options) == 0 {
		options = form["poll[options]"]
	}
	if len(options) == 0 {
		return nil, nil
	}
	p := pollParams{Options: options, ExpiresIn: json.RawMessage(form.Get("poll[expires_in]")),
		Multiple: json.RawMessage(form.Get("poll[multiple]")), HideTotals: json.RawMessage(form.Get("poll[hide_totals]"))}
	return p.input()
}

// pollOfStatus reads the poll of a status's parameters: the poll[…]
// fields of a form, or the poll object of a JSON body.
func pollOfStatus(p params) (*news.PollInput, error) {
	raw, ok := p.json["poll"]
	if !ok || raw == nil {
		return parsePoll(p.form)
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("poll of a status: %w", err)
	}
	var pp pollParams
	if err := json.Unmarshal(b, &pp); err != nil {
		return nil, pollInvalid("poll: %s", "options must be a list of texts")
	}
	return pp.input()
}

// truthy reads a boolean parameter as Rails does: anything but a false
// value is true once given.
func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "f", "false", "off", "no", "null":
		return false
	}
	return true
}

func pollInvalid(format string, args ...any) error {
	detail := fmt.Sprintf(format, args...)
	return core.Invalid(core.FieldError{Field: "poll", Code: "invalid-poll", Detail: detail})
}

// notePoll is the poll of note n as viewer sees it; nil when n has none.
// voted and own_votes are present for a viewer only, as Mastodon does.
func (h *handlers) notePoll(ctx context.Context, viewer *membership.Account, n news.Note) (*pollJSON, error) {
	if n.Poll == nil {
		return nil, nil
	}
	p := n.Poll
	now := time.Now()
	out := &pollJSON{ID: n.ID.String(), Expired: p.Expired(now), Multiple: p.Multiple, VotesCount: p.Votes,
		VotersCount: p.Voters, Options: make([]pollOptionJSON, len(p.Options)), Emojis: []emojiJSON{}}
	if p.ExpiresAt != nil {
		at := timestamp(*p.ExpiresAt)
		out.ExpiresAt = &at
	}
	hidden := p.HideTotals && !out.Expired // counts hidden until the end, from everyone
	for i, o := range p.Options {
		out.Options[i].Title = o.Title
		if !hidden {
			votes := o.Votes
			out.Options[i].VotesCount = &votes
		}
	}
	if viewer != nil {
		own, err := h.news.OwnVotes(ctx, viewer, n.ID)
		if err != nil {
			return nil, err
		}
		voted := len(own) > 0
		out.Voted, out.OwnVotes = &voted, own
	}
	return out, nil
}

// positions are the options of a proposal's poll: the consensus round's
// answers.
var positions = []string{governance.Agree, governance.Abstain, governance.Object}

// proposalPoll is the poll of proposal id as viewer sees it: agree,
// abstain and object with their counts in the consensus round (as the
// proposal's page and its Question count them: ballots and the votes
// delegated to them, never outside votes), ending with the round. In the
// value vote, the options with their total scores, which only the
// proposal's page can answer. nil when the viewer may not read it.
func (h *handlers) proposalPoll(ctx context.Context, viewer *membership.Account, proposalID uuid.UUID) (*pollJSON, error) {
	p, err := h.governance.Proposal(ctx, proposalID)
	if err != nil {
		return nil, fmt.Errorf("poll of proposal %s: %w", proposalID, err)
	}
	if ok, err := h.members.MayReadRecords(ctx, viewer, p.AssociationID); err != nil || !ok {
		return nil, err
	}
	t, err := h.governance.Tally(ctx, proposalID)
	if err != nil {
		return nil, fmt.Errorf("poll of proposal %s: %w", proposalID, err)
	}
	out := &pollJSON{ID: p.ID.String(), Expired: !governance.Open(p.Phase), Emojis: []emojiJSON{}}
	counts := []int{t.Count.Agree, t.Count.Abstain, t.Count.Object}
	titles := positions
	if t.Phase == governance.PhaseValueVote {
		titles, counts = t.Options, t.Count.Totals
	}
	out.Options = make([]pollOptionJSON, len(titles))
	for i, title := range titles {
		n := 0
		if i < len(counts) {
			n = counts[i]
		}
		out.Options[i] = pollOptionJSON{Title: title, VotesCount: &n}
		out.VotesCount += n
	}
	voters := t.Count.Participants
	out.VotersCount = &voters
	switch {
	case p.Deadline != nil && p.Phase != governance.PhaseDebate:
		at := timestamp(*p.Deadline)
		out.ExpiresAt = &at
		out.Expired = out.Expired || !time.Now().Before(*p.Deadline)
	case p.ClosedAt != nil:
		at := timestamp(*p.ClosedAt)
		out.ExpiresAt = &at
	}
	if viewer != nil {
		option, _, err := h.governance.OwnPollAnswer(ctx, *viewer, p.ID)
		if err != nil {
			return nil, err
		}
		own := []int{}
		for i, title := range positions {
			if title == option && t.Phase != governance.PhaseValueVote {
				own = append(own, i)
			}
		}
		voted := len(own) > 0
		out.Voted, out.OwnVotes = &voted, own
	}
	return out, nil
}

// findPoll returns the poll {id} as viewer sees it: a note's, else a
// proposal's. nil with no error when there is none viewer may see.
func (h *handlers) findPoll(ctx context.Context, viewer *membership.Account, raw string) (*pollJSON, *news.Note, error) {
	id, err := uuid.Parse(raw)
	if err != nil {
		return nil, nil, nil
	}
	if h.news != nil {
		n, err := h.news.Get(ctx, viewer, id)
		switch {
		case err == nil && n.Poll != nil:
			p, err := h.notePoll(ctx, viewer, n)
			return p, &n, err
		case err == nil, errors.Is(err, news.ErrNoteDeleted):
			return nil, nil, nil
		case !errors.Is(err, news.ErrNoSuchNote):
			return nil, nil, err
		}
	}
	if h.governance == nil {
		return nil, nil, nil
	}
	p, err := h.proposalPoll(ctx, viewer, id)
	if errors.Is(err, governance.ErrNoSuchProposal) {
		return nil, nil, nil
	}
	return p, nil, err
}

// poll answers GET /api/v1/polls/{id}: public when its status is
// readable.
func (h *handlers) poll(w http.ResponseWriter, r *http.Request) {
	p, _, err := h.findPoll(r.Context(), viewer(r, "read:statuses"), chi.URLParam(r, "id"))
	switch {
	case err != nil:
		h.fail(w, r, err)
	case p == nil:
		notFound(w, r)
	default:
		writeJSON(w, r, http.StatusOK, p)
	}
}

// vote answers POST /api/v1/polls/{id}/votes: choices[] (indexes of the
// options) as a form or a JSON array, numbers or strings.
func (h *handlers) vote(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:statuses")
	if !ok {
		return
	}
	ctx := r.Context()
	p, n, err := h.findPoll(ctx, &acc, chi.URLParam(r, "id"))
	switch {
	case err != nil:
		h.fail(w, r, err)
		return
	case p == nil:
		notFound(w, r)
		return
	}
	choices, err := readChoices(r)
	if err != nil {
		writePollError(w, r, h, err)
		return
	}
	id := uuid.MustParse(p.ID)
	if n != nil {
		if _, err := h.news.Vote(ctx, acc, id, choices); err != nil {
			writePollError(w, r, h, err)
			return
		}
	} else {
		if len(choices) != 1 || choices[0] < 0 || choices[0] >= len(positions) {
			writePollError(w, r, h, news.ErrOneChoice)
			return
		}
		if _, err := h.governance.PollVoteAs(ctx, acc, id, positions[choices[0]]); err != nil {
			writePollError(w, r, h, err)
			return
		}
	}
	p, _, err = h.findPoll(ctx, &acc, p.ID)
	if err != nil || p == nil {
		h.fail(w, r, errors.Join(err, errors.New("poll gone after the vote")))
		return
	}
	writeJSON(w, r, http.StatusOK, p)
}

// readChoices reads a vote's choices, bounded.
func readChoices(r *http.Request) ([]int, error) {
	var raw []string
	r.Body = http.MaxBytesReader(nil, r.Body, maxVoteBody)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var body struct {
			Choices []json.RawMessage `json:"choices"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil && !errors.Is(err, io.EOF) {
			return nil, news.ErrInvalidChoice
		}
		for _, c := range body.Choices {
			raw = append(raw, strings.Trim(string(c), `"`))
		}
	} else {
		if err := r.ParseMultipartForm(maxVoteBody); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return nil, news.ErrInvalidChoice
		}
		raw = append(r.Form["choices[]"], r.Form["choices"]...)
	}
	if len(raw) == 0 || len(raw) > maxChoices {
		return nil, news.ErrInvalidChoice
	}
	out := make([]int, len(raw))
	for i, s := range raw {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, news.ErrInvalidChoice
		}
		out[i] = n
	}
	return out, nil
}

// writePollError answers a refused poll or vote as Mastodon does: 404 for
// what the account may not see, 422 "Validation failed: …" for a vote or
// a poll the rules refuse, 403 for an action not allowed (a block).
func writePollError(w http.ResponseWriter, r *http.Request, h *handlers, err error) {
	switch {
	case errors.Is(err, news.ErrNoSuchNote), errors.Is(err, news.ErrNoPoll), errors.Is(err, governance.ErrNoSuchProposal):
		notFound(w, r)
		return
	case errors.Is(err, governance.ErrProposalClosed), errors.Is(err, governance.ErrPhaseEnded):
		err = news.ErrPollEnded
	case errors.Is(err, governance.ErrInDebate):
		err = core.New(core.KindConflict, "poll-not-open", "The poll is not open yet: the proposal is in debate, its members vote from the consensus round")
	case errors.Is(err, governance.ErrWrongPhase):
		err = core.New(core.KindConflict, "poll-value-vote", "This round asks for scores: vote on the proposal's page")
	}
	e, ok := core.As(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	if e.Kind == core.KindForbidden && e.Code == membership.ErrBlocked.Code {
		writeJSON(w, r, http.StatusForbidden, errorJSON{Error: "This action is not allowed"})
		return
	}
	details := []string{sentence(e.Detail)}
	if len(e.Fields) > 0 {
		details = details[:0]
		for _, f := range e.Fields {
			details = append(details, sentence(f.Detail))
		}
	}
	writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: " + strings.Join(details, ", ")})
}

// sentence starts s with a capital, as Mastodon's messages do.
func sentence(s string) string {
	c, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(c)) + s[size:]
}
