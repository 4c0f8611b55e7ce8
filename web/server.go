package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"

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
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/federation/discovery"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/web/api"
	"github.com/holon-network/holon/web/auth"
	"github.com/holon-network/holon/web/mastodon"
	"github.com/holon-network/holon/web/oauth"
	"github.com/holon-network/holon/web/pages"
	"github.com/holon-network/holon/web/problem"
)

// Pinger is what the readiness check needs of the database.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is what the HTTP surfaces are built from.
type Deps struct {
	Config  config.Config
	Members *membership.Service
	DB      Pinger
	Log     zerolog.Logger
	// Inbox receives activities from other servers; nil serves no inbox.
	Inbox *inbox.Receiver
	// Remote finds actors on other servers, for following them.
	Remote api.Remote
	// News posts and serves notes; nil serves none.
	News *news.Service
	// Notifications keeps the accounts' notifications, which the Mastodon
	// client API lists and streams; nil serves neither.
	Notifications *notify.Service
	// Domains is the domain policy admins manage; nil serves no routes
	// for it.
	Domains *domains.Service
	// Processor processes received activities; admins see its failures.
	// nil serves no routes for them.
	Processor *inbox.Processor
	// Ledger keeps the associations' money; nil serves no ledger routes.
	Ledger *ledger.Service
	// Projects runs projects and their tasks; nil serves no project or
	// task routes.
	Projects *projects.Service
	// Governance runs the associations' proposals, ballots and voting
	// instructions; nil serves no governance routes.
	Governance *governance.Service
	// Objects answers the ids of projects, tasks, reservations,
	// submissions and transactions with their ActivityPub documents, and
	// serves the associations' ledgers as collections; nil serves none.
	Objects *federation.Objects
	// Tasks finds partners' tasks by their ids, fetching them if need be;
	// nil finds only those kept here.
	Tasks api.TaskResolver
	// GuardFetches, when set, wraps the ActivityPub documents: in
	// allowlist mode they answer only signed fetches from admitted
	// domains.
	GuardFetches func(http.Handler) http.Handler
	// Events runs the associations' agendas; nil serves no event routes.
	Events *agenda.Service
	// EventsElsewhere finds partners' events by their ids, fetching them
	// if need be; nil finds only those kept here.
	EventsElsewhere api.EventResolver
	// Audit reads the audit log; nil serves neither its routes nor its
	// pages.
	Audit *auditlog.Service
	// Instance keeps the instance's settings (name, rules, registration
	// mode…) and counts the admin dashboard; nil serves the
	// configuration's values and no settings, dashboard, about nor
	// Mastodon instance routes.
	Instance *instance.Service
	// Relays subscribes the instance to ActivityPub relays; nil serves no
	// routes for them.
	Relays *relays.Service
}

// InstanceDefaults are the instance settings the configuration gives,
// which apply until an admin saves the settings.
func InstanceDefaults(c config.Config) instance.Settings {
	return instance.Settings{Name: c.Instance.Name, ShortDescription: c.Instance.Description,
		Languages: []string{c.Instance.DefaultLocale}, Registrations: c.Instance.Registrations,
		AssociationCreation: c.Instance.AssociationCreation}
}

