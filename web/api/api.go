package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/rs/zerolog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/version"
	"github.com/holon-network/holon/web/problem"
)

// Prefix is where the native API is mounted.
const Prefix = "/api/holon/v1"

// Version is the software version the instance reports.
const Version = version.Software + " " + version.Version

// Deps is what the API is built from.
type Deps struct {
	Config  config.Config
	Members *membership.Service
	Log     zerolog.Logger
	// Clock tells the time for what the API computes at read time (whether
	// a member may vote now); nil means the system clock.
	Clock core.Clock
	// Remote finds actors on other servers; nil serves no /resolve,
	// /follows, /blocks nor /reports.
	Remote Remote
	// Notes posts and reads notes (news.Service); nil serves no /notes.
	Notes Notes
	// Domains is the domain policy; nil serves no /admin/domain-blocks.
	Domains DomainPolicy
	// Inbox shows admins the received activities that failed; nil serves
	// no /admin/inbox.
	Inbox InboxFailures
	// Timelines lists timelines (news.Service); nil serves no /timelines.
	Timelines Timelines
	// Ledger keeps the associations' money (ledger.Service); nil serves no
	// donations, allocations, ledger, balances, traces nor reallocations.
	Ledger Ledger
	// Projects runs projects and tasks (projects.Service); nil serves no
	// projects, tasks, reservations, submissions, recognitions nor payouts.
	Projects Projects
	// Governance runs proposals, ballots, tallies and voting instructions
	// (governance.Service); nil serves none of them.
	Governance Governance
	// Network lists this instance's and partners' tasks for the
	// catalogue's network=true (projects.Service, once federation keeps the
	// partners' tasks); nil lists this instance's tasks only.
	Network NetworkCatalogue
	// RemoteWork acts on partners' tasks (projects.Service); nil serves
	// no routes for them.
	RemoteWork RemoteWork
	// TaskResolver fetches partners' tasks /resolve does not find kept
	// here; nil resolves only those kept.
	TaskResolver TaskResolver
	// VotesElsewhere sends the caller's ballots and voting instructions to
	// associations of other instances (governance.Service); nil serves no
	// routes for them.
	VotesElsewhere VotesElsewhere
	// Events runs the associations' agendas (agenda.Service); nil serves
	// no events nor participation.
	Events Events
	// RemoteEvents shows partners' events kept here and joins them
	// (agenda.Service); nil serves none. EventResolver fetches those
	// /resolve does not find kept; nil resolves only those kept.
	RemoteEvents  RemoteEvents
	EventResolver EventResolver
	// Instance keeps the instance's settings and counts the dashboard
	// (instance.Service); nil serves the configuration's values and no
	// /admin/settings nor /admin/dashboard.
	Instance *instance.Service
	// Relays subscribes the instance to ActivityPub relays
	// (relays.Service); nil serves no /admin/relays.
	Relays Relays
	// Audit reads the audit log (auditlog.Service); nil serves no
	// /admin/audit nor /associations/{name}/audit.
	Audit AuditLog
}

// handlers holds what every handler of the API needs.
type handlers struct {
	cfg       config.Config
	members   *membership.Service
	clock     core.Clock
	remote    Remote
	notes     Notes
	domains   DomainPolicy
	inbox     InboxFailures
	timelines Timelines
	ledger    Ledger
	projects  Projects
	// governance may be nil: see Deps.Governance.
	governance Governance
	// network may be nil: see Deps.Network.
	network NetworkCatalogue
	// remoteWork and taskResolver may be nil: see Deps.
	remoteWork   RemoteWork
	taskResolver TaskResolver
	// votesElsewhere may be nil: see Deps.VotesElsewhere.
	votesElsewhere VotesElsewhere
	// events may be nil: see Deps.Events.
	events Events
	// remoteEvents and eventResolver may be nil: see Deps.
	remoteEvents  RemoteEvents
	eventResolver EventResolver
	// instance may be nil: see Deps.Instance.
	instance *instance.Service
	// relays may be nil: see Deps.Relays.
	relays Relays
	// audit may be nil: see Deps.Audit.
	audit AuditLog
}

