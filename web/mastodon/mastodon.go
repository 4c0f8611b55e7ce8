package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/notify"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/version"
)

// Version is what the instance tells Mastodon clients it runs: the
// Mastodon version whose API it follows, then Holon's own, as other
// compatible servers do.
const Version = "4.3.0 (compatible; Holon " + version.Version + ")"

// APIVersion is the Mastodon API version (api_versions.mastodon) of 4.3.
const APIVersion = 2

// Deps is what the adapter is built from.
type Deps struct {
	Config   config.Config
	Members  *membership.Service
	Instance *instance.Service
	// Icon is the absolute URL of the instance's icon, shown as its
	// thumbnail.
	Icon string
	// The services the routes are adapters over; a nil one serves none of
	// its routes.
	News       *news.Service
	Governance *governance.Service
	Projects   *projects.Service
	Events     *agenda.Service
	// Remote finds actors on other servers (search with resolve=true,
	// follows of remote accounts).
	Remote Remote
	// Notifications are the accounts' notifications (notifications and
	// streaming routes; both need News too).
	Notifications *notify.Service
	// Log receives what the streams' poller cannot tell a client; none
	// when nil.
	Log *zerolog.Logger
	// Apps registers OAuth applications (web/oauth); nil serves no
	// /apps routes.
	Apps Apps
	// Fallbacks gives the readable words of the associations' objects,
	// shown as statuses (objects.go); nil shows none of them.
	Fallbacks Fallbacks
}

// Apps is what the adapter routes to the OAuth server (web/oauth), which
// owns the protocol.
type Apps interface {
	CreateApp(w http.ResponseWriter, r *http.Request)
	VerifyApp(w http.ResponseWriter, r *http.Request)
}

// Remote finds an actor by name@host or address, fetching it if need be.
type Remote interface {
	Lookup(ctx context.Context, q string) (membership.Actor, error)
}

type handlers struct {
	icon       string
	cfg        config.Config
	members    *membership.Service
	instance   *instance.Service
	news       *news.Service
	governance *governance.Service
	projects   *projects.Service
	events     *agenda.Service
	remote     Remote
	fallbacks  Fallbacks
	notify     *notify.Service
	log        zerolog.Logger
	hub        *hub
	idem       *idempotency // the Idempotency-Keys of status posts
}

// Handlers are the routers to mount at /api/v1 and /api/v2.
type Handlers struct {
	V1, V2 http.Handler
}

