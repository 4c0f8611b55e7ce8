package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// governanceMessenger turns governance's messages into the activities of
// docs/vocabulary.md §5.8–5.9 (a member's Ballot and Delegation, the
// association's Accept or Reject of them) and queues their delivery in the
// same transaction (governance.Messenger).
type governanceMessenger struct {
	baseURL string
	clock   core.Clock
	// queued tells the delivery worker there is work, once the
	// transaction has committed.
	queued func()
}

// Send implements governance.Messenger: from a local actor to a stored
// one (the association a member is a member of, or the member who sent
// what is answered).
func (gm *governanceMessenger) Send(ctx context.Context, tx store.Tx, m governance.Message) error {
	return sendOne(ctx, tx, gm.baseURL, gm.clock.Now(), gm.queued, message{kind: m.Type, from: m.From, to: m.To, id: m.ID,
		build: func(id string, from store.Actor) (vocab.Type, error) {
			m.ID = id
			return gm.activity(from.Username, m)
		}})
}

// activity builds the activity m describes; name is the sender's.
func (gm *governanceMessenger) activity(name string, m governance.Message) (vocab.Type, error) {
	now := gm.clock.Now().UTC()
	f := vocab.ActivityFields{ID: m.ID, Actor: m.From, To: []string{m.To}, Published: now}
	switch {
	case m.Ballot != nil && (m.Type == governance.MessageCreate || m.Type == governance.MessageUpdate):
		b, err := ballotObject(name, *m.Ballot)
		if err != nil {
			return nil, err
		}
		f.Object = b
	case m.Delegation != nil && (m.Type == governance.MessageCreate || m.Type == governance.MessageUpdate):
		d, err := delegationObject(name, *m.Delegation)
		if err != nil {
			return nil, err
		}
		f.Object = d
	case m.Type == governance.MessageAccept || m.Type == governance.MessageReject:
		f.ObjectIRI, f.Summary = m.Object, line(m.Reason, vocab.MaxSummaryLength)
	default:
		return nil, errors.New("not a governance message Holon sends")
	}
	return vocab.NewActivity(m.Type, f)
}

// ballotObject is a ballot sent to the association that counts it (§5.8).
func ballotObject(name string, b governance.SentBallot) (vocab.Type, error) {
	summary := name + " scores the options."
	if b.Position != "" {
		summary = name + " " + map[string]string{"agree": "agrees.", "abstain": "abstains.", "object": "objects."}[b.Position]
	}
	scores := make([]vocab.OptionScore, len(b.Scores))
	for i, s := range b.Scores {
		scores[i] = vocab.OptionScore{Option: s.Option, Score: s.Score}
	}
	return vocab.NewBallot(vocab.BallotFields{
		Object: vocab.Object{ID: b.URI, Name: name + "'s ballot", Summary: summary, Content: paragraphsOf(b.Reason),
			AttributedTo: b.Voter, Published: b.CreatedAt, Updated: b.UpdatedAt, To: []string{b.Association}},
		Proposal: b.Proposal, Phase: b.Phase, Position: b.Position, Scores: scores})
}

// delegationObject is a member's instruction for one scope, sent to the
// association (§5.9); no delegates withdraws it.
func delegationObject(name string, d governance.SentDelegation) (vocab.Type, error) {
	scope, what := d.Scope, d.Scope
	if scope == "" {
		scope, what = governance.ScopeAll, "every category"
	}
	summary := "On " + what + " " + name + " follows nobody."
	delegates := make([]vocab.Delegate, len(d.Delegates))
	for i, x := range d.Delegates {
		if x.Role != "" {
			delegates[i] = vocab.Delegate{Role: &vocab.Role{Name: x.Role}}
		} else {
			delegates[i] = vocab.Delegate{Actor: x.Actor}
		}
	}
	if len(delegates) > 0 {
		summary = fmt.Sprintf("On %s %s follows %d delegate(s), in order.", what, name, len(delegates))
	}
	return vocab.NewDelegation(vocab.DelegationFields{
		Object: vocab.Object{ID: d.URI, Name: line(name+"'s delegation for "+what, vocab.MaxNameLength), Summary: summary,
			AttributedTo: d.Member, Published: d.CreatedAt, Updated: d.UpdatedAt, To: []string{d.Association}},
		Scope: scope, Delegates: delegates})
}
