package governance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Ballots and voting instructions across instances (docs/vocabulary.md
// §5.8, §5.9). On the association's instance, what a member elsewhere
// sends is counted as if cast here, once its sender is known to be that
// member, and answered with an Accept or a Reject saying why. On the
// member's instance, what they send waits for that answer.

// Messages governance sends to other instances.
const (
	MessageCreate = "Create" // a ballot or a delegation, first sent
	MessageUpdate = "Update" // sent again, changed
	MessageAccept = "Accept" // the association counts it
	MessageReject = "Reject" // it does not (Reason says why)
)

// Message is an activity governance asks to send, in the transaction of
// the change that causes it. From is a local actor's id, To the
// recipient's (a stored actor). ID is the activity's id (governance chooses
// it, so that the answer can be matched); Object, for an Accept or a
// Reject, is the activity answered.
type Message struct {
	Type       string
	ID         string
	From, To   string
	Object     string
	Reason     string
	Ballot     *SentBallot
	Delegation *SentDelegation
}

// Messenger turns messages into activities and queues their delivery, in
// the caller's transaction (federation).
type Messenger interface {
	Send(ctx context.Context, tx store.Tx, m Message) error
}

// UseMessenger sets who sends governance's messages. It is set once, at
// wiring, before the service is used by several goroutines.
func (s *Service) UseMessenger(m Messenger) { s.messenger = m }

var errNoMessenger = errors.New("federation is not wired: governance cannot send")

func (s *Service) send(ctx context.Context, tx store.Tx, m Message) error {
	if s.messenger == nil {
		return errNoMessenger
	}
	return s.messenger.Send(ctx, tx, m)
}

// Refusals of what a member elsewhere sends.
var (
	ErrNotHere        = core.New(core.KindNotFound, "not-here", "this is not a proposal nor an association of this instance")
	ErrActsForAnother = core.New(core.KindForbidden, "acts-for-another", "a member votes and delegates only for themselves")
	ErrNotMemberThere = core.New(core.KindForbidden, "not-member-elsewhere", "you are not an active member of this association")
)

// NamedScore is a value-vote score as the wire carries it: the option by
// its name.
type NamedScore struct {
	Option string `json:"option"`
	Score  int    `json:"score"`
}

// ReceivedBallot is a ballot a member elsewhere sent (the Create or
// Update Activity, signed by Actor), for the voter For (its
// attributedTo), on the proposal whose id on the wire is Proposal.
type ReceivedBallot struct {
	Activity string
	Actor    string
	For      string
	Proposal string
	Phase    string
	Position string
	Scores   []NamedScore
	Reason   string
}

// ReceiveBallot counts a ballot sent by a member on another instance, as
// Vote counts one cast here: the sender must be the voter, an active
// member of the proposal's association with voting rights, in the phase's
// electorate; the phase must be open and the one the ballot is for. It is
// answered with an Accept, or with a Reject saying why (and the refusal is
// returned). A proposal that is not this instance's is ErrNotHere, and
// nothing is answered.
func (s *Service) ReceiveBallot(ctx context.Context, b ReceivedBallot) (Cast, error) {
	id, ok := s.ProposalID(b.Proposal)
	if !ok {
		return Cast{}, ErrNotHere
	}
	var out Cast
	var association string
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		p, err := proposalForBallot(ctx, tx, id)
		if err != nil {
			return err
		}
		group, err := tx.Actors().OfAssociation(ctx, p.AssociationID)
		if err != nil {
			return err
		}
		association = group.URI
		if b.For != b.Actor {
			return ErrActsForAnother
		}
		m, err := memberByActor(ctx, tx, p.AssociationID, b.Actor)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (m.Local || m.Status != membership.MemberActive)) {
			return ErrNotMember
		}
		if err != nil {
			return err
		}
		if m.VotingSuspended {
			return ErrVotingSuspended
		}
		if err := s.checkOpen(p, b.Phase); err != nil {
			return err
		}
		in, err := ballotFromNames(p, b)
		if err != nil {
			return err
		}
		if out, err = s.cast(ctx, tx, p, b.Actor, &m, in); err != nil {
			return err
		}
		return s.send(ctx, tx, Message{Type: MessageAccept, From: group.URI, To: b.Actor, Object: b.Activity})
	})
	if err != nil {
		return Cast{}, s.refuse(ctx, association, b.Actor, b.Activity, fmt.Errorf("receive ballot on %s: %w", b.Proposal, err))
	}
	return out, nil
}

