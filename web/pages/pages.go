package pages

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/rs/zerolog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/audit/auditlog"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/core/relays"
)

// Deps is what the pages are built from.
type Deps struct {
	Config  config.Config
	Members *membership.Service
	Log     zerolog.Logger
	// News posts and shows notes and timelines; nil shows none.
	News *news.Service
	// Remote finds actors on other servers, to follow them; nil offers no
	// following.
	Remote Remote
	// Projects runs projects and tasks, Ledger keeps their money: with
	// both, the pages of projects, tasks, the ledger and donations are
	// served; without either, none of them.
	Projects *projects.Service
	Ledger   *ledger.Service
	// Network lists partner associations' open tasks in the catalogue;
	// nil lists local tasks only.
	Network NetworkCatalogue
	// Governance runs proposals, ballots and voting instructions: with
	// Projects and Ledger (whose tasks and money proposals act on), the
	// pages of proposals, decisions and voting instructions are served.
	Governance *governance.Service
	// Domains is the federation policy: with it, /admin/federation is
	// served.
	Domains *domains.Service
	// Instance keeps the instance's settings and counts the dashboard;
	// nil serves no settings, about nor privacy policy pages.
	Instance *instance.Service
	// Relays subscribes the instance to ActivityPub relays; nil serves no
	// /admin/relays.
	Relays *relays.Service
	// Audit reads the audit log; nil shows no audit pages.
	Audit *auditlog.Service
	// Events runs the associations' agendas; nil serves no event pages.
	Events *agenda.Service
}

type server struct {
	cfg     config.Config
	members *membership.Service
	news    *news.Service
	remote  Remote
	// projects and ledger are both set, or both nil (no project pages).
	projects *projects.Service
	ledger   *ledger.Service
	network  NetworkCatalogue
	// governance is nil when projects are (no governance pages).
	governance *governance.Service
	cat        *catalogue
	views      views
	domains    *domains.Service // nil: no /admin/federation
	assets     *assets
	secure     bool // cookies only over https
	// instance may be nil: see Deps.Instance.
	instance *instance.Service
	relays   *relays.Service
	// audit may be nil: see Deps.Audit.
	audit *auditlog.Service
	// events may be nil: see Deps.Events.
	events *agenda.Service
}

// Handler serves the pages. Its Fail renders an error page, for refusals
// made before a request reaches the pages (cross-origin, oversized body).
type Handler struct {
	http.Handler
	s *server
}

// Asset returns the path of a static file ("holon.svg"), fingerprinted.
func (h *Handler) Asset(name string) string { return h.s.assets.url(name) }

// Fail answers err with an error page in the reader's language.
func (h *Handler) Fail(w http.ResponseWriter, r *http.Request, err error) { h.s.fail(w, r, err) }

// New returns the HTML pages' router. It loads the catalogue and parses
// every template at once, so that a broken template stops the start-up
// rather than a request.
func New(d Deps) (*Handler, error) {
	s, err := newServer(d)
	if err != nil {
		return nil, err
	}
	return &Handler{Handler: s.routes(), s: s}, nil
}

func newServer(d Deps) (*server, error) {
	cat, err := loadCatalogue(d.Config.Instance.DefaultLocale)
	if err != nil {
		return nil, err
	}
	v, err := parseViews(cat)
	if err != nil {
		return nil, err
	}
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	s := &server{cfg: d.Config, members: d.Members, news: d.News, remote: d.Remote, instance: d.Instance, cat: cat, views: v, assets: a,
		secure: d.Config.Server.Protocol == config.ProtocolHTTPS}
	s.domains = d.Domains
	s.relays = d.Relays
	s.audit = d.Audit
	s.events = d.Events
	if d.Projects != nil && d.Ledger != nil {
		s.projects, s.ledger, s.network = d.Projects, d.Ledger, d.Network
		s.governance = d.Governance
	}
	return s, nil
}

