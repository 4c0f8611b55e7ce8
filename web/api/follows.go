package api

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// Remote finds actors on this and other servers (federation/actors.Resolver).
type Remote interface {
	Lookup(ctx context.Context, q string) (membership.Actor, error)
}

// actorJSON is an actor as /resolve shows it.
type actorJSON struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Username string `json:"username"`
	Host     string `json:"host"`
	Acct     string `json:"acct"`
	Local    bool   `json:"local"`
}

func renderActor(a membership.Actor) actorJSON {
	return actorJSON{ID: a.URI, Type: a.Kind, Username: a.Username, Host: a.Host, Acct: a.Username + "@" + a.Host, Local: a.Local}
}

// followJSON is one of a person's follows.
type followJSON struct {
	ID     uuid.UUID `json:"id"`
	Target string    `json:"target"`
	Acct   string    `json:"acct"`
	State  string    `json:"state"`
}

func renderFollow(f membership.FollowListItem) followJSON {
	return followJSON{ID: f.ID, Target: f.FollowedURI, Acct: f.FollowedUsername + "@" + f.FollowedHost, State: f.State}
}

type followRequest struct {
	Target string `json:"target"`
}

// resolve finds an actor by name@host or URL, fetching it if need be, or
// a partner's task or event kept here by its id.
func (h *handlers) resolve(w http.ResponseWriter, r *http.Request) {
	if _, err := auth.Require(r.Context()); err != nil {
		fail(w, r, err)
		return
	}
	q := r.URL.Query().Get("q")
	if h.resolveTask(w, r, q) || h.resolveEvent(w, r, q) {
		return
	}
	a, err := h.remote.Lookup(r.Context(), q)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderActor(a))
}

// target finds the actor a request names, as name@host or by URL.
func (h *handlers) target(ctx context.Context, q string) (membership.Actor, error) {
	if q == "" {
		return membership.Actor{}, badField("required", "target", "give an account as name@host, or the URL of an actor")
	}
	return h.remote.Lookup(ctx, q)
}

// follow follows an actor given as name@host or URL. Following a remote
// actor sends a Follow and answers 202 with the pending follow; a local one
// answers 201.
func (h *handlers) follow(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in followRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	target, err := h.target(r.Context(), in.Target)
	if err != nil {
		fail(w, r, err)
		return
	}
	f, err := h.members.Follow(r.Context(), acc, target)
	if err != nil {
		fail(w, r, err)
		return
	}
	if !target.Local {
		writeJSON(w, r, http.StatusAccepted, renderFollow(f))
		return
	}
	created(w, r, "/follows/"+f.ID.String(), renderFollow(f))
}

func (h *handlers) listFollows(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	list, err := h.members.Follows(r.Context(), acc)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]followJSON, len(list))
	for i, f := range list {
		items[i] = renderFollow(f)
	}
	writeJSON(w, r, http.StatusOK, newList(items, ""))
}

func (h *handlers) unfollow(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, membership.ErrNoSuchFollow)
		return
	}
	if err := h.members.Unfollow(r.Context(), acc, id); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}
