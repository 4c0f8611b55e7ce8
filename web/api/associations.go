package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/web/auth"
)

// associationJSON is an association as the API shows it.
type associationJSON struct {
	ID          uuid.UUID `json:"id"`
	Name        string    `json:"name"`
	DisplayName string    `json:"display_name"`
	Summary     string    `json:"summary"`
	Statutes    string    `json:"statutes"`
	URL         string    `json:"url"`
	CreatedAt   string    `json:"created_at"`
	MemberCount *int      `json:"member_count,omitempty"` // single associations only: a list would count each
	// The profile, for single associations only (a list would read each).
	Fields    []fieldJSON  `json:"fields,omitempty"`
	AvatarURL *string      `json:"avatar_url,omitempty"`
	Settings  settingsJSON `json:"settings"`
	// Where the association is, for single associations only.
	Location *locationJSON `json:"location,omitempty"`
}

// locationJSON is where an association is; latitude and longitude (WGS 84
// degrees) come both or neither. In a PATCH, {} forgets the location.
type locationJSON struct {
	PlaceName string   `json:"place_name"`
	Locality  string   `json:"locality"`
	Country   string   `json:"country"`
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
}

// settingsJSON are an association's rules: durations as Go durations,
// amounts as decimal strings in the association's currency.
type settingsJSON struct {
	Currency                 string `json:"currency"`
	JoinMode                 string `json:"join_mode"`
	FollowApproval           bool   `json:"follow_approval"`
	ProbationPeriod          string `json:"probation_period"`
	DebatePeriod             string `json:"debate_period"`
	ConsensusPeriod          string `json:"consensus_period"`
	ValueVotePeriod          string `json:"value_vote_period"`
	MaxReservationPeriod     string `json:"max_reservation_period"`
	BoardMayAllocateUpTo     string `json:"board_may_allocate_up_to"`
	BoardMayEvaluateProjects bool   `json:"board_may_evaluate_projects"`
	Visibility               string `json:"visibility"`
}

// newAssociationRequest is the body of POST /associations.
type newAssociationRequest struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	Summary     string `json:"summary"`
	Statutes    string `json:"statutes"`
	Currency    string `json:"currency"`
}

// associationPatch is the body of PATCH /associations/{name}: texts and
// settings side by side at the top level; absent fields stay as they are.
type associationPatch struct {
	DisplayName              *string       `json:"display_name"`
	Summary                  *string       `json:"summary"`
	Statutes                 *string       `json:"statutes"`
	Currency                 *string       `json:"currency"`
	JoinMode                 *string       `json:"join_mode"`
	FollowApproval           *bool         `json:"follow_approval"`
	ProbationPeriod          *string       `json:"probation_period"`
	DebatePeriod             *string       `json:"debate_period"`
	ConsensusPeriod          *string       `json:"consensus_period"`
	ValueVotePeriod          *string       `json:"value_vote_period"`
	MaxReservationPeriod     *string       `json:"max_reservation_period"`
	BoardMayAllocateUpTo     *string       `json:"board_may_allocate_up_to"`
	BoardMayEvaluateProjects *bool         `json:"board_may_evaluate_projects"`
	Visibility               *string       `json:"visibility"`
	Fields                   *[]fieldJSON  `json:"fields"`
	Location                 *locationJSON `json:"location"`
}

func (p associationPatch) change() membership.AssociationChange {
	ch := membership.AssociationChange{
		DisplayName: p.DisplayName, Summary: p.Summary, Statutes: p.Statutes, Fields: fieldsIn(p.Fields),
		Settings: membership.SettingsChange{
			Currency: p.Currency, JoinMode: p.JoinMode, FollowApproval: p.FollowApproval,
			ProbationPeriod: p.ProbationPeriod, DebatePeriod: p.DebatePeriod, ConsensusPeriod: p.ConsensusPeriod,
			ValueVotePeriod: p.ValueVotePeriod, MaxReservationPeriod: p.MaxReservationPeriod,
			BoardMayAllocateUpTo: p.BoardMayAllocateUpTo, BoardMayEvaluateProjects: p.BoardMayEvaluateProjects,
			Visibility: p.Visibility,
		},
	}
	if l := p.Location; l != nil {
		ch.Location = &membership.Location{PlaceName: l.PlaceName, Locality: l.Locality, Country: l.Country,
			Latitude: l.Latitude, Longitude: l.Longitude}
	}
	return ch
}