// routes is the table of the pages' addresses.
func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.GetHead) // HEAD answers like GET, without the body
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)
	r.Get("/static/{file}", s.static)

	r.Get("/", s.home)
	r.Get("/signup", s.signupForm)
	r.Post("/signup", s.signup)
	r.Get("/login", s.loginForm)
	r.Post("/login", s.login)
	r.Post("/logout", s.logout)
	r.Get("/settings", s.accountSettings)
	r.Post("/settings", s.changeAccountSettings)
	r.Post("/settings/avatar", s.uploadMyAvatar)
	r.Get("/admin", s.admin)
	r.Post("/admin/accounts/{username}", s.adminAccount)
	r.Post("/admin/reports/{id}", s.adminReport)
	if s.domains != nil {
		r.Get("/admin/federation", s.adminFederation)
		r.Post("/admin/federation/mode", s.changeFederation("mode"))
		r.Post("/admin/federation/blocks", s.changeFederation("block"))
		r.Post("/admin/federation/blocks/{domain}", s.changeFederation("block-action"))
		r.Post("/admin/federation/allows", s.changeFederation("allow"))
		r.Post("/admin/federation/allows/{domain}", s.changeFederation("allow-action"))
		r.Post("/admin/federation/import", s.importBlocks)
	}
	r.Get("/admin/reports", s.adminReports)
	r.Get("/admin/reports/{id}", s.adminReportPage)
	r.Get("/admin/accounts/{username}", s.adminAccountPage)
	r.Post("/admin/accounts/{username}/actions", s.adminAccountAction)
	if s.instance != nil {
		r.Get("/admin/settings", s.adminSettings)
		r.Post("/admin/settings", s.changeAdminSettings)
		r.Get("/about", s.about)
		r.Get("/privacy-policy", s.privacyPolicy)
	}
	if s.relays != nil {
		r.Get("/admin/relays", s.adminRelays)
		r.Post("/admin/relays", s.changeRelays)
	}

	r.Get("/associations/new", s.newAssociationForm)
	r.Post("/associations/new", s.createAssociation)
	r.Get("/@{name}", s.profile)
	r.Post("/@{name}/join", s.join)
	r.Post("/@{name}/leave", s.leave)
	r.Get("/@{name}/members", s.memberList)
	r.Post("/@{name}/members/{username}", s.changeMember)
	r.Get("/@{name}/settings", s.associationSettings)
	r.Post("/@{name}/settings", s.changeAssociationSettings)
	r.Get("/@{name}/followers/requests", s.followRequests)
	r.Post("/@{name}/followers/requests/{id}", s.answerFollowRequest)
	r.Get("/@{name}/partners", s.partnersPage)
	r.Post("/@{name}/partners", s.changePartners)
	r.Post("/@{name}/settings/avatar", s.uploadAssociationAvatar)

	if s.news != nil {
		r.Get("/compose", s.composeForm)
		r.Post("/compose", s.compose)
		r.Get("/@{name}/notes/{id}", s.notePage)
		r.Post("/@{name}/notes/{id}", s.noteAction)
		r.Get("/network", s.networkPage)
		r.Get("/tags/{name}", s.tagPage)
	}
	if s.remote != nil {
		r.Get("/follows", s.followsPage)
		r.Post("/follows", s.changeFollows)
	}
	if s.projects != nil {
		s.projectRoutes(r)
	}
	if s.governance != nil {
		s.governanceRoutes(r)
	}
	if s.audit != nil {
		r.Get("/admin/audit", s.adminAudit)
		r.Get("/@{name}/audit", s.associationAudit)
	}
	if s.events != nil {
		s.eventRoutes(r)
		r.Get("/network/map", s.mapPage) // the network's map of places (map.go)
	}
	// Atom and RSS feeds of the associations' news and agendas.
	s.feedRoutes(r)
	return r
}

func (s *server) static(w http.ResponseWriter, r *http.Request) {
	if !s.assets.serve(w, r) {
		s.notFound(w, r)
	}
}
