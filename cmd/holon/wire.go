package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/audit/auditlog"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/governance"
	settingspkg "github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/notify"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/core/relays"
	"github.com/holon-network/holon/federation"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/web"
)

// openTimeout bounds connecting to the database at start.
const openTimeout = 15 * time.Second

// instance is an instance wired from its configuration: the store, the
// domain services over it, and the HTTP handler over those.
type instance struct {
	cfg        config.Config
	db         *store.DB
	members    *membership.Service
	notes      *news.Service
	tasks      *projects.Service
	governance *governance.Service
	domains    *domains.Service
	settings   *settingspkg.Service
	federation *federation.Federation
	relays     *relays.Service
	handler    http.Handler
}

// wire opens the store named by cfg and builds the services and the HTTP
// handler on it. It does not migrate: the caller decides when.
func wire(ctx context.Context, cfg config.Config, log zerolog.Logger) (*instance, error) {
	db, err := openStore(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	members := membership.New(db, core.SystemClock{}, membership.Policy{
		Registrations:       cfg.Instance.Registrations,
		AssociationCreation: cfg.Instance.AssociationCreation,
		DefaultLocale:       cfg.Instance.DefaultLocale,
		BaseURL:             cfg.BaseURL(),
		Host:                cfg.Server.Host,
	})
	notes := news.New(db, core.SystemClock{}, news.Policy{BaseURL: cfg.BaseURL(), Host: cfg.Server.Host})
	policy := domains.New(db, core.SystemClock{}, cfg.Server.Host)
	if err := policy.FixMode(cfg.Federation.Mode); err != nil {
		_ = db.Close()
		return nil, err
	}
	ledgers := ledger.New(db, core.SystemClock{}, members)
	tasks := projects.New(db, core.SystemClock{}, projects.Policy{BaseURL: cfg.BaseURL()}, ledgers)
	votes := governance.New(db, core.SystemClock{}, governance.Policy{BaseURL: cfg.BaseURL()},
		governance.Executors{Ledger: ledgers, Projects: tasks, Members: members})
	settings := settingspkg.New(db, core.SystemClock{}, web.InstanceDefaults(cfg))
	fed := federation.New(cfg, members, notes, policy, db, core.SystemClock{}, log)
	fed.UseProjects(tasks, ledgers)
	fed.UseGovernance(votes)
	events := agenda.New(db, core.SystemClock{}, agenda.Policy{BaseURL: cfg.BaseURL()})
	fed.UseAgenda(events)
	subs := relays.New(db, core.SystemClock{}, relays.Policy{BaseURL: cfg.BaseURL(), Host: cfg.Server.Host,
		AllowPrivate: cfg.Federation.AllowPrivateAddresses}, policy)
	fed.UseRelays(subs, members, notes)
	handler, err := web.NewHandler(web.Deps{Config: cfg, Members: members, DB: db, Log: log, Inbox: fed.Receiver, Remote: fed.Resolver, News: notes, Notifications: notify.New(db),
		Domains: policy, Processor: fed.Processor, Ledger: ledgers, Projects: tasks, Governance: votes, Objects: fed.Objects, Tasks: fed, EventsElsewhere: fed,
		GuardFetches: fed.GuardFetches(policy), Events: events, Instance: settings, Relays: subs,
		Audit: auditlog.New(db, members)})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("build the HTTP handler: %w", err)
	}
	return &instance{cfg: cfg, db: db, members: members, notes: notes, tasks: tasks, governance: votes, domains: policy, settings: settings, federation: fed, relays: subs, handler: handler}, nil
}

// Close releases the database.
func (in *instance) Close() error { return in.db.Close() }

// migrate applies pending migrations and returns their names.
func (in *instance) migrate(ctx context.Context) ([]string, error) {
	applied, err := in.db.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate the %s database: %w", in.cfg.Database.Driver, err)
	}
	return applied, nil
}

// openStore opens the database and explains a failure in words an operator
// can act on, without ever showing a PostgreSQL password.
func openStore(ctx context.Context, d config.Database) (*store.DB, error) {
	ctx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	db, err := store.Open(ctx, store.Driver(d.Driver), d.DSN, d.MaxOpenConns)
	if err == nil {
		return db, nil
	}
	switch d.Driver {
	case config.DriverSQLite:
		path := sqlitePath(d.DSN)
		if dir := filepath.Dir(path); path != "" {
			if _, serr := os.Stat(dir); errors.Is(serr, os.ErrNotExist) {
				return nil, fmt.Errorf("cannot open the sqlite database %s: the folder %s does not exist", path, dir)
			}
		}
		return nil, fmt.Errorf("cannot open the sqlite database %s: %w", d.DSN, err)
	case config.DriverPostgres:
		return nil, fmt.Errorf("cannot open the postgres database %s: %s", redactDSN(d.DSN), oneLine(redactSecret(err.Error(), d.DSN)))
	}
	return nil, fmt.Errorf("cannot open the %s database: %w", d.Driver, err)
}

// sqlitePath returns the file of a SQLite DSN ("holon.db",
// "file:holon.db?mode=rwc"), or "" for an in-memory database.
func sqlitePath(dsn string) string {
	path, _, _ := strings.Cut(dsn, "?")
	path = strings.TrimPrefix(path, "file:")
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return ""
	}
	return path
}

// redactDSN shows a PostgreSQL URL as user@host:port/database, leaving out
// the password and the query (which may hold one too).
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return "(connection string withheld: it may hold a password)"
	}
	who := ""
	if u.User != nil && u.User.Username() != "" {
		who = u.User.Username() + "@"
	}
	return who + u.Host + u.Path
}

// redactSecret removes the DSN's password from msg, raw or escaped, in case
// a driver quoted it.
func redactSecret(msg, dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(details withheld: the connection string does not parse and may hold a password)"
	}
	var secrets []string
	if u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			secrets = append(secrets, p, url.QueryEscape(p), url.PathEscape(p))
		}
	}
	if p := u.Query().Get("password"); p != "" {
		secrets = append(secrets, p, url.QueryEscape(p))
	}
	for _, s := range secrets {
		msg = strings.ReplaceAll(msg, s, "xxxxx")
	}
	return msg
}

// oneLine puts a multi-line driver message on one line: pgx lists each
// address it tried on a line of its own, after a first line ending in ":".
func oneLine(msg string) string {
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	if len(lines) == 1 {
		return lines[0]
	}
	return lines[0] + " " + strings.Join(lines[1:], "; ")
}