func (h *handlers) renderAssociation(a membership.Association) associationJSON {
	s := a.Settings
	return associationJSON{
		ID: a.ID, Name: a.Name, DisplayName: a.DisplayName, Summary: a.Summary, Statutes: a.Statutes,
		URL: h.cfg.BaseURL() + "/@" + a.Name, CreatedAt: timestamp(a.CreatedAt),
		Settings: settingsJSON{
			Currency: s.Currency, JoinMode: s.JoinMode, FollowApproval: s.FollowApproval,
			ProbationPeriod: s.ProbationPeriod.String(), DebatePeriod: s.DebatePeriod.String(),
			ConsensusPeriod: s.ConsensusPeriod.String(), ValueVotePeriod: s.ValueVotePeriod.String(),
			MaxReservationPeriod:     s.MaxReservationPeriod.String(),
			BoardMayAllocateUpTo:     money.Format(s.BoardMayAllocateUpTo, s.Currency),
			BoardMayEvaluateProjects: s.BoardMayEvaluateProjects, Visibility: s.Visibility,
		},
	}
}

// renderCounted renders a single association with its member count.
func (h *handlers) renderCounted(r *http.Request, a membership.Association) (associationJSON, error) {
	n, err := h.members.MemberCount(r.Context(), a.ID)
	if err != nil {
		return associationJSON{}, err
	}
	out := h.renderAssociation(a)
	out.MemberCount = &n
	actor, err := h.members.LocalActor(r.Context(), a.Name)
	if err != nil {
		return associationJSON{}, err
	}
	out.Fields, out.AvatarURL = renderFields(actor.Fields), optString(actor.IconURL)
	l, err := h.members.AssociationLocation(r.Context(), a.ID)
	if err != nil {
		return associationJSON{}, err
	}
	if l != nil {
		out.Location = &locationJSON{PlaceName: l.PlaceName, Locality: l.Locality, Country: l.Country,
			Latitude: l.Latitude, Longitude: l.Longitude}
	}
	return out, nil
}

// associationCursor checks a cursor of the association list: the name of
// the last association of the previous page.
func associationCursor(c string) *core.FieldError {
	if n, fe := membership.NormalizeName("cursor", c); fe != nil || n != c {
		return badCursor()
	}
	return nil
}

func (h *handlers) listAssociations(w http.ResponseWriter, r *http.Request) {
	p, err := pageParams(r, membership.DefaultPageSize, membership.MaxPageSize, associationCursor)
	if err != nil {
		fail(w, r, err)
		return
	}
	found, next, err := h.members.Associations(r.Context(), p.cursor, p.limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]associationJSON, len(found))
	for i, a := range found {
		items[i] = h.renderAssociation(a)
	}
	writeJSON(w, r, http.StatusOK, newList(items, next))
}

func (h *handlers) createAssociation(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in newAssociationRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	a, err := h.members.CreateAssociation(r.Context(), acc, membership.NewAssociation{
		Name: in.Name, DisplayName: in.DisplayName, Summary: in.Summary, Statutes: in.Statutes, Currency: in.Currency,
	})
	if err != nil {
		fail(w, r, err)
		return
	}
	out, err := h.renderCounted(r, a)
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/associations/"+a.Name, out)
}

func (h *handlers) getAssociation(w http.ResponseWriter, r *http.Request) {
	a, err := h.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		fail(w, r, err)
		return
	}
	out, err := h.renderCounted(r, a)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (h *handlers) updateAssociation(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in associationPatch
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	a, err := h.members.UpdateAssociation(r.Context(), acc, chi.URLParam(r, "name"), in.change())
	if err != nil {
		fail(w, r, err)
		return
	}
	out, err := h.renderCounted(r, a)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, out)
}