// NewHandler returns the instance's whole HTTP handler.
func NewHandler(d Deps) (http.Handler, error) {
	pagesDeps := pages.Deps{Config: d.Config, Members: d.Members, Log: d.Log, News: d.News, Remote: d.Remote,
		Projects: d.Projects, Ledger: d.Ledger, Governance: d.Governance, Instance: d.Instance, Relays: d.Relays, Audit: d.Audit,
		Events: d.Events}
	if d.Domains != nil {
		pagesDeps.Domains = d.Domains
	}
	if d.Projects != nil && d.Objects != nil {
		// Federation keeps the partners' tasks: the catalogue shows them.
		pagesDeps.Network = partnerCatalogue{projects: d.Projects}
	}
	pagesHandler, err := pages.New(pagesDeps)
	if err != nil {
		return nil, err
	}
	var notes api.Notes
	var timelines api.Timelines
	if d.News != nil {
		notes, timelines = d.News, d.News
	}
	apiDeps := api.Deps{Config: d.Config, Members: d.Members, Log: d.Log, Remote: d.Remote, Notes: notes, Timelines: timelines}
	if d.Domains != nil { // a nil pointer in an interface would not be nil
		apiDeps.Domains = d.Domains
	}
	if d.Processor != nil {
		apiDeps.Inbox = d.Processor
	}
	if d.Ledger != nil {
		apiDeps.Ledger = d.Ledger
	}
	if d.Projects != nil {
		apiDeps.Projects = d.Projects
		apiDeps.RemoteWork = d.Projects
	}
	if d.Governance != nil {
		apiDeps.Governance = d.Governance
	}
	if d.Tasks != nil {
		apiDeps.TaskResolver = d.Tasks
	}
	if d.Governance != nil {
		apiDeps.VotesElsewhere = d.Governance
	}
	if d.Projects != nil && d.Objects != nil {
		// Federation keeps the partners' tasks: network=true lists them.
		apiDeps.Network = d.Projects
	}
	if d.Events != nil {
		apiDeps.Events = d.Events
		apiDeps.RemoteEvents = d.Events
	}
	if d.EventsElsewhere != nil {
		apiDeps.EventResolver = d.EventsElsewhere
	}
	if d.Instance != nil {
		apiDeps.Instance = d.Instance
	}
	if d.Relays != nil {
		apiDeps.Relays = d.Relays
	}
	if d.Audit != nil {
		apiDeps.Audit = d.Audit
	}
	apiHandler := api.New(apiDeps)

	// refuse answers the router's own refusals as the surface asked for
	// would: problem+json for the API, a translated page otherwise.
	refuse := func(w http.ResponseWriter, r *http.Request, err error) {
		if strings.HasPrefix(r.URL.Path, api.Prefix+"/") {
			problem.Write(w, problem.From(err))
			return
		}
		if isMastodonAPI(r.URL.Path) || r.URL.Path == "/oauth/token" || r.URL.Path == "/oauth/revoke" {
			refuseJSON(w, r, problem.From(err))
			return
		}
		pagesHandler.Fail(w, r, err)
	}

	r := chi.NewRouter()
	r.Use(
		hlog.NewHandler(d.Log),
		hlog.RequestIDHandler("request_id", "X-Request-Id"),
		accessLog,
		recoverPanics,
		securityHeaders(d.Config.Server.Protocol == config.ProtocolHTTPS),
		limitBody(d.Config.Server.MaxBodyBytes, refuse),
		middleware.GetHead,
	)
	if d.GuardFetches != nil {
		r.Use(d.GuardFetches)
	}
	r.Use(activityDocuments(d.Objects))
	disco := discovery.Instance{
		BaseURL: d.Config.BaseURL(), Host: d.Config.Server.Host,
		Name: d.Config.Instance.Name, Description: d.Config.Instance.Description,
		OpenRegistrations: d.Config.Instance.Registrations == config.RegistrationsOpen,
	}
	if d.Instance != nil {
		disco.Settings = d.Instance
	}
	discovery.Register(r, d.Members, disco)
	actors.Register(r, d.Members, d.Config.BaseURL())
	r.Get("/media/{id}", serveMedia(d.Members))
	if d.Inbox != nil {
		d.Inbox.Register(r)
	}
	if d.News != nil {
		federation.RegisterNoteObjects(r, d.News, d.Config.BaseURL())
	}
	if d.Objects != nil {
		d.Objects.RegisterLedger(r)
	}
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	r.Get("/readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := d.DB.Ping(ctx); err != nil {
			hlog.FromRequest(r).Warn().Err(err).Msg("not ready")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unreachable\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})

	// The OAuth 2 authorization server of the Mastodon client API
	// (web/oauth). Its token, revocation and metadata endpoints read no
	// cookies and authenticate the client themselves (HTTP Basic
	// included, which the bearer middleware below would refuse), so they
	// stand outside the session group; browser apps call them
	// cross-origin. The authorization page is inside: it uses the session.
	var authz *oauth.Server
	if d.Instance != nil {
		authz, err = oauth.New(oauth.Deps{Config: d.Config, Members: d.Members, Stylesheet: pagesHandler.Asset("holon.css")})
		if err != nil {
			return nil, err
		}
		r.With(oauth.CORS).Get("/.well-known/oauth-authorization-server", authz.Metadata)
		r.With(oauth.CORS).Options("/.well-known/oauth-authorization-server", oauth.Preflight)
		r.With(oauth.CORS).Post("/oauth/token", authz.Token)
		r.With(oauth.CORS).Options("/oauth/token", oauth.Preflight)
		r.With(oauth.CORS).Post("/oauth/revoke", authz.Revoke)
		r.With(oauth.CORS).Options("/oauth/revoke", oauth.Preflight)
	}

	// Everything below may carry cookies: refuse cross-origin writes
	// (Sec-Fetch-Site / Origin checks), then find who is asking.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		refuse(w, r, errCrossOrigin)
	}))
	// App registration acts with no one's cookies and browser apps post it
	// from their own origin.
	cop.AddInsecureBypassPattern("POST /api/v1/apps")
	r.Group(func(r chi.Router) {
		r.Use(crossOriginUnlessBearer(cop), auth.Middleware(d.Members, authFailed), oauthTokensOnMastodonAPI(authFailed))
		r.Mount(api.Prefix, apiHandler)
		if d.Instance != nil {
			// The Mastodon client API adapter (web/mastodon).
			var fallbacks mastodon.Fallbacks // a nil *Objects must stay a nil interface
			if d.Objects != nil {
				fallbacks = d.Objects
			}
			m := mastodon.New(mastodon.Deps{Config: d.Config, Members: d.Members, Instance: d.Instance,
				Icon: d.Config.BaseURL() + pagesHandler.Asset("holon.svg"), News: d.News, Governance: d.Governance,
				Projects: d.Projects, Events: d.Events, Remote: d.Remote, Apps: authz, Fallbacks: fallbacks,
				Notifications: d.Notifications, Log: &d.Log})
			r.Mount("/api/v1", m.V1)
			r.Mount("/api/v2", m.V2)
			// The consent page of the OAuth server (web/oauth/doc.go).
			r.Get("/oauth/authorize", authz.AuthorizeForm)
			r.Post("/oauth/authorize", authz.Authorize)
		}
		if d.Events != nil {
			// Calendars subscribe to the agenda feeds at the addresses DESIGN
			// §7 gives, and maps read the network's places, outside the API
			// prefix too: the API's router answers them, routing afresh (its
			// routes are relative to the prefix).
			for _, p := range []string{"/associations/{name}/events.ics", "/network/events.ics", "/network/places.geojson"} {
				r.Get(p, func(w http.ResponseWriter, r *http.Request) {
					apiHandler.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), chi.RouteCtxKey, (*chi.Context)(nil))))
				})
			}
		}
		r.Mount("/", pagesHandler.Handler) // the chi router itself, so that HEAD falls back to GET inside it
	})
	return r, nil
}

