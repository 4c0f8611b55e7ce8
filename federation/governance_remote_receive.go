package federation

import (
	"context"
	"errors"
	"math"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// useRemoteGovernance (called by UseGovernance) makes the instance hear the ballots and delegations
// members elsewhere send its associations, and the answers to those its
// own persons send elsewhere (docs/vocabulary.md §5.8–5.9); g sends its
// own through the delivery queue. It wraps the Create, Update, Accept and
// Reject handlers registered before it, which get everything else.
func (f *Federation) useRemoteGovernance(g *governance.Service) {
	governanceHandlers{gov: g, baseURL: f.cfg.BaseURL(), log: f.log}.register(f.Processor)
	g.UseMessenger(&governanceMessenger{baseURL: f.cfg.BaseURL(), clock: f.clock, queued: f.Delivery.Wake})
}

// governanceHandlers process ballots and delegations across instances by
// calling governance. The inbox has checked that the actor signed the
// activity and that what it creates or updates lives on its host; the
// association checks that it is the member's own. Refusals are answered
// (a Reject saying why) by governance and logged here.
type governanceHandlers struct {
	gov     *governance.Service
	baseURL string
	log     zerolog.Logger
}

func (h governanceHandlers) register(p *inbox.Processor) {
	p.Handle("Create", h.create(p.Handler("Create")))
	p.Handle("Update", h.create(p.Handler("Update")))
	p.Handle("Accept", h.answer(true, p.Handler("Accept")))
	p.Handle("Reject", h.answer(false, p.Handler("Reject")))
}

// create handles the Create or Update of a Ballot (§5.8) or of a
// Delegation (§5.9); anything else goes on to next.
func (h governanceHandlers) create(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		obj, ok := doc["object"].(map[string]any)
		switch {
		case ok && hasType(obj["type"], "Ballot"):
			_, err := h.gov.ReceiveBallot(ctx, receivedBallot(a, obj))
			return h.refused(a, err)
		case ok && hasType(obj["type"], "Delegation"):
			d, ok := h.receivedDelegation(a, doc, obj)
			if !ok {
				return nil // addressed to no association here
			}
			_, err := h.gov.ReceiveInstructions(ctx, d)
			return h.refused(a, err)
		}
		return orNothing(ctx, next, a, doc)
	}
}

// refused logs what the rules refused (already answered with a Reject)
// and settles it; anything else is the activity's failure, retried.
func (h governanceHandlers) refused(a store.InboxActivity, err error) error {
	if e, ok := core.As(err); ok && !errors.Is(err, governance.ErrNotHere) {
		h.log.Info().Str("activity", a.ActivityID).Str("actor", a.Actor).Str("code", e.Code).
			Str("reason", e.Detail).Msg("ballot or delegation from elsewhere refused")
	}
	return settled(err)
}

// maxScores bounds the scores read from one ballot; more are refused.
const maxScores = governance.MaxOptions + 1

// receivedBallot reads a Ballot: the proposal it answers (inReplyTo), its
// phase, and its position or scores by option name.
func receivedBallot(a store.InboxActivity, obj map[string]any) governance.ReceivedBallot {
	b := governance.ReceivedBallot{Activity: a.ActivityID, Actor: a.Actor, For: responsible(obj, a.Actor),
		Proposal: vocab.IDOf(obj["inReplyTo"]), Reason: textOf(vocab.TextOf(obj["content"]))}
	b.Phase, _ = obj["phase"].(string)
	b.Position, _ = obj["position"].(string)
	for _, e := range list(obj["scores"]) {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		if len(b.Scores) == maxScores {
			break
		}
		n, ok := m["score"].(float64)
		if !ok || n != math.Trunc(n) || n < -1 || n > governance.MaxScore+1 {
			n = -1 // refused as out of the scale
		}
		b.Scores = append(b.Scores, governance.NamedScore{Option: vocab.TextOf(m["name"]), Score: int(n)})
	}
	return b
}

// maxDelegates bounds the delegates read from one delegation; more are
// refused.
const maxDelegates = governance.MaxDelegates + 1

// receivedDelegation reads a Delegation addressed to an association here
// (in the object's to or audience, or the activity's to).
func (h governanceHandlers) receivedDelegation(a store.InboxActivity, doc, obj map[string]any) (governance.ReceivedDelegation, bool) {
	d := governance.ReceivedDelegation{Activity: a.ActivityID, Actor: a.Actor, For: responsible(obj, a.Actor),
		Delegates: []governance.DelegateRef{}}
	for _, to := range append(append(ids(obj["to"]), ids(obj["audience"])...), ids(doc["to"])...) {
		if core.SameHost(to, h.baseURL) {
			d.Association = to
			break
		}
	}
	if d.Association == "" {
		return d, false
	}
	d.Scope, _ = obj["scope"].(string)
	for _, e := range list(obj["delegates"]) {
		if len(d.Delegates) == maxDelegates {
			break
		}
		if m, ok := e.(map[string]any); ok && hasType(m["type"], "Role") {
			role, _ := m["roleName"].(string)
			d.Delegates = append(d.Delegates, governance.DelegateRef{Role: role})
			continue
		}
		d.Delegates = append(d.Delegates, governance.DelegateRef{Actor: vocab.IDOf(e)})
	}
	return d, true
}

// answer handles an association's Accept or Reject of a ballot or a
// delegation sent from here; other answers go on to next.
func (h governanceHandlers) answer(accepted bool, next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		if inner, ok := doc["object"].(map[string]any); ok && !hasType(inner["type"], "Create") && !hasType(inner["type"], "Update") {
			return orNothing(ctx, next, a, doc)
		}
		reason := vocab.TextOf(doc["summary"])
		if reason == "" {
			reason = news.PlainText(vocab.TextOf(doc["content"]))
		}
		err := h.gov.ReceiveAnswer(ctx, a.Actor, vocab.IDOf(doc["object"]), accepted, reason)
		if errors.Is(err, governance.ErrNotSentHere) {
			return orNothing(ctx, next, a, doc)
		}
		return settled(err)
	}
}
