package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// partnerJSON is one of an association's partners.
type partnerJSON struct {
	Acct        string    `json:"acct"`
	Actor       string    `json:"actor"`
	DisplayName string    `json:"display_name"`
	Local       bool      `json:"local"`
	State       string    `json:"state"`
	Since       time.Time `json:"since"`
}

func renderPartner(p membership.Partner) partnerJSON {
	return partnerJSON{Acct: p.Acct(), Actor: p.URI, DisplayName: p.DisplayName, Local: p.Local, State: p.State, Since: p.Since}
}

// listPartners lists an association's partners: every partnership with its
// state for the board, the mutual ones for anyone else.
func (h *handlers) listPartners(w http.ResponseWriter, r *http.Request) {
	limit, after, err := uuidPage(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	list, err := h.members.Partners(r.Context(), auth.Account(r.Context()), chi.URLParam(r, "name"), after, limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]partnerJSON, len(list.Items))
	for i, p := range list.Items {
		items[i] = renderPartner(p)
	}
	writeJSON(w, r, http.StatusOK, newList(items, nextCursor(list.Next)))
}

// addPartner is the board making another association a partner: 202 while
// the other's server has not answered, 200 once the partnership stands on
// this side (mutual, or a local association's answer).
func (h *handlers) addPartner(w http.ResponseWriter, r *http.Request) {
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
	p, err := h.members.AddPartner(r.Context(), acc, chi.URLParam(r, "name"), in.Target)
	if err != nil {
		fail(w, r, err)
		return
	}
	status := http.StatusOK
	if !p.Local && p.State != membership.PartnerMutual {
		status = http.StatusAccepted
	}
	writeJSON(w, r, status, renderPartner(p))
}

// endPartnership is the board ending a partnership, whatever its state.
func (h *handlers) endPartnership(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	acct, err := url.PathUnescape(chi.URLParam(r, "acct"))
	if err != nil {
		fail(w, r, membership.ErrNoSuchPartner)
		return
	}
	if err := h.members.EndPartnership(r.Context(), acc, chi.URLParam(r, "name"), acct); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}
