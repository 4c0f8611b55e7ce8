package api

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// memberJSON is one membership as the API shows it. SuspensionReason is
// null unless the viewer is on the board or is the member.
type memberJSON struct {
	ID       uuid.UUID `json:"id"`
	Username string    `json:"username"`
	// Handle names the member in the routes of its membership: the
	// username here, username@host for a member on another instance.
	Handle           string  `json:"handle"`
	Actor            string  `json:"actor"`
	Remote           bool    `json:"remote"`
	DisplayName      string  `json:"display_name"`
	Role             string  `json:"role"`
	Status           string  `json:"status"`
	RequestedAt      string  `json:"requested_at"`
	JoinedAt         *string `json:"joined_at"`
	VotingFrom       *string `json:"voting_from"`
	MayVote          bool    `json:"may_vote"`
	VotingSuspended  bool    `json:"voting_suspended"`
	SuspensionReason *string `json:"suspension_reason"`
}

// memberPatch is the body of PATCH /associations/{name}/members/{actor}.
type memberPatch struct {
	Role             *string `json:"role"`
	Status           *string `json:"status"`
	VotingSuspended  *bool   `json:"voting_suspended"`
	SuspensionReason *string `json:"suspension_reason"`
}

// viewer is who looks at a list of members, for what they may read of it.
type viewer struct {
	account *membership.Account
	board   bool
}

func (v viewer) seesReason(m membership.Member) bool {
	return v.board || (v.account != nil && v.account.ID == m.AccountID)
}

func (h *handlers) renderMember(m membership.Member, s membership.Settings, v viewer) memberJSON {
	out := memberJSON{ID: m.ID, Username: m.Username, Handle: m.Handle, Actor: m.ActorURI, Remote: !m.Local,
		DisplayName: m.DisplayName, Role: m.Role, Status: m.Status,
		RequestedAt: timestamp(m.RequestedAt), JoinedAt: optTimestamp(m.JoinedAt),
		MayVote: m.MayVote(s, h.clock.Now()), VotingSuspended: m.VotingSuspended}
	if from := m.VotingFrom(s); !from.IsZero() {
		out.VotingFrom = optTimestamp(&from)
	}
	if v.seesReason(m) {
		reason := m.SuspensionReason
		out.SuspensionReason = &reason
	}
	return out
}

// uuidCursor accepts the cursors of lists paged by uuid.
func uuidCursor(c string) *core.FieldError {
	if _, err := uuid.Parse(c); err != nil {
		return badCursor()
	}
	return nil
}

func (h *handlers) listMembers(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	p, err := pageParams(r, membership.DefaultPageSize, membership.MaxPageSize, uuidCursor)
	if err != nil {
		fail(w, r, err)
		return
	}
	var after uuid.UUID
	if p.cursor != "" {
		after = uuid.MustParse(p.cursor) // checked by uuidCursor
	}
	v := viewer{account: auth.Account(r.Context())}
	found, next, err := h.members.Members(r.Context(), v.account, name, after, p.limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	a, err := h.members.Association(r.Context(), name)
	if err != nil {
		fail(w, r, err)
		return
	}
	if v.account != nil {
		own, err := h.members.Membership(r.Context(), *v.account, name)
		switch {
		case err == nil:
			v.board = own.IsBoard()
		case !errors.Is(err, membership.ErrNoSuchMember):
			fail(w, r, err)
			return
		}
	}
	items := make([]memberJSON, len(found))
	for i, m := range found {
		items[i] = h.renderMember(m, a.Settings, v)
	}
	nextCursor := ""
	if next != uuid.Nil {
		nextCursor = next.String()
	}
	writeJSON(w, r, http.StatusOK, newList(items, nextCursor))
}

// join asks to join the association: the answer's status is active when it
// joins freely, pending when the board approves members.
func (h *handlers) join(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := decodeOptional(r, &struct{}{}); err != nil {
		fail(w, r, err)
		return
	}
	if name := chi.URLParam(r, "name"); isElsewhere(name) {
		h.joinElsewhere(w, r, acc, name)
	} else {
		h.joinHere(w, r, acc, name)
	}
}

// joinHere joins the association of this instance named name.
func (h *handlers) joinHere(w http.ResponseWriter, r *http.Request, acc membership.Account, name string) {
	m, err := h.members.Join(r.Context(), acc, name)
	if err != nil {
		fail(w, r, err)
		return
	}
	a, err := h.members.Association(r.Context(), name)
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/associations/"+a.Name+"/members/"+m.Username, h.renderMember(m, a.Settings, viewer{account: &acc}))
}

// leave ends the caller's membership of an association here, or sends
// the Leave of one elsewhere (name@host).
func (h *handlers) leave(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	if name := chi.URLParam(r, "name"); isElsewhere(name) {
		h.leaveElsewhere(w, r, acc, name)
	} else {
		h.leaveHere(w, r, acc, name)
	}
}

func (h *handlers) leaveHere(w http.ResponseWriter, r *http.Request, acc membership.Account, name string) {
	if err := h.members.Leave(r.Context(), acc, name); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}

// updateMember is the board's: approve a request (status active), change a
// role, suspend or restore voting rights.
func (h *handlers) updateMember(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in memberPatch
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	name := chi.URLParam(r, "name")
	m, err := h.members.UpdateMember(r.Context(), acc, name, chi.URLParam(r, "actor"), membership.MemberChange{
		Role: in.Role, Status: in.Status, VotingSuspended: in.VotingSuspended, SuspensionReason: in.SuspensionReason,
	})
	if err != nil {
		fail(w, r, err)
		return
	}
	a, err := h.members.Association(r.Context(), name)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, h.renderMember(m, a.Settings, viewer{account: &acc, board: true}))
}

// refuseMember is the board turning down a pending request to join.
func (h *handlers) refuseMember(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := h.members.RefuseMember(r.Context(), acc, chi.URLParam(r, "name"), chi.URLParam(r, "actor")); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}
