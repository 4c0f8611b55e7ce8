package pages

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// ballotFields are the fields of the ballot form: the phase it answers, a
// position and a reason in the consensus round, a score per option in the
// value vote.
var ballotFields = func() []string {
	f := []string{"phase", "position", "reason"}
	for i := range governance.MaxOptions {
		f = append(f, scoreField(i))
	}
	return f
}()

func scoreField(i int) string { return fmt.Sprintf("scores[%d]", i) }

func init() {
	fieldMax["phase"] = 16
	fieldMax["position"] = 16
	for i := range governance.MaxOptions {
		fieldMax[scoreField(i)] = 2
	}
}

// phaseDeadline is when the current phase ends, and how long is left,
// in words, when the page was made.
type phaseDeadline struct {
	At   time.Time
	Left string // "" once passed
}

// optionTally is one option's line of a value vote's count.
type optionTally struct {
	Name   string
	Total  int
	Top    int
	Vetoed bool
	Winner bool
}

// tallyView is the count of the voting phase, live or final.
type tallyView struct {
	Phase     string
	Final     bool
	Count     governance.Count
	Quorum    int // members whose vote must count
	QuorumMet bool
	Options   []optionTally
	MaxTotal  int
	// Outside are poll votes from outside the electorate: shown apart.
	Outside governance.OutsideVotes
}

// carrierView is a delegate and the votes they carry.
type carrierView struct {
	Actor   actorRef
	Carried int
	Direct  bool
}

// scoreInput is one option of the value vote's ballot form.
type scoreInput struct {
	Index int
	Name  string
	Field string
	Value string // the score chosen, as the form holds it
}

// ballotView is the ballot form of the current phase.
type ballotView struct {
	Phase     string
	Positions []string
	Scores    []scoreInput
	Scale     []int
	Max       int // the top of the scale
	Form      *form
}

// myVoteView is how the viewer's vote is used.
type myVoteView struct {
	Eligible bool
	Ballot   *governance.Cast
	Position string
	Scores   []scoreInput // the viewer's scores, named
	Chain    []actorRef   // the viewer, their delegate… the member whose ballot counted
	Carried  int
}

type proposalPage struct {
	frame
	Proposal    governance.Proposal
	Association membership.Association
	Author      actorRef
	Body        []string
	Options     []string // as shown
	Outcome     string   // the adopted option, as shown
	Actions     []actionView
	Open        bool
	Deadline    *phaseDeadline
	Phases      []governance.PhaseRecord
	Tally       *tallyView
	Carriers    []carrierView
	MyVote      *myVoteView
	Ballot      *ballotView     // nil when the viewer may not vote now
	NoVote      core.FieldError // why a member may not vote now
	Debate      *timelineView
	Compose     *composeView
	IsMember    bool
	IsAuthor    bool
	Withdraw    *form
	Failed      *form // the form that went wrong, whose problems head the page
	Done        string
}

// maxCarriersShown bounds the delegates the page lists.
const maxCarriersShown = 20

func (s *server) proposalPage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showProposal(w, r, http.StatusOK, id, newForm(ballotFields...), newForm())
}