// refuseJSON answers the router's refusals on the Mastodon API and the
// OAuth token endpoints in their JSON shape: {"error"} for Mastodon,
// RFC 6749's {"error", "error_description"} for OAuth.
func refuseJSON(w http.ResponseWriter, r *http.Request, p problem.Problem) {
	body := map[string]string{"error": p.Detail}
	if strings.HasPrefix(r.URL.Path, "/oauth/") {
		body = map[string]string{"error": "invalid_request", "error_description": p.Detail}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(body)
}

// isMastodonAPI reports whether path is under the Mastodon client API.
func isMastodonAPI(path string) bool {
	return strings.HasPrefix(path, "/api/v1/") || strings.HasPrefix(path, "/api/v2/")
}

// authFailed answers a refused bearer token in the shape of the surface
// asked: Mastodon's {"error"} on its API, problem+json elsewhere.
func authFailed(w http.ResponseWriter, r *http.Request, err error) {
	if isMastodonAPI(r.URL.Path) {
		mastodon.AuthFailed(w, r, err)
		return
	}
	api.AuthFailed(w, r, err)
}

// oauthTokensOnMastodonAPI refuses OAuth tokens outside the Mastodon
// client API: their scopes are enforced there only, and the native API
// and the pages would let a read-only token act in full.
func oauthTokensOnMastodonAPI(onBadToken func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, ok := auth.App(r.Context()); ok && !isMastodonAPI(r.URL.Path) {
				onBadToken(w, r, errOAuthTokenHere)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

var errOAuthTokenHere = core.New(core.KindUnauthenticated, "oauth-token-refused",
	"this token was issued to a Mastodon app and works only on the Mastodon client API (/api/v1, /api/v2)")

var errCrossOrigin = core.New(core.KindForbidden, "cross-origin", "cross-origin request refused: a page on another site may not act with this site's cookies")

// crossOriginUnlessBearer applies cross-origin protection to requests that a
// browser could send with the visitor's cookies. A request carrying a bearer
// token is exempt: a browser never attaches one by itself, so it cannot be
// forged across sites, and browser apps on other origins use tokens.
func crossOriginUnlessBearer(cop *http.CrossOriginProtection) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		protected := cop.Handler(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(strings.ToLower(r.Header.Get("Authorization")), "bearer ") {
				next.ServeHTTP(w, r)
				return
			}
			protected.ServeHTTP(w, r)
		})
	}
}
