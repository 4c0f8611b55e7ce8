package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
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
		idem: newIdempotency()}
	v1 := chi.NewRouter()
	v1.Use(cors)
	v1.NotFound(notFound)
	v1.MethodNotAllowed(notFound)
	v1.Get("/instance", h.instanceV1)
	v1.Get("/instance/rules", h.rules)
	v1.Get("/instance/privacy_policy", h.privacyPolicy)
	v1.Get("/instance/extended_description", h.extendedDescription)

	// ---- Statuses and timelines (statuses helper): statuses.go, timelines.go. ----
	if h.news != nil {
		h.statusRoutes(v1)
	}
	// ---- end of statuses and timelines ----
	v2 := chi.NewRouter()
	v2.Use(cors)
	v2.NotFound(notFound)
	v2.MethodNotAllowed(notFound)
	v2.Get("/instance", h.instanceV2)
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
