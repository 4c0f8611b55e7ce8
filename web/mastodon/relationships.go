package mastodon

import (
	"net/http"
	"net/url"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
)

// maxRelationshipIDs bounds the accounts one relationships request asks
// about: ids past it are not answered.
const maxRelationshipIDs = 40

// accountIDs reads the account ids of a query as Mastodon clients send them,
// id[]=…&id[]=… or id=…, at most most, skipping those that are not ours
// (they cannot name a known account) and repeats.
func accountIDs(q url.Values, most int) []uuid.UUID {
	raw := append(q["id[]"], q["id"]...)
	out := make([]uuid.UUID, 0, min(len(raw), most))
	seen := map[uuid.UUID]bool{}
	for _, s := range raw {
		if len(out) == most {
			break
		}
		id, err := uuid.Parse(s)
		if err != nil || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// relationshipOf maps core's relationship to Mastodon's entity.
func relationshipOf(id uuid.UUID, rel membership.Relationship) relationshipJSON {
	following := rel.Following == membership.FollowAccepted
	return relationshipJSON{ID: id.String(), Following: following, ShowingReblogs: following, Languages: []string{},
		FollowedBy: rel.FollowedBy == membership.FollowAccepted, Blocking: rel.Blocking, BlockedBy: rel.BlockedBy,
		Requested: rel.Following == membership.FollowPending, RequestedBy: rel.FollowedBy == membership.FollowPending}
}

// writeRelationship answers the person's relationship with the actor id.
func (h *handlers) writeRelationship(w http.ResponseWriter, r *http.Request, acc membership.Account, id uuid.UUID) {
	rels, err := h.members.Relationships(r.Context(), acc, []uuid.UUID{id})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, relationshipOf(id, rels[id]))
}

// askedAbout reads the accounts a relationship route asks about (id[],
// at most maxRelationshipIDs), keeping the known ones in the order asked,
// for a person whose token may read follows; otherwise it answers the
// refusal and ok is false.
func (h *handlers) askedAbout(w http.ResponseWriter, r *http.Request) (acc membership.Account, known []uuid.UUID, ok bool) {
	if acc, ok = authorized(w, r, "read:follows"); !ok {
		return acc, nil, false
	}
	actors, err := h.members.ActorsByID(r.Context(), accountIDs(r.URL.Query(), maxRelationshipIDs))
	if err != nil {
		h.fail(w, r, err)
		return acc, nil, false
	}
	known = make([]uuid.UUID, len(actors))
	for i, a := range actors {
		known[i] = a.ID
	}
	return acc, known, true
}

// relationships answers the person's relationship with each known account
// asked about, in the order asked; unknown ones are left out, as Mastodon
// leaves them.
func (h *handlers) relationships(w http.ResponseWriter, r *http.Request) {
	acc, known, ok := h.askedAbout(w, r)
	if !ok {
		return
	}
	rels, err := h.members.Relationships(r.Context(), acc, known)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]relationshipJSON, len(known))
	for i, id := range known {
		out[i] = relationshipOf(id, rels[id])
	}
	writeJSON(w, r, http.StatusOK, out)
}

// familiarFollowers answers, for each known account asked about, the
// accounts the person follows that follow it, in the order asked.
func (h *handlers) familiarFollowers(w http.ResponseWriter, r *http.Request) {
	acc, asked, ok := h.askedAbout(w, r)
	if !ok {
		return
	}
	familiar, err := h.members.FamiliarFollowers(r.Context(), acc, asked)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Every familiar account is mapped once, for the whole answer.
	var all []uuid.UUID
	for _, id := range asked {
		all = append(all, familiar[id]...)
	}
	known, err := h.members.ActorsByID(r.Context(), all)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	mapped, err := h.accountsOf(r.Context(), known)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	byID := make(map[string]accountJSON, len(mapped))
	for _, m := range mapped {
		byID[m.ID] = m
	}
	type familiarJSON struct {
		ID       string        `json:"id"`
		Accounts []accountJSON `json:"accounts"`
	}
	out := make([]familiarJSON, len(asked))
	for i, id := range asked {
		out[i] = familiarJSON{ID: id.String(), Accounts: []accountJSON{}}
		for _, f := range familiar[id] {
			if a, ok := byID[f.String()]; ok {
				out[i].Accounts = append(out[i].Accounts, a)
			}
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// followRequests lists the requests waiting for the person's answer: a
// person here is followed at once, so they are the requests to follow the
// associations whose board the person sits on. Each shows the account
// asking; one that asked several of them shows once.
func (h *handlers) followRequests(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "read:follows")
	if !ok {
		return
	}
	limit := pageWindow(r, defaultAccountsLimit, membership.MaxActorsAtOnce).Limit
	reqs, err := h.members.RequestsToBoard(r.Context(), acc, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	actors := make([]membership.Actor, 0, len(reqs))
	seen := map[string]bool{}
	for _, q := range reqs {
		if seen[q.FollowerURI] {
			continue
		}
		seen[q.FollowerURI] = true
		a, err := h.members.ActorByURI(r.Context(), q.FollowerURI)
		if err != nil {
			continue // gone since it asked
		}
		actors = append(actors, a)
	}
	list, err := h.accountsOf(r.Context(), actors)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, list)
}

func (h *handlers) authorizeFollowRequest(w http.ResponseWriter, r *http.Request) {
	h.answerFollowRequest(w, r, true)
}

func (h *handlers) rejectFollowRequest(w http.ResponseWriter, r *http.Request) {
	h.answerFollowRequest(w, r, false)
}

// answerFollowRequest answers every request of the account {id} to follow
// an association whose board the person sits on (the board's rule stays
// in core), and gives the person's relationship with that account.
func (h *handlers) answerFollowRequest(w http.ResponseWriter, r *http.Request, accept bool) {
	acc, ok := authorized(w, r, "write:follows")
	if !ok {
		return
	}
	a, ok := h.actorParam(w, r)
	if !ok {
		return
	}
	if _, err := h.members.AnswerRequestsOf(r.Context(), acc, a.URI, accept); err != nil {
		h.refuseCore(w, r, err)
		return
	}
	h.writeRelationship(w, r, acc, a.ID)
}