// ballotFromNames reads b's scores, option by name, in the order of p's
// options: each option scored once.
func ballotFromNames(p store.Proposal, b ReceivedBallot) (BallotInput, error) {
	in := BallotInput{Phase: b.Phase, Position: b.Position, Reason: b.Reason}
	if len(b.Scores) > 0 {
		var options []string
		if err := json.Unmarshal([]byte(p.Options), &options); err != nil {
			return BallotInput{}, fmt.Errorf("options of proposal %s: %w", p.ID, err)
		}
		if len(b.Scores) != len(options) {
			return BallotInput{}, ErrUnknownOption
		}
		in.Scores = make([]int, len(options))
		seen := make([]bool, len(options))
		for _, sc := range b.Scores {
			i := slices.Index(options, sc.Option)
			if i < 0 || seen[i] {
				return BallotInput{}, ErrUnknownOption
			}
			seen[i], in.Scores[i] = true, sc.Score
		}
	}
	var fe fieldErrors
	in.checkShape(&fe)
	if err := fe.Err(); err != nil {
		return BallotInput{}, err
	}
	return in, nil
}

// ReceivedDelegation is a member elsewhere's instruction for one scope
// (a category, or "all") in the association whose actor is Association,
// sent with Activity by Actor for For (its attributedTo). No delegates
// withdraws the instruction for that scope.
type ReceivedDelegation struct {
	Activity    string
	Actor       string
	For         string
	Association string
	Scope       string
	Delegates   []DelegateRef
}

// ScopeAll is how the wire names the instruction for every category.
const ScopeAll = "all"

// ReceiveInstructions applies a delegation sent by a member on another
// instance, as SetInstructions does for a member here, to the one scope it
// names: the sender must be the member, active in the association; each
// delegate a member or a role one may delegate to. It is answered with an
// Accept, or a Reject saying why (and the refusal is returned). An
// association that is not this instance's is ErrNotHere, and nothing is
// answered.
func (s *Service) ReceiveInstructions(ctx context.Context, d ReceivedDelegation) ([]VotingRule, error) {
	scope := d.Scope
	if scope == ScopeAll {
		scope = ""
	}
	var out []VotingRule
	var association string
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		group, err := tx.Actors().ByURI(ctx, d.Association)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (!group.Local || group.AssociationID == nil)) {
			return ErrNotHere
		}
		if err != nil {
			return err
		}
		association = group.URI
		if d.For != d.Actor {
			return ErrActsForAnother
		}
		m, err := memberByActor(ctx, tx, *group.AssociationID, d.Actor)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (m.Local || m.Status != membership.MemberActive)) {
			return ErrNotMember
		}
		if err != nil {
			return err
		}
		current, err := s.instructionsOf(ctx, tx, *group.AssociationID, d.Actor)
		if err != nil {
			return err
		}
		rules := slices.DeleteFunc(current, func(r VotingRule) bool { return r.Scope == scope })
		rules = append(rules, VotingRule{Scope: scope, Delegates: d.Delegates})
		if rules, err = checkRules(rules); err != nil {
			return err
		}
		if out, err = s.replaceInstructions(ctx, tx, *group.AssociationID, d.Actor, rules); err != nil {
			return err
		}
		return s.send(ctx, tx, Message{Type: MessageAccept, From: group.URI, To: d.Actor, Object: d.Activity})
	})
	if err != nil {
		return nil, s.refuse(ctx, association, d.Actor, d.Activity, fmt.Errorf("receive delegation in %s: %w", d.Association, err))
	}
	return out, nil
}

// refuse answers activity with a Reject from the association saying why,
// when err is a refusal of the rules and the association is known, and
// returns err.
func (s *Service) refuse(ctx context.Context, association, to, activity string, err error) error {
	e, ok := core.As(err)
	if !ok || association == "" || errors.Is(err, ErrNotHere) {
		return err
	}
	reason := e.Detail
	if len(e.Fields) > 1 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.Field + ": " + f.Detail
		}
		reason = strings.Join(parts, "; ")
	}
	sent := s.db.InTx(ctx, func(tx store.Tx) error {
		return s.send(ctx, tx, Message{Type: MessageReject, From: association, To: to, Object: activity, Reason: line(reason)})
	})
	return errors.Join(err, sent)
}

// MaxRefusal bounds the reason of a Reject, sent or kept.
const MaxRefusal = 500

// line keeps the first line of s, at most MaxRefusal bytes (whole runes).
func line(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) <= MaxRefusal {
		return s
	}
	cut := MaxRefusal
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut]
}