// New returns the API's router, to be mounted at Prefix.
func New(d Deps) http.Handler {
	h := &handlers{cfg: d.Config, members: d.Members, clock: d.Clock, remote: d.Remote, notes: d.Notes,
		domains: d.Domains, inbox: d.Inbox, timelines: d.Timelines, ledger: d.Ledger, projects: d.Projects,
		governance: d.Governance, network: d.Network, remoteWork: d.RemoteWork, taskResolver: d.TaskResolver, votesElsewhere: d.VotesElsewhere,
		events: d.Events, instance: d.Instance}
	h.relays = d.Relays
	h.audit = d.Audit
	h.remoteEvents, h.eventResolver = d.RemoteEvents, d.EventResolver
	if h.clock == nil {
		h.clock = core.SystemClock{}
	}
	r := chi.NewRouter()
	r.NotFound(notFound)
	r.MethodNotAllowed(methodNotAllowed(r))

	r.Get("/openapi.json", serveOpenAPI)
	r.Get("/instance", h.getInstance)

	r.Get("/associations", h.listAssociations)
	r.Post("/associations", h.createAssociation)
	r.Get("/associations/{name}", h.getAssociation)
	r.Patch("/associations/{name}", h.updateAssociation)

	r.Get("/associations/{name}/members", h.listMembers)
	r.Post("/associations/{name}/members", h.join)
	r.Delete("/associations/{name}/members/me", h.leave)
	r.Patch("/associations/{name}/members/{actor}", h.updateMember)
	r.Delete("/associations/{name}/members/{actor}", h.refuseMember)
	r.Get("/associations/{name}/follow-requests", h.listFollowRequests)
	r.Post("/associations/{name}/follow-requests/{id}/accept", h.answerFollowRequest(true))
	r.Post("/associations/{name}/follow-requests/{id}/reject", h.answerFollowRequest(false))
	r.Get("/associations/{name}/partners", h.listPartners)
	r.Post("/associations/{name}/partners", h.addPartner)
	r.Delete("/associations/{name}/partners/{acct}", h.endPartnership)

	r.Get("/accounts/me", h.getMe)
	r.Get("/accounts/me/memberships", h.listMyMemberships)
	r.Get("/accounts/me/warnings", h.myWarnings)
	r.Patch("/accounts/me", h.updateMe)
	r.Delete("/accounts/me", h.deleteMe)
	r.Put("/accounts/me/avatar", h.putMyAvatar)
	r.Put("/associations/{name}/avatar", h.putAssociationAvatar)

	if h.remote != nil {
		r.Get("/resolve", h.resolve)
		r.Post("/follows", h.follow)
		r.Get("/follows", h.listFollows)
		r.Delete("/follows/{id}", h.unfollow)
		r.Post("/blocks", h.block)
		r.Get("/blocks", h.listBlocks)
		r.Delete("/blocks/{id}", h.unblock)
		r.Post("/reports", h.report)
		r.Get("/reports", h.listReports)
		r.Post("/reports/{id}/resolve", h.resolveReport)
		r.Get("/reports/{id}", h.getReport)
		r.Post("/reports/{id}/notes", h.addReportNote)
		r.Post("/reports/{id}/reopen", h.reportStep(h.members.ReopenReport))
		r.Post("/reports/{id}/forward", h.reportStep(h.members.ForwardReport))
		r.Get("/admin/accounts/{acct}", h.getModeratedAccount)
		r.Post("/admin/accounts/{acct}/actions", h.moderateAccount)
		r.Post("/admin/notes/{id}/remove", h.removeNote)
	}

	if h.notes != nil {
		r.Post("/notes", h.postNote)
		r.Get("/notes/{id}", h.getNote)
		r.Patch("/notes/{id}", h.updateNote)
		r.Delete("/notes/{id}", h.deleteNote)
		r.Post("/notes/{id}/like", h.react(news.Like, false))
		r.Delete("/notes/{id}/like", h.react(news.Like, true))
		r.Post("/notes/{id}/boost", h.react(news.Boost, false))
		r.Delete("/notes/{id}/boost", h.react(news.Boost, true))
	}

	if h.domains != nil {
		r.Get("/admin/domain-blocks", h.listDomainBlocks)
		r.Post("/admin/domain-blocks", h.blockDomain)
		r.Delete("/admin/domain-blocks/{domain}", h.unblockDomain)
		r.Patch("/admin/domain-blocks/{domain}", h.updateDomainBlock)
		r.Get("/admin/domain-blocks.csv", h.exportDomainBlocks)
		r.Post("/admin/domain-blocks/import", h.importDomainBlocks)
		r.Get("/admin/federation", h.federationMode)
		r.Put("/admin/federation", h.setFederationMode)
		r.Get("/admin/domain-allows", h.listDomainAllows)
		r.Post("/admin/domain-allows", h.allowDomain)
		r.Delete("/admin/domain-allows/{domain}", h.disallowDomain)
	}
	if h.instance != nil {
		r.Get("/admin/settings", h.getSettings)
		r.Patch("/admin/settings", h.updateSettings)
		r.Get("/admin/dashboard", h.getDashboard)
	}
	if h.relays != nil {
		r.Get("/admin/relays", h.listRelays)
		r.Post("/admin/relays", h.subscribeRelay)
		r.Delete("/admin/relays/{id}", h.unsubscribeRelay)
	}
	if h.inbox != nil {
		r.Get("/admin/inbox/failed", h.listFailedActivities)
		r.Post("/admin/inbox/failed/{id}/retry", h.retryFailedActivity)
	}
	if h.timelines != nil {
		r.Get("/timelines/home", h.timeline(h.homeTimeline))
		r.Get("/timelines/network", h.timeline(h.networkTimeline))
		r.Get("/timelines/tag/{name}", h.timeline(h.tagTimeline))
	}

	if h.ledger != nil {
		h.routeLedger(r)
	}
	if h.projects != nil {
		h.routeProjects(r)
	}
	if h.governance != nil {
		h.routeGovernance(r)
	}
	if h.votesElsewhere != nil && h.remote != nil {
		h.routeVotesElsewhere(r)
	}
	if h.events != nil {
		h.routeEvents(r)
	}
	if h.audit != nil {
		r.Get("/admin/audit", h.instanceAudit)
		r.Get("/associations/{name}/audit", h.associationAudit)
	}

	r.Get("/tokens", h.listTokens)
	r.Post("/tokens", h.createToken)
	r.Delete("/tokens/{id}", h.revokeToken)
	return r
}

