package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// tokenJSON describes an API token; its secret is never shown again.
type tokenJSON struct {
	ID         uuid.UUID `json:"id"`
	Label      string    `json:"label"`
	CreatedAt  string    `json:"created_at"`
	LastUsedAt *string   `json:"last_used_at"`
	RevokedAt  *string   `json:"revoked_at"`
}

// newTokenJSON is the answer to a token's creation, the one time its
// secret is shown.
type newTokenJSON struct {
	ID        uuid.UUID `json:"id"`
	Label     string    `json:"label"`
	CreatedAt string    `json:"created_at"`
	Token     string    `json:"token"`
}

type tokenRequest struct {
	Label string `json:"label"`
}

func renderToken(t membership.Token) tokenJSON {
	return tokenJSON{ID: t.ID, Label: t.Label, CreatedAt: timestamp(t.CreatedAt),
		LastUsedAt: optTimestamp(t.LastUsedAt), RevokedAt: optTimestamp(t.RevokedAt)}
}

// listTokens answers all the caller's tokens, newest first, revoked ones
// included; the list is short, so it is one page.
func (h *handlers) listTokens(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	tokens, err := h.members.Tokens(r.Context(), acc)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]tokenJSON, len(tokens))
	for i, t := range tokens {
		items[i] = renderToken(t)
	}
	writeJSON(w, r, http.StatusOK, newList(items, ""))
}

func (h *handlers) createToken(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in tokenRequest
	if err := decodeOptional(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	secret, tok, err := h.members.CreateToken(r.Context(), acc, in.Label)
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/tokens/"+tok.ID.String(),
		newTokenJSON{ID: tok.ID, Label: tok.Label, CreatedAt: timestamp(tok.CreatedAt), Token: secret})
}

func (h *handlers) revokeToken(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, membership.ErrNoSuchToken)
		return
	}
	if err := h.members.RevokeToken(r.Context(), acc, id); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}
