package federation

import (
	"context"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/store"
)

// UseGovernance wires the associations' proposals into the federation:
// each is published to the association's followers as a Question (Create
// when made, Update at each change of phase, at its close and, at most once
// per federation.poll_update_interval, after ballots), its id answers with
// that Question, votes in its poll from Mastodon are taken, and so are
// the ballots and delegations of members elsewhere
// (docs/vocabulary.md §5.7–5.9). Call it once, after UseProjects (whose
// Objects serve the proposals too), before the Processor runs and before
// the service is used by several goroutines.
func (f *Federation) UseGovernance(g *governance.Service) {
	pub := &objectPublisher{docs: objectDocs{baseURL: f.cfg.BaseURL()}, clock: f.clock, queued: f.Delivery.Wake}
	g.UsePublisher(proposalPublisher{pub}, f.cfg.Federation.PollUpdateInterval.Duration)
	if f.Objects != nil {
		f.Objects.useGovernance(g)
	}
	voteHandlers{votes: g, log: f.log}.register(f.Processor)
	f.useRemoteGovernance(g)
}

// proposalPublisher is objectPublisher seen by core/governance.
type proposalPublisher struct{ *objectPublisher }

// Publish implements governance.Publisher.
func (pb proposalPublisher) Publish(ctx context.Context, tx store.Tx, p governance.Publication) error {
	doc, err := pb.docs.proposal(ctx, tx, p)
	if err != nil {
		return err
	}
	return pb.send(ctx, tx, p.Type, doc, nil)
}

// useGovernance makes o serve /proposals/{id}.
func (o *Objects) useGovernance(g *governance.Service) {
	o.governance = g
	o.router.Get("/proposals/{id}", o.serve(o.proposal))
}

func (o *Objects) proposal(ctx context.Context, id uuid.UUID) (objectDoc, error) {
	p, err := o.governance.Publication(ctx, id)
	if err != nil {
		return objectDoc{}, err
	}
	return o.docs.proposal(ctx, o.db.Tx, p)
}