// AuthFailed answers a request whose credentials were refused.
func AuthFailed(w http.ResponseWriter, r *http.Request, err error) {
	fail(w, r, err)
}

func notFound(w http.ResponseWriter, r *http.Request) {
	problem.Write(w, problem.Problem{Type: problem.TypePrefix + "route-not-found", Title: http.StatusText(http.StatusNotFound),
		Status: http.StatusNotFound, Detail: "no such route in the API; see " + Prefix + "/openapi.json", Code: "route-not-found"})
}

// methods are the methods a route may answer to, in the order the Allow
// header lists them.
var methods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// methodNotAllowed answers 405 with the Allow header RFC 9110 requires; chi
// only sets it in its own default handler, so the allowed methods are found
// again by matching the path against the router.
func methodNotAllowed(mux *chi.Mux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.RoutePath != "" {
			path = rctx.RoutePath
		}
		for _, m := range methods {
			if mux.Match(chi.NewRouteContext(), m, path) {
				w.Header().Add("Allow", m)
			}
		}
		problem.Write(w, problem.Problem{Type: problem.TypePrefix + "method-not-allowed", Title: http.StatusText(http.StatusMethodNotAllowed),
			Status: http.StatusMethodNotAllowed, Detail: r.Method + " is not allowed on this route", Code: "method-not-allowed"})
	}
}
