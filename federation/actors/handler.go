package actors

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
)

// Profiles is what serving actor documents needs of the membership service.
type Profiles interface {
	LocalProfile(ctx context.Context, name string) (membership.Actor, membership.Profile, error)
	Collections
}

// ContentType is what actor documents are served as.
const ContentType = `application/activity+json; charset=utf-8`

// Register adds GET /actors/{name} to r: the actor document for ActivityPub
// clients, a redirect to the profile page for browsers; its collections;
// and GET /ns, Holon's JSON-LD context.
func Register(r chi.Router, p Profiles, baseURL string) {
	r.Get("/actors/{name}", func(w http.ResponseWriter, req *http.Request) {
		serveActor(w, req, p, baseURL, chi.URLParam(req, "name"))
	})
	registerCollections(r, p, baseURL)
	r.Get("/ns", serveContext)
}

// writeActivityJSON sends doc as application/activity+json.
func writeActivityJSON(w http.ResponseWriter, r *http.Request, doc map[string]any) {
	writeActivityJSONStatus(w, r, http.StatusOK, doc)
}

func writeActivityJSONStatus(w http.ResponseWriter, r *http.Request, status int, doc map[string]any) {
	b, err := json.Marshal(doc)
	if err != nil {
		failDocument(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Cache-Control", "max-age=60")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func serveActor(w http.ResponseWriter, r *http.Request, p Profiles, baseURL, name string) {
	ctx := r.Context()
	w.Header().Add("Vary", "Accept")
	a, profile, err := p.LocalProfile(ctx, name)
	wantsJSON := WantsActivityJSON(r.Header.Get("Accept"))
	switch {
	case errors.Is(err, membership.ErrActorDeleted) && wantsJSON:
		writeActivityJSONStatus(w, r, http.StatusGone, Tombstone(a))
		return
	case errors.Is(err, membership.ErrActorDeleted):
		http.Error(w, "this actor was deleted", http.StatusGone)
		return
	case err != nil:
		failDocument(w, r, err)
		return
	}
	if !wantsJSON {
		to := baseURL + "/@" + a.Username
		if a.Kind == membership.ActorApplication {
			to = baseURL + "/"
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	writeActivityJSON(w, r, LocalDocument(a, profile, baseURL))
}

func failDocument(w http.ResponseWriter, r *http.Request, err error) {
	if core.KindOf(err) == core.KindNotFound {
		http.Error(w, "no such actor", http.StatusNotFound)
		return
	}
	hlog.FromRequest(r).Error().Err(err).Msg("serve actor document")
	http.Error(w, "actor document unavailable", http.StatusInternalServerError)
}

// WantsActivityJSON reports whether an Accept header asks for ActivityPub
// JSON (application/activity+json, or application/ld+json, with or without
// the ActivityStreams profile) rather than a page.
func WantsActivityJSON(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if mt == "application/activity+json" || mt == "application/ld+json" {
			return true
		}
	}
	return false
}
