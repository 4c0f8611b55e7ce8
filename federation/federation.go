// Package federation assembles Holon's server-to-server side: the fetcher
// that reads remote objects (signed by the instance actor, SSRF-guarded),
// the resolver of remote actors and keys, the inbox receiver and the
// processor of received activities. Its sub-packages each own one part;
// this package only wires them from the configuration.
package federation

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/version"
)

// Federation is the wired server-to-server side of an instance.
type Federation struct {
	Fetcher   *fetch.Client
	Resolver  *actors.Resolver
	Receiver  *inbox.Receiver
	Processor *inbox.Processor
	Delivery  *delivery.Worker
	// Objects serves projects, tasks, reservations, submissions and ledger
	// transactions as ActivityPub documents, once UseProjects has wired
	// them, and proposals once UseGovernance has; nil before.
	Objects *Objects

	cfg      config.Config
	db       *store.DB
	clock    core.Clock
	log      zerolog.Logger
	partners *partnerObjects
	// copies keeps partners' events, once UseAgenda has wired them.
	copies *eventCopies
}

// Workers is how many received activities are processed at once.
const Workers = 4

// New wires the federation of the instance configured by cfg, and makes it
// the publisher of members' and notes' activities and the finder of the
// associations members' boards add as partners. The inbox, the fetcher
// and the deliveries all refuse the domains that policy blocks. Run the
// Processor and the Delivery worker in the background.
func New(cfg config.Config, members *membership.Service, notes *news.Service, policy *domains.Service, db *store.DB, clock core.Clock, log zerolog.Logger) *Federation {
	var hosts interface {
		RefuseHost(ctx context.Context, host string) error
	}
	if policy != nil { // a nil *Service in an interface would not be nil
		hosts = policy
	}
	userAgent := "Holon/" + version.Version + " (+" + cfg.BaseURL() + "/)"
	f := fetch.New(fetch.Options{
		AllowPrivate: cfg.Federation.AllowPrivateAddresses,
		Timeout:      cfg.Federation.FetchTimeout.Duration,
		MaxBytes:     cfg.Federation.MaxResponseBytes,
		UserAgent:    userAgent,
		Signer:       actors.NewInstanceSigner(members, cfg.Server.Host, clock),
		Hosts:        hosts,
	})
	resolver := actors.NewResolver(members, f, clock)
	resolver.LocalHost = cfg.Server.Host
	wake := make(chan struct{}, 1)
	fed := &Federation{
		Fetcher:   f,
		Resolver:  resolver,
		Receiver:  inbox.NewReceiver(db, resolver, members, clock, wake),
		Processor: inbox.NewProcessor(db, clock, log, Workers, wake),
		Delivery: delivery.New(db, members, clock, log, delivery.Options{
			AllowPrivate: cfg.Federation.AllowPrivateAddresses, UserAgent: userAgent, Hosts: hosts,
			Timeout:    cfg.Federation.DeliveryTimeout.Duration,
			FirstRetry: cfg.Federation.DeliveryFirstRetry.Duration,
			ClockSkew:  cfg.Federation.ClockSkew.Duration,
		}),
		cfg: cfg, db: db, clock: clock, log: log,
		partners: &partnerObjects{fetcher: f},
	}
	fed.Receiver.RefuseHosts(hosts)
	fed.Processor.RefuseHosts(hosts)
	handlers{members: members, notes: notes}.register(fed.Processor)
	memberHandlers{members: members}.register(fed.Processor)
	registerNotes(fed.Processor, notes, actorLifecycle{members: members, resolver: resolver}, fed.partners)
	announces{notes: notes}.register(fed.Processor)
	notes.UseOrigin(origin{fetcher: f, actors: resolver})
	members.UsePublisher(&publisher{baseURL: cfg.BaseURL(), clock: clock, queued: fed.Delivery.Wake})
	members.UsePartnerLookup(resolver, hosts)
	notes.UsePublisher(newNotePublisher(cfg.BaseURL(), clock, fed.Delivery.Wake))
	members.UseNoteRemover(notes)
	return fed
}
