package federation

import (
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/projects"
)

// UseProjects wires projects and the ledger into the federation: their
// changes are published to the associations' followers (Create and
// Update, in the transaction of the change), the partners' projects and
// tasks received are kept for the network catalogue, Objects serves
// their documents, and actors elsewhere may act on them (useRemoteWork). Call it once, before the Processor runs and before the
// services are used by several goroutines.
func (f *Federation) UseProjects(p *projects.Service, l *ledger.Service) {
	pub := &objectPublisher{docs: objectDocs{baseURL: f.cfg.BaseURL()}, clock: f.clock, queued: f.Delivery.Wake}
	p.UsePublisher(projectPublisher{pub})
	l.UsePublisher(ledgerPublisher{pub})
	f.partners.projects = p
	f.Objects = newObjects(p, l, f.db, f.cfg.BaseURL())
	f.useRemoteWork(p)
}
