// Package webtest starts a real Holon HTTP handler on a loopback test
// server, over a fresh database, for the web packages' tests.
package webtest

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/audit/auditlog"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/notify"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/core/relays"
	"github.com/holon-network/holon/federation"
	"github.com/holon-network/holon/internal/testkeys"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web"
)

// Instance is a running test instance.
type Instance struct {
	URL     string
	Server  *httptest.Server
	DB      *store.DB
	Members *membership.Service
	News    *news.Service
	Domains *domains.Service
	Ledger  *ledger.Service
	// Projects runs projects and tasks on the same ledger.
	Projects *projects.Service
	// Governance runs proposals; its scheduler is not running: tests call
	// AdvanceDue and PublishCounts themselves.
	Governance *governance.Service
	Config     config.Config
	// Settings keeps the instance's settings and counts the dashboard.
	Settings *instance.Service
	// Federation is the instance's server-to-server side; its Processor
	// is not running: tests call ProcessDue or Run themselves.
	Federation *federation.Federation
	// Events runs the associations' agendas.
	Events *agenda.Service
	// Relays subscribes the instance to ActivityPub relays.
	Relays *relays.Service
}

// Start runs an instance on db; edit may change the configuration first.
func Start(t testing.TB, db *store.DB, edit func(*config.Config)) *Instance {
	t.Helper()
	return StartOn(t, db, "127.0.0.1", edit)
}

// StartOn runs an instance on db listening on the loopback address ip
// (127.0.0.2, 127.0.0.3… for several instances that federate): its host
// is that address and port, so that the ids it makes are reachable, and
// it may fetch from private addresses (its peers are on loopback too).
func StartOn(t testing.TB, db *store.DB, ip string, edit func(*config.Config)) *Instance {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	cfg := config.Default()
	cfg.Server.Host = ln.Addr().String()
	cfg.Federation.AllowPrivateAddresses = true
	if edit != nil {
		edit(&cfg)
	}
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	members := membership.New(db, core.SystemClock{}, membership.Policy{
		Registrations: cfg.Instance.Registrations, AssociationCreation: cfg.Instance.AssociationCreation,
		DefaultLocale: cfg.Instance.DefaultLocale,
		BaseURL:       cfg.BaseURL(), Host: cfg.Server.Host,
		NewKeyPair: testkeys.Small, // distinct keys: instances here sign and verify
	})
	if _, err := members.EnsureInstanceActor(context.Background()); err != nil {
		t.Fatalf("create the instance actor: %v", err)
	}
	notes := news.New(db, core.SystemClock{}, news.Policy{BaseURL: cfg.BaseURL(), Host: cfg.Server.Host})
	policy := domains.New(db, core.SystemClock{}, cfg.Server.Host)
	if err := policy.FixMode(cfg.Federation.Mode); err != nil {
		t.Fatal(err)
	}
	ledgers := ledger.New(db, core.SystemClock{}, members)
	tasks := projects.New(db, core.SystemClock{}, projects.Policy{BaseURL: cfg.BaseURL()}, ledgers)
	votes := governance.New(db, core.SystemClock{}, governance.Policy{BaseURL: cfg.BaseURL()},
		governance.Executors{Ledger: ledgers, Projects: tasks, Members: members})
	settings := instance.New(db, core.SystemClock{}, web.InstanceDefaults(cfg))
	fed := federation.New(cfg, members, notes, policy, db, core.SystemClock{}, log)
	fed.UseProjects(tasks, ledgers)
	fed.UseGovernance(votes)
	events := agenda.New(db, core.SystemClock{}, agenda.Policy{BaseURL: cfg.BaseURL()})
	fed.UseAgenda(events)
	subs := relays.New(db, core.SystemClock{}, relays.Policy{BaseURL: cfg.BaseURL(), Host: cfg.Server.Host,
		AllowPrivate: cfg.Federation.AllowPrivateAddresses}, policy)
	fed.UseRelays(subs, members, notes)
	h, err := web.NewHandler(web.Deps{Config: cfg, Members: members, DB: db, Log: log, Inbox: fed.Receiver, Remote: fed.Resolver, News: notes, Notifications: notify.New(db),
		Domains: policy, Processor: fed.Processor, Ledger: ledgers, Projects: tasks, Governance: votes, Objects: fed.Objects, Tasks: fed, EventsElsewhere: fed,
		GuardFetches: fed.GuardFetches(policy), Events: events, Instance: settings, Relays: subs,
		Audit: auditlog.New(db, members)})
	if err != nil {
		t.Fatalf("build handler: %v", err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: h}}
	srv.Start()
	t.Cleanup(srv.Close)
	return &Instance{URL: srv.URL, Server: srv, DB: db, Members: members, News: notes, Domains: policy, Ledger: ledgers, Projects: tasks, Governance: votes, Config: cfg, Federation: fed,
		Events: events, Settings: settings, Relays: subs}
}

// Each starts a fresh instance per database engine and runs fn on it.
func Each(t *testing.T, edit func(*config.Config), fn func(t *testing.T, in *Instance)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fn(t, Start(t, db, edit))
	})
}

// Browser returns an HTTP client with its own cookie jar that does not
// follow redirects, like a browser tab whose redirects the test inspects.
func Browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
