package api

import (
	"net/http"
	"strings"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// membershipJSON is one of the caller's memberships: of an association
// here (remote false, with its role), or of one on another instance
// (remote true): pending until that association answers the Join, then
// active or rejected (with its reason), left once the caller left.
type membershipJSON struct {
	Association string  `json:"association"` // name here, name@host elsewhere
	URI         string  `json:"uri"`
	DisplayName string  `json:"display_name"`
	Remote      bool    `json:"remote"`
	Status      string  `json:"status"`
	Role        *string `json:"role"`
	Reason      string  `json:"reason"`
	UpdatedAt   *string `json:"updated_at"`
}

func renderElsewhere(m membership.MembershipElsewhere) membershipJSON {
	return membershipJSON{Association: m.Handle, URI: m.Association, DisplayName: m.DisplayName, Remote: true,
		Status: m.Status, Reason: m.Reason, UpdatedAt: optTimestamp(&m.UpdatedAt)}
}

// isElsewhere tells a name@host (an association on another instance, or
// named so on this one) from a local name.
func isElsewhere(name string) bool { return strings.Contains(strings.TrimPrefix(name, "@"), "@") }

// joinElsewhere asks an association named name@host to make the caller a
// member: one here is joined as by its name; one elsewhere is sent a Join,
// and the membership is pending (202) until it answers.
func (h *handlers) joinElsewhere(w http.ResponseWriter, r *http.Request, acc membership.Account, name string) {
	if h.remote == nil {
		fail(w, r, membership.ErrNoSuchAssociation)
		return
	}
	a, err := h.remote.Lookup(r.Context(), name)
	if err != nil {
		fail(w, r, err)
		return
	}
	if a.Local {
		h.joinHere(w, r, acc, a.Username)
		return
	}
	m, err := h.members.JoinElsewhere(r.Context(), acc, a)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusAccepted, renderElsewhere(m))
}

// leaveElsewhere ends the caller's membership of an association named
// name@host; one elsewhere is sent a Leave (202).
func (h *handlers) leaveElsewhere(w http.ResponseWriter, r *http.Request, acc membership.Account, name string) {
	if h.remote == nil {
		fail(w, r, membership.ErrNoSuchAssociation)
		return
	}
	a, err := h.remote.Lookup(r.Context(), name)
	if err != nil {
		fail(w, r, err)
		return
	}
	if a.Local {
		h.leaveHere(w, r, acc, a.Username)
		return
	}
	m, err := h.members.LeaveElsewhere(r.Context(), acc, a.URI)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusAccepted, renderElsewhere(m))
}

// listMyMemberships lists the caller's memberships: of associations here
// (any status), then of associations elsewhere, newest first.
func (h *handlers) listMyMemberships(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	here, err := h.members.AssociationsOf(r.Context(), acc)
	if err != nil {
		fail(w, r, err)
		return
	}
	elsewhere, err := h.members.MembershipsElsewhere(r.Context(), acc)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]membershipJSON, 0, len(here)+len(elsewhere))
	for _, m := range here {
		role := m.Role
		items = append(items, membershipJSON{Association: m.Name, URI: h.members.ActorURI(m.Name), DisplayName: m.DisplayName,
			Status: m.Status, Role: &role})
	}
	for _, m := range elsewhere {
		items = append(items, renderElsewhere(m))
	}
	writeJSON(w, r, http.StatusOK, newList(items, ""))
}
