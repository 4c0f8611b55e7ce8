// Package webtest starts a real Holon HTTP handler on a loopback test
// server, over a fresh database, for the web packages' tests.
package webtest

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
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
	Config  config.Config
}

// Start runs an instance on db; edit may change the configuration first.
func Start(t testing.TB, db *store.DB, edit func(*config.Config)) *Instance {
	t.Helper()
	cfg := config.Default()
	if edit != nil {
		edit(&cfg)
	}
	members := membership.New(db, core.SystemClock{}, membership.Policy{
		Registrations: cfg.Instance.Registrations, AssociationCreation: cfg.Instance.AssociationCreation,
		DefaultLocale: cfg.Instance.DefaultLocale,
		BaseURL:       cfg.BaseURL(), Host: cfg.Server.Host,
	})
	h, err := web.NewHandler(web.Deps{Config: cfg, Members: members, DB: db, Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)})
	if err != nil {
		t.Fatalf("build handler: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Instance{URL: srv.URL, Server: srv, DB: db, Members: members, Config: cfg}
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