// New returns the adapter's routers.
func New(d Deps) Handlers {
	h := &handlers{cfg: d.Config, members: d.Members, instance: d.Instance, icon: d.Icon,
		news: d.News, governance: d.Governance, projects: d.Projects, events: d.Events, remote: d.Remote,
		fallbacks: d.Fallbacks, notify: d.Notifications, log: zerolog.Nop(), idem: newIdempotency()}
	if d.Log != nil {
		h.log = *d.Log
	}
	v1 := chi.NewRouter()
	v1.Use(cors, memoAccounts)
	v1.NotFound(notFound)
	v1.MethodNotAllowed(notFound)
	v1.Get("/instance", h.instanceV1)
	v1.Get("/instance/rules", h.rules)
	v1.Get("/instance/privacy_policy", h.privacyPolicy)
	v1.Get("/instance/extended_description", h.extendedDescription)

	// OAuth applications (web/oauth). POST /apps is exempt from the
	// cross-origin protection in web/server.go: browser apps register
	// from their own origin, and it acts with no one's cookies.
	if d.Apps != nil {
		v1.Post("/apps", d.Apps.CreateApp)
		v1.Get("/apps/verify_credentials", d.Apps.VerifyApp)
	}

	// Accounts, relationships, markers and the routes apps probe at
	// start-up (accounts.go, relationships.go, markers.go, probes.go).
	v1.Get("/accounts/verify_credentials", h.verifyCredentials)
	v1.Patch("/accounts/update_credentials", h.updateCredentials)
	v1.Get("/accounts/lookup", h.lookupAccount)
	v1.Get("/accounts/relationships", h.relationships)
	v1.Get("/accounts/familiar_followers", h.familiarFollowers)
	v1.Get("/accounts/{id}", h.showAccount)
	v1.Post("/accounts/{id}/follow", h.follow)
	v1.Post("/accounts/{id}/unfollow", h.unfollow)
	v1.Get("/accounts/{id}/followers", h.followers)
	v1.Get("/accounts/{id}/following", h.following)
	v1.Get("/accounts/{id}/featured_tags", h.emptyOfAccount(""))
	v1.Get("/accounts/{id}/lists", h.emptyOfAccount("read:lists"))
	v1.Get("/follow_requests", h.followRequests)
	v1.Post("/follow_requests/{id}/authorize", h.authorizeFollowRequest)
	v1.Post("/follow_requests/{id}/reject", h.rejectFollowRequest)
	v1.Get("/preferences", h.preferences)
	if h.news != nil {
		v1.Get("/markers", h.markers)
		v1.Post("/markers", h.saveMarkers)
	}
	v1.Get("/blocks", h.blocks)
	v1.Get("/instance/peers", h.peers)
	v1.Get("/instance/activity", empty(""))
	v1.Get("/instance/languages", h.languages)
	v1.Get("/instance/translation_languages", noTranslation)
	v1.Get("/push/subscription", pushSubscription)
	for path, scope := range map[string]string{
		"/custom_emojis": "", "/trends": "", "/trends/tags": "", "/trends/statuses": "", "/trends/links": "",
		"/filters": "read:filters", "/lists": "read:lists", "/mutes": "read:mutes", "/domain_blocks": "read:blocks",
		"/announcements": "read", "/conversations": "read:statuses", "/followed_tags": "read:follows",
		"/featured_tags": "read:accounts", "/endorsements": "read:accounts", "/suggestions": "read", "/directory": "",
	} {
		v1.Get(path, empty(scope))
	}

	// Polls: those of notes and the consensus rounds of proposals
	// (polls.go).
	if h.news != nil || h.governance != nil {
		v1.Get("/polls/{id}", h.poll)
		v1.Post("/polls/{id}/votes", h.vote)
	}

	// Notifications and streaming (notifications.go, streaming*.go).
	if h.notify != nil && h.news != nil {
		h.hub = newHub(h)
		v1.Get("/notifications", h.listNotifications)
		v1.Get("/notifications/unread_count", h.unreadCount)
		v1.Post("/notifications/clear", h.clearNotifications)
		v1.Get("/notifications/{id}", h.getNotification)
		v1.Post("/notifications/{id}/dismiss", h.dismissNotification)
		v1.Get("/streaming/health", streamingHealth)
		v1.Group(func(r chi.Router) {
			r.Use(h.streamToken)
			r.Get("/streaming", h.streamingSocket)
			r.Get("/streaming/", h.streamingSocket)
			for path, name := range map[string]string{"user": "user", "user/notification": "user:notification",
				"public": "public", "public/local": "public:local", "hashtag": "hashtag", "hashtag/local": "hashtag:local"} {
				r.Get("/streaming/"+path, h.streamingEvents(name))
			}
		})
	}

	// Statuses and timelines (statuses.go, timelines.go).
	if h.news != nil {
		h.statusRoutes(v1)
	}
	v2 := chi.NewRouter()
	v2.Use(cors, memoAccounts)
	v2.NotFound(notFound)
	v2.MethodNotAllowed(notFound)
	v2.Get("/instance", h.instanceV2)
	// Probed at start-up (probes.go).
	v2.Get("/filters", empty("read:filters"))
	v2.Get("/suggestions", empty("read"))

	// Media and search (media.go, search.go): uploads for statuses, and
	// GET /api/v2/search. /api/v1/search is left out, as Mastodon 4
	// removed it (404).
	if h.news != nil {
		v1.Post("/media", h.uploadMedia)
		v1.Get("/media/{id}", h.getMedia)
		v1.Put("/media/{id}", h.updateMedia)
		v2.Post("/media", h.uploadMedia)
		v2.Get("/search", h.search)
	}

	// Grouped notifications (notifications_v2.go).
	if h.hub != nil {
		v2.Get("/notifications", h.listNotificationGroups)
		v2.Get("/notifications/unread_count", h.unreadCount)
		v2.Get("/notifications/{group_key}", groupNotification(h.getNotificationGroup))
		v2.Post("/notifications/{group_key}/dismiss", groupNotification(h.dismissNotification))
	}
	return Handlers{V1: v1, V2: v2}
}

// cors lets web clients on any origin read the API, as Mastodon does, and
// answers their preflight requests. These routes never rely on cookies:
// Mastodon clients send bearer tokens.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "POST, PUT, DELETE, GET, PATCH, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key")
			h.Set("Access-Control-Max-Age", "7200")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// errorJSON is Mastodon's error entity.
type errorJSON struct {
	Error string `json:"error"`
}

// AuthFailed answers a request whose bearer token was refused, as
// Mastodon does: 401 {"error": "The access token is invalid"}; a failure
// of the database is a 500.
func AuthFailed(w http.ResponseWriter, r *http.Request, err error) {
	if core.KindOf(err) == core.KindUnauthenticated {
		writeJSON(w, r, http.StatusUnauthorized, errorJSON{Error: errTokenInvalid})
		return
	}
	hlog.FromRequest(r).Error().Err(err).Msg("mastodon api: authenticate")
	writeJSON(w, r, http.StatusInternalServerError, errorJSON{Error: "Internal server error"})
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusNotFound, errorJSON{Error: "Record not found"})
}

func (h *handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	hlog.FromRequest(r).Error().Err(err).Str("path", r.URL.Path).Msg("mastodon api")
	writeJSON(w, r, http.StatusInternalServerError, errorJSON{Error: "Internal server error"})
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // HTML content stays readable, as Mastodon sends it
	err := enc.Encode(v)
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if err != nil {
		hlog.FromRequest(r).Error().Err(err).Msg("mastodon api: encode")
		status, b = http.StatusInternalServerError, []byte(`{"error":"Internal server error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
