package vocab

import (
	"fmt"
	"html"
	"time"

	"github.com/holon-network/holon/vocab/streams"
	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// ProposalFields is a proposal as it goes on the wire: an ActivityStreams
// Question, the type Mastodon shows as a poll, extended with Holon's
// properties. Object.AttributedTo is the author, Object.Audience the
// association (which publishes it, receives the votes and counts them).
//
// Mastodon shows a Question's content and treats its summary as a content
// warning that hides everything else (docs/vocabulary.md, "What Mastodon
// shows"). So a proposal carries no summary: its content starts with its
// name and its Summary line, then Object.Content.
type ProposalFields struct {
	Object
	Category string // general, budget_allocation, project_evaluation, task_verification, membership, statutes…
	Phase    string // debate, consensus, value_vote, adopted, rejected, withdrawn
	Phases   []PhaseSpan
	Options  []Option // the current phase's options; none during the debate
	MaxScore int      // the value vote's scale, 0 to MaxScore
	Actions  []ProposalAction
	Outcome  string    // the chosen option's name, once closed
	Voters   int       // how many members voted in the current phase
	Closed   time.Time // when the last phase closed; zero while open
}

// PhaseSpan is one phase of a proposal with its opening and deadline.
type PhaseSpan struct {
	Phase      string
	Start, End time.Time
}

// Option is one answer of the current phase: agree, abstain, object in the
// consensus phase, the alternatives in the value vote. Count is how many
// chose it (consensus) or its total score (value vote), as Mastodon reads
// an option's replies.totalItems.
type Option struct {
	Name  string
	Count int
}

// ProposalAction is what an adopted proposal runs: allocate Amount to the
// task Object, accept or reject the project Object, verify the submission
// Object, change the association's Setting or its rules for a category,
// or admit or exclude the member Object.
type ProposalAction struct {
	Kind    string // allocate, accept_project, reject_project, verify_submission, change_setting, change_rules, admit_member, exclude_member
	Object  string // IRI; "" for change_setting and change_rules
	Amount  *Amount
	Setting *Setting
}

// Setting is a setting an action changes, as a PropertyValue; for
// change_rules, the category whose thresholds change and the new ones.
type Setting struct {
	Name  string // "consensus_period"; "statutes" for change_rules
	Value string // "168h"; "quorum 0.5, majority 0.6" for change_rules
}

// NewProposal builds a proposal as a Question.
func NewProposal(f ProposalFields) (streamsvocab.ActivityStreamsQuestion, error) {
	q := streams.NewActivityStreamsQuestion()
	if err := plainLine("proposal", "summary", f.Summary, MaxSummaryLength); err != nil {
		return nil, err
	}
	withText := f.Object
	withText.Summary = ""
	withText.Content = "<p><strong>" + html.EscapeString(f.Name) + "</strong></p><p>" + html.EscapeString(f.Summary) + "</p>" + f.Content
	if err := setObject(q, withText, objectRules{kind: "proposal", noSummary: true, noID: true}); err != nil {
		return nil, err
	}
	if err := oneOf("proposal", "phase", f.Phase, false, phases...); err != nil {
		return nil, err
	}
	ph := streams.NewHolonPhaseProperty()
	ph.Set(f.Phase)
	q.SetHolonPhase(ph)
	if f.Category != "" {
		c, err := category("proposal", f.Category)
		if err != nil {
			return nil, err
		}
		q.SetSchemaCategory(c)
	}

	var current *PhaseSpan
	if len(f.Phases) > 0 {
		ps := streams.NewHolonPhasesProperty()
		for i := range f.Phases {
			span := f.Phases[i]
			if err := oneOf("proposal", "phases", span.Phase, false, "debate", "consensus", "value_vote"); err != nil {
				return nil, err
			}
			if span.Start.IsZero() || !span.End.After(span.Start) {
				return nil, fmt.Errorf("%w: proposal phase %s needs a start and a later end", ErrInvalidObject, span.Phase)
			}
			if span.Phase == f.Phase {
				current = &f.Phases[i]
			}
			p := streams.NewHolonPhase()
			pp := streams.NewHolonPhaseProperty()
			pp.Set(span.Phase)
			p.SetHolonPhase(pp)
			s := streams.NewActivityStreamsStartTimeProperty()
			s.Set(span.Start.UTC())
			p.SetActivityStreamsStartTime(s)
			e := streams.NewActivityStreamsEndTimeProperty()
			e.Set(span.End.UTC())
			p.SetActivityStreamsEndTime(e)
			ps.AppendHolonPhase(p)
		}
		q.SetHolonPhases(ps)
	}
	voting := f.Phase == "consensus" || f.Phase == "value_vote"
	if voting && current == nil {
		return nil, fmt.Errorf("%w: proposal in phase %s does not list it in its phases", ErrInvalidObject, f.Phase)
	}
	if current != nil {
		// Mastodon closes its poll at endTime (PollParser#expires_at).
		e := streams.NewActivityStreamsEndTimeProperty()
		e.Set(current.End.UTC())
		q.SetActivityStreamsEndTime(e)
	}

	if voting && len(f.Options) < 2 {
		return nil, fmt.Errorf("%w: a proposal that is voted on needs at least two options", ErrInvalidObject)
	}
	if f.Phase == "debate" && len(f.Options) > 0 {
		return nil, fmt.Errorf("%w: a proposal in debate has no options yet", ErrInvalidObject)
	}
	if len(f.Options) > 0 {
		seen := map[string]bool{}
		oneOfProp := streams.NewActivityStreamsOneOfProperty()
		for _, o := range f.Options {
			if err := plainLine("proposal", "option", o.Name, MaxNameLength); err != nil {
				return nil, err
			}
			if seen[o.Name] || o.Count < 0 {
				return nil, fmt.Errorf("%w: proposal option %q is repeated or has a negative count", ErrInvalidObject, o.Name)
			}
			seen[o.Name] = true
			n := streams.NewActivityStreamsNote()
			n.SetActivityStreamsName(nameProp(o.Name))
			total := streams.NewActivityStreamsCollection()
			ti := streams.NewActivityStreamsTotalItemsProperty()
			ti.Set(o.Count)
			total.SetActivityStreamsTotalItems(ti)
			r := streams.NewActivityStreamsRepliesProperty()
			r.SetActivityStreamsCollection(total)
			n.SetActivityStreamsReplies(r)
			oneOfProp.AppendActivityStreamsNote(n)
		}
		q.SetActivityStreamsOneOf(oneOfProp)
		vc := streams.NewTootVotersCountProperty()
		if f.Voters < 0 {
			return nil, fmt.Errorf("%w: negative voters count", ErrInvalidObject)
		}
		vc.Set(f.Voters)
		q.SetTootVotersCount(vc)
	}
	if f.MaxScore < 0 {
		return nil, fmt.Errorf("%w: negative maximum score", ErrInvalidObject)
	}
	if f.MaxScore > 0 {
		m := streams.NewHolonMaxScoreProperty()
		m.Set(f.MaxScore)
		q.SetHolonMaxScore(m)
	}
	if len(f.Actions) > 0 {
		as := streams.NewHolonActionsProperty()
		for i, a := range f.Actions {
			action, err := a.build(i)
			if err != nil {
				return nil, err
			}
			as.AppendHolonAction(action)
		}
		q.SetHolonActions(as)
	}
	final := f.Phase == "adopted" || f.Phase == "rejected" || f.Phase == "withdrawn"
	if final != !f.Closed.IsZero() {
		return nil, fmt.Errorf("%w: a proposal is closed exactly when its phase is adopted, rejected or withdrawn", ErrInvalidObject)
	}
	if final {
		c := streams.NewActivityStreamsClosedProperty()
		c.AppendXMLSchemaDateTime(f.Closed.UTC())
		q.SetActivityStreamsClosed(c)
	}
	if f.Outcome != "" {
		if !final {
			return nil, fmt.Errorf("%w: an open proposal has no outcome yet", ErrInvalidObject)
		}
		o := streams.NewHolonOutcomeProperty()
		o.Set(f.Outcome)
		q.SetHolonOutcome(o)
	}
	return q, nil
}

func (a ProposalAction) build(i int) (streamsvocab.HolonAction, error) {
	if err := oneOf("proposal", "action kind", a.Kind, false, actionKinds...); err != nil {
		return nil, err
	}
	action := streams.NewHolonAction()
	k := streams.NewHolonKindProperty()
	k.Set(a.Kind)
	action.SetHolonKind(k)
	switch {
	case a.Kind == "change_setting" || a.Kind == "change_rules":
		if a.Setting == nil || a.Setting.Name == "" || a.Object != "" {
			return nil, fmt.Errorf("%w: action %d changes a setting or rules: it needs the setting and no object", ErrInvalidObject, i)
		}
		pv := streams.NewSchemaPropertyValue()
		pv.SetActivityStreamsName(nameProp(a.Setting.Name))
		v := streams.NewSchemaValueProperty()
		v.Set(a.Setting.Value)
		pv.SetSchemaValue(v)
		o := streams.NewActivityStreamsObjectProperty()
		o.AppendSchemaPropertyValue(pv)
		action.SetActivityStreamsObject(o)
	default:
		u, err := absoluteIRI("proposal", "action object", a.Object)
		if err != nil {
			return nil, err
		}
		o := streams.NewActivityStreamsObjectProperty()
		o.AppendIRI(u)
		action.SetActivityStreamsObject(o)
	}
	if (a.Kind == "allocate") != (a.Amount != nil) {
		return nil, fmt.Errorf("%w: action %d: only an allocation has an amount, and it must", ErrInvalidObject, i)
	}
	if a.Amount != nil {
		if err := a.Amount.check(false); err != nil {
			return nil, fmt.Errorf("action %d amount: %w", i, err)
		}
		am := streams.NewHolonAmountProperty()
		am.Set(a.Amount.monetary())
		action.SetHolonAmount(am)
	}
	return action, nil
}

// BallotFields is a member's vote. Object.AttributedTo is the voter,
// Object.To the association that counts it.
type BallotFields struct {
	Object
	Proposal string // the Question's IRI (inReplyTo, as Mastodon's votes)
	Phase    string // consensus or value_vote
	Position string // agree, abstain, object: consensus only
	Scores   []OptionScore
}

// OptionScore is the score a value-vote ballot gives one option.
type OptionScore struct {
	Option string
	Score  int
}

// NewBallot builds a ballot. It has no core type: it only ever goes to the
// association, and a Note there would count as a Mastodon vote.
func NewBallot(f BallotFields) (streamsvocab.HolonBallot, error) {
	b := streams.NewHolonBallot()
	if err := setObject(b, f.Object, objectRules{kind: "ballot"}); err != nil {
		return nil, err
	}
	if f.AttributedTo == "" {
		return nil, fmt.Errorf("%w: a ballot needs its voter (attributedTo)", ErrInvalidObject)
	}
	u, err := absoluteIRI("ballot", "proposal", f.Proposal)
	if err != nil {
		return nil, err
	}
	r := streams.NewActivityStreamsInReplyToProperty()
	r.AppendIRI(u)
	b.SetActivityStreamsInReplyTo(r)
	if err := oneOf("ballot", "phase", f.Phase, false, "consensus", "value_vote"); err != nil {
		return nil, err
	}
	ph := streams.NewHolonPhaseProperty()
	ph.Set(f.Phase)
	b.SetHolonPhase(ph)
	switch f.Phase {
	case "consensus":
		if len(f.Scores) > 0 {
			return nil, fmt.Errorf("%w: a consensus ballot has a position, not scores", ErrInvalidObject)
		}
		if err := oneOf("ballot", "position", f.Position, false, positions...); err != nil {
			return nil, err
		}
		p := streams.NewHolonPositionProperty()
		p.Set(f.Position)
		b.SetHolonPosition(p)
	case "value_vote":
		if f.Position != "" || len(f.Scores) == 0 {
			return nil, fmt.Errorf("%w: a value-vote ballot has scores, not a position", ErrInvalidObject)
		}
		seen := map[string]bool{}
		ss := streams.NewHolonScoresProperty()
		for _, s := range f.Scores {
			if err := plainLine("ballot", "option", s.Option, MaxNameLength); err != nil {
				return nil, err
			}
			if seen[s.Option] || s.Score < 0 {
				return nil, fmt.Errorf("%w: ballot scores option %q twice or below zero", ErrInvalidObject, s.Option)
			}
			seen[s.Option] = true
			score := streams.NewHolonScore()
			score.SetActivityStreamsName(nameProp(s.Option))
			sp := streams.NewHolonScoreProperty()
			sp.Set(s.Score)
			score.SetHolonScore(sp)
			ss.AppendHolonScore(score)
		}
		b.SetHolonScores(ss)
	}
	return b, nil
}

// DelegationFields is a member's voting instructions for one scope.
// Object.AttributedTo is the member, Object.To the association.
type DelegationFields struct {
	Object
	Scope     string     // a proposal category, or "all"
	Delegates []Delegate // in order of preference; none withdraws the delegation
}

// Delegate is an actor, or a role (whoever holds it when the vote is
// counted). Exactly one is set.
type Delegate struct {
	Actor string
	Role  *Role
}

// Role is a role in an association: member, board, treasurer, beneficiary.
// Context scopes it: the project a beneficiary benefits from.
type Role struct {
	Name    string
	Context string
}

func (r Role) build(kind string) (streamsvocab.HolonRole, error) {
	if err := oneOf(kind, "role", r.Name, false, roleNames...); err != nil {
		return nil, err
	}
	role := streams.NewHolonRole()
	n := streams.NewHolonRoleNameProperty()
	n.Set(r.Name)
	role.SetHolonRoleName(n)
	if r.Context != "" {
		u, err := absoluteIRI(kind, "role context", r.Context)
		if err != nil {
			return nil, err
		}
		c := streams.NewActivityStreamsContextProperty()
		c.AppendIRI(u)
		role.SetActivityStreamsContext(c)
	}
	return role, nil
}

// NewDelegation builds a delegation. It has no core type: it only goes to
// the association.
func NewDelegation(f DelegationFields) (streamsvocab.HolonDelegation, error) {
	d := streams.NewHolonDelegation()
	if err := setObject(d, f.Object, objectRules{kind: "delegation"}); err != nil {
		return nil, err
	}
	if f.AttributedTo == "" {
		return nil, fmt.Errorf("%w: a delegation needs its member (attributedTo)", ErrInvalidObject)
	}
	if !categoryWord.MatchString(f.Scope) {
		return nil, fmt.Errorf("%w: delegation scope %q is not a category or all", ErrInvalidObject, f.Scope)
	}
	s := streams.NewHolonScopeProperty()
	s.Set(f.Scope)
	d.SetHolonScope(s)
	ds := streams.NewHolonDelegatesProperty()
	for i, del := range f.Delegates {
		switch {
		case (del.Actor == "") == (del.Role == nil):
			return nil, fmt.Errorf("%w: delegate %d must be an actor or a role", ErrInvalidObject, i)
		case del.Role != nil:
			role, err := del.Role.build("delegation")
			if err != nil {
				return nil, err
			}
			ds.AppendHolonRole(role)
		default:
			u, err := absoluteIRI("delegation", "delegate", del.Actor)
			if err != nil {
				return nil, err
			}
			ds.AppendIRI(u)
		}
	}
	if ds.Len() > 0 {
		d.SetHolonDelegates(ds)
	}
	return d, nil
}