// showProposal shows proposal id with its ballot and withdrawal forms.
func (s *server) showProposal(w http.ResponseWriter, r *http.Request, status int, id uuid.UUID, ballot, withdraw *form) {
	ctx := r.Context()
	pr, err := s.governance.Proposal(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.projects.AssociationOf(ctx, pr.AssociationID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, member, err := s.governanceReader(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	viewer := auth.Account(ctx)
	me := s.viewerURI(viewer)
	names, sp := s.namer(ctx), s.speaker(r)
	p := &proposalPage{Proposal: pr, Association: a, Author: names.actor(pr.Author), Body: paragraphs(pr.Body),
		Actions: s.actionViews(names, a, pr), Open: governance.Open(pr.Phase), IsMember: member,
		IsAuthor: me != "" && me == pr.Author, Withdraw: withdraw, Done: doneParam(r, "proposed", "voted", "withdrawn", "posted")}
	for _, o := range pr.Options {
		p.Options = append(p.Options, s.optionName(sp, pr, o))
	}
	if pr.Outcome.OptionName != "" {
		p.Outcome = s.optionName(sp, pr, pr.Outcome.OptionName)
	}
	if pr.Deadline != nil {
		p.Deadline = &phaseDeadline{At: *pr.Deadline, Left: remaining(sp, time.Until(*pr.Deadline))}
	}
	if err := s.proposalCount(r, p, names); err != nil {
		s.fail(w, r, err)
		return
	}
	if member {
		if err := s.myVote(r, p, m, me, ballot); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if s.news != nil {
		if err := s.proposalDebate(r, p); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if p.Ballot == nil {
		ballot.hoist()
	}
	if !(p.IsAuthor && p.Open) {
		withdraw.hoist()
	}
	p.Failed = failed(ballot, withdraw)
	s.render(w, r, status, "proposal", p)
}

// remaining writes d in its largest whole unit: days, hours or minutes
// (at least one); "" once d has passed.
func remaining(sp speaker, d time.Duration) string {
	var (
		msg string
		err error
	)
	switch {
	case d <= 0:
		return ""
	case d >= 24*time.Hour:
		msg, err = sp.tn("duration.days", int(d/(24*time.Hour)))
	case d >= time.Hour:
		msg, err = sp.tn("duration.hours", int(d/time.Hour))
	default:
		msg, err = sp.tn("duration.minutes", max(1, int(d/time.Minute)))
	}
	if err != nil {
		return ""
	}
	return msg
}

// proposalCount adds the phases, the count of the voting phase and the
// delegates who carry votes.
func (s *server) proposalCount(r *http.Request, p *proposalPage, names *namer) error {
	ctx := r.Context()
	phases, err := s.governance.Phases(ctx, p.Proposal.ID)
	if err != nil {
		return err
	}
	p.Phases = phases
	t, err := s.governance.Tally(ctx, p.Proposal.ID)
	if err != nil {
		return err
	}
	if t.Phase != governance.PhaseConsensus && t.Phase != governance.PhaseValueVote {
		return nil // never reached a vote
	}
	c := t.Count
	tv := &tallyView{Phase: t.Phase, Final: t.Final, Count: c,
		Quorum: max(1, int(math.Ceil(c.Quorum*float64(c.Eligible)-1e-9)))}
	tv.QuorumMet = c.Participants >= tv.Quorum
	tv.Outside = t.Outside
	if t.Phase == governance.PhaseValueVote {
		for i, name := range p.Options {
			o := optionTally{Name: name, Winner: t.Final && c.Outcome == governance.OutcomeAdopted && c.Winner == i}
			if i < len(c.Totals) {
				o.Total, o.Top = c.Totals[i], c.Top[i]
			}
			if i < len(c.Vetoed) {
				o.Vetoed = c.Vetoed[i]
			}
			tv.MaxTotal = max(tv.MaxTotal, o.Total)
			tv.Options = append(tv.Options, o)
		}
	}
	p.Tally = tv
	for _, c := range t.Carriers[:min(len(t.Carriers), maxCarriersShown)] {
		p.Carriers = append(p.Carriers, carrierView{Actor: names.actor(c.Actor), Carried: c.Carried, Direct: c.Direct})
	}
	return nil
}

// myVote adds, for a member, their ballot, how their vote is used and the
// ballot form while they may vote.
func (s *server) myVote(r *http.Request, p *proposalPage, m membership.Member, me string, f *form) error {
	ctx := r.Context()
	if p.Tally == nil && p.Proposal.Phase != governance.PhaseDebate {
		return nil
	}
	names := s.namer(ctx)
	mine := &myVoteView{}
	if p.Tally != nil {
		use, err := s.governance.VoteOf(ctx, me, p.Proposal.ID)
		if err != nil {
			return err
		}
		mine.Eligible, mine.Carried = use.Eligible, use.Carried
		for _, a := range use.Chain {
			mine.Chain = append(mine.Chain, names.actor(a))
		}
		b, err := s.governance.Ballot(ctx, p.Proposal.ID, p.Tally.Phase, me)
		switch {
		case err == nil:
			mine.Ballot, mine.Position = &b, b.Position
			for i, score := range b.Scores {
				if i < len(p.Options) {
					mine.Scores = append(mine.Scores, scoreInput{Index: i, Name: p.Options[i], Value: strconv.Itoa(score)})
				}
			}
		case !errors.Is(err, governance.ErrNoSuchBallot):
			return err
		}
	}
	p.MyVote = mine
	voting := p.Proposal.Phase == governance.PhaseConsensus || p.Proposal.Phase == governance.PhaseValueVote
	switch {
	case p.Proposal.Phase == governance.PhaseDebate:
		p.NoVote = core.FieldError{Code: governance.ErrInDebate.Code, Detail: governance.ErrInDebate.Detail}
	case !voting:
	case p.Deadline == nil || p.Deadline.Left == "":
		p.NoVote = core.FieldError{Code: governance.ErrPhaseEnded.Code, Detail: governance.ErrPhaseEnded.Detail}
	case m.VotingSuspended:
		p.NoVote = core.FieldError{Code: governance.ErrVotingSuspended.Code, Detail: governance.ErrVotingSuspended.Detail}
	case !mine.Eligible:
		p.NoVote = core.FieldError{Code: governance.ErrNotInElectorate.Code, Detail: governance.ErrNotInElectorate.Detail}
	default:
		p.Ballot = s.ballotView(p, mine, f)
	}
	return nil
}

// ballotView is the ballot form of the current phase, holding the
// viewer's ballot until they change it.
func (s *server) ballotView(p *proposalPage, mine *myVoteView, f *form) *ballotView {
	phase := p.Proposal.Phase
	v := &ballotView{Phase: phase, Form: f, Max: governance.MaxScore}
	fresh := !f.submitted("phase")
	if fresh && mine.Ballot != nil {
		f.Values["position"], f.Values["reason"] = mine.Ballot.Position, mine.Ballot.Reason
		for i, score := range mine.Ballot.Scores {
			f.Values[scoreField(i)] = strconv.Itoa(score)
		}
	}
	if phase == governance.PhaseConsensus {
		v.Positions = []string{governance.Agree, governance.Abstain, governance.Object}
		return v
	}
	for i := range governance.MaxScore + 1 {
		v.Scale = append(v.Scale, i)
	}
	for i, name := range p.Options {
		v.Scores = append(v.Scores, scoreInput{Index: i, Name: name, Field: scoreField(i), Value: f.Value(scoreField(i))})
	}
	return v
}

// proposalDebate adds the replies to the proposal and, for a member, the
// form that posts one.
func (s *server) proposalDebate(r *http.Request, p *proposalPage) error {
	ctx := r.Context()
	viewer := auth.Account(ctx)
	uri := s.governance.ProposalURI(p.Proposal.ID)
	page, err := s.news.Debate(ctx, viewer, uri, cursorParam(r))
	if err != nil {
		return err
	}
	back := proposalPath(p.Proposal.ID)
	p.Debate = s.timelineView(r, page)
	for i := range p.Debate.Entries {
		p.Debate.Entries[i].Reply = true
		p.Debate.Entries[i].Back = back
	}
	if viewer == nil || !p.IsMember {
		return nil
	}
	cf := newForm(composeFields...)
	cf.Values["in_reply_to"] = uri
	if p.Compose, err = s.composeView(r, *viewer, cf, back); err != nil {
		return err
	}
	p.Compose.Authors = nil // a reply goes as oneself
	p.Compose.Reply = true
	return nil
}

// castBallot records the viewer's ballot in the current phase, replacing
// their earlier one.
func (s *server) castBallot(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, proposalPath(id))
		return
	}
	f, err := readForm(r, ballotFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		in := governance.BallotInput{Phase: f.Value("phase"), Position: f.Value("position"), Reason: f.Value("reason")}
		if in.Phase == governance.PhaseValueVote {
			in.Position = ""
			in.Scores, err = s.scoresOf(ctx, id, f)
		}
		if err == nil {
			_, err = s.governance.Vote(ctx, acc, id, in)
		}
		if err == nil {
			redirect(w, r, proposalPath(id)+"?done=voted")
			return
		}
		if core.KindOf(err) == core.KindNotFound || !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	s.showProposal(w, r, f.Status(), id, f, newForm())
}

// scoresOf reads a score for each option of proposal id from the form.
func (s *server) scoresOf(ctx context.Context, id uuid.UUID, f *form) ([]int, error) {
	pr, err := s.governance.Proposal(ctx, id)
	if err != nil {
		return nil, err
	}
	var fe core.FieldErrors
	scores := make([]int, len(pr.Options))
	for i := range pr.Options {
		v := f.Value(scoreField(i))
		n, err := strconv.Atoi(v)
		switch {
		case v == "":
			fe.Add(scoreField(i), codeRequired, "score each option")
		case err != nil || n < 0 || n > governance.MaxScore:
			fe.Add(scoreField(i), codeInvalidChoice, fmt.Sprintf("a score from 0 to %d", governance.MaxScore))
		}
		scores[i] = n
	}
	return scores, fe.Err()
}

// withdrawProposal closes the viewer's own open proposal.
func (s *server) withdrawProposal(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := s.postForm(w, r, proposalPath(id), nil, nil, func(acc membership.Account, _ *form) (string, error) {
		_, err := s.governance.Withdraw(r.Context(), acc, id)
		return "withdrawn", err
	})
	if f == nil {
		return
	}
	s.showProposal(w, r, f.Status(), id, newForm(ballotFields...), f)
}
