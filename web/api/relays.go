package api

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/relays"
	"github.com/holon-network/holon/web/auth"
)

// Relays is what the admin relay routes need (relays.Service).
type Relays interface {
	List(ctx context.Context, by relays.Admin) ([]relays.Relay, error)
	Subscribe(ctx context.Context, by relays.Admin, rawURL string) (relays.Relay, error)
	Unsubscribe(ctx context.Context, by relays.Admin, id uuid.UUID) error
}

type relayJSON struct {
	ID        uuid.UUID `json:"id"`
	Inbox     string    `json:"inbox"`
	Actor     string    `json:"actor"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type relayRequest struct {
	Inbox string `json:"inbox"`
}

func renderRelay(r relays.Relay) relayJSON {
	return relayJSON{ID: r.ID, Inbox: r.Inbox, Actor: r.Actor, State: r.State, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func relayAdmin(r *http.Request) (relays.Admin, error) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		return relays.Admin{}, err
	}
	return relays.AdminOf(acc)
}

func (h *handlers) listRelays(w http.ResponseWriter, r *http.Request) {
	by, err := relayAdmin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	list, err := h.relays.List(r.Context(), by)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]relayJSON, len(list))
	for i, rl := range list {
		items[i] = renderRelay(rl)
	}
	writeJSON(w, r, http.StatusOK, newList(items, ""))
}

func (h *handlers) subscribeRelay(w http.ResponseWriter, r *http.Request) {
	by, err := relayAdmin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	var in relayRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	rl, err := h.relays.Subscribe(r.Context(), by, in.Inbox)
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/admin/relays/"+rl.ID.String(), renderRelay(rl))
}

func (h *handlers) unsubscribeRelay(w http.ResponseWriter, r *http.Request) {
	by, err := relayAdmin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, relays.ErrNoSuchRelay)
		return
	}
	if err := h.relays.Unsubscribe(r.Context(), by, id); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}
