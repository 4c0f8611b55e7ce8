package pages

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/web/auth"
)

type associationSettingsPage struct {
	frame
	Association membership.Association
	Form        *form
	Saved       bool
	Profile     profileView
	FieldRows   []fieldRow
}

// The text fields of the association settings form, then its check boxes.
var (
	associationTextFields = []string{"display_name", "summary", "statutes", "currency", "join_mode",
		"probation_period", "debate_period", "consensus_period", "value_vote_period",
		"max_reservation_period", "board_may_allocate_up_to", "visibility"}
	associationCheckboxes = []string{"follow_approval", "board_may_evaluate_projects"}
)

// settingsForm fills the form with a's current values.
func settingsForm(a membership.Association) *form {
	f := newForm(append(append(append(associationTextFields, associationCheckboxes...), fieldInputs...), locationInputs...)...)
	st := a.Settings
	for name, v := range map[string]string{
		"display_name": a.DisplayName, "summary": a.Summary, "statutes": a.Statutes,
		"currency": st.Currency, "join_mode": st.JoinMode, "visibility": st.Visibility,
		"probation_period": shortDuration(st.ProbationPeriod), "debate_period": shortDuration(st.DebatePeriod),
		"consensus_period": shortDuration(st.ConsensusPeriod), "value_vote_period": shortDuration(st.ValueVotePeriod),
		"max_reservation_period":   shortDuration(st.MaxReservationPeriod),
		"board_may_allocate_up_to": money.Format(st.BoardMayAllocateUpTo, st.Currency),
	} {
		f.Values[name] = v
	}
	if st.FollowApproval {
		f.Values["follow_approval"] = "on"
	}
	if st.BoardMayEvaluateProjects {
		f.Values["board_may_evaluate_projects"] = "on"
	}
	return f
}

// boardOnly loads the association of the address and checks that the
// viewer sits on its board; otherwise it answers (log-in page, 403, 404)
// and returns false.
func (s *server) boardOnly(w http.ResponseWriter, r *http.Request) (membership.Account, membership.Association, bool) {
	ctx := r.Context()
	a, err := s.members.Association(ctx, chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return membership.Account{}, a, false
	}
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, "/@"+a.Name+"/settings")
		return acc, a, false
	}
	m, err := s.members.Membership(ctx, acc, a.Name)
	switch {
	case errors.Is(err, membership.ErrNoSuchMember) || err == nil && !m.IsBoard():
		s.fail(w, r, errBoardOnly)
		return acc, a, false
	case err != nil:
		s.fail(w, r, err)
		return acc, a, false
	}
	return acc, a, true
}

var errBoardOnly = core.New(core.KindForbidden, "board-only", "only the association's board may do this")

func (s *server) associationSettings(w http.ResponseWriter, r *http.Request) {
	_, a, ok := s.boardOnly(w, r)
	if !ok {
		return
	}
	f := settingsForm(a)
	l, err := s.members.AssociationLocation(r.Context(), a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fillLocation(f, l)
	s.renderAssociationSettings(w, r, http.StatusOK, a, f, r.URL.Query().Get("saved") == "1")
}

// renderAssociationSettings shows the settings page with the form f, the
// association's fields filled in where f lacks them.
func (s *server) renderAssociationSettings(w http.ResponseWriter, r *http.Request, status int, a membership.Association, f *form, saved bool) {
	actor, err := s.members.LocalActor(r.Context(), a.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fillFields(f, actor)
	profile := profileOf(actor, a.DisplayName)
	profile.UploadTo = "/@" + a.Name + "/settings/avatar"
	s.render(w, r, status, "association_settings", &associationSettingsPage{Association: a, Form: f, Saved: saved,
		Profile: profile, FieldRows: fieldRows(f)})
}

// changeAssociationSettings applies the board's changes, all or nothing.
func (s *server) changeAssociationSettings(w http.ResponseWriter, r *http.Request) {
	acc, a, ok := s.boardOnly(w, r)
	if !ok {
		return
	}
	f, err := readForm(r, append(append(append(associationTextFields, associationCheckboxes...), fieldInputs...), locationInputs...))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	location := formLocation(f)
	if !f.Invalid() {
		// A check box that is not ticked is not sent: its absence means no.
		follow, evaluate := f.Checked("follow_approval"), f.Checked("board_may_evaluate_projects")
		_, err = s.members.UpdateAssociation(r.Context(), acc, a.Name, membership.AssociationChange{
			DisplayName: f.ptr("display_name"), Summary: f.ptr("summary"), Statutes: f.ptr("statutes"), Fields: formFields(f),
			Settings: membership.SettingsChange{
				Currency: f.ptr("currency"), JoinMode: f.ptr("join_mode"), Visibility: f.ptr("visibility"),
				FollowApproval: &follow, BoardMayEvaluateProjects: &evaluate,
				ProbationPeriod: f.ptr("probation_period"), DebatePeriod: f.ptr("debate_period"),
				ConsensusPeriod: f.ptr("consensus_period"), ValueVotePeriod: f.ptr("value_vote_period"),
				MaxReservationPeriod: f.ptr("max_reservation_period"), BoardMayAllocateUpTo: f.ptr("board_may_allocate_up_to"),
			},
			Location: location,
		})
		if err == nil {
			redirect(w, r, "/@"+a.Name+"/settings?saved=1")
			return
		}
		if core.KindOf(err) != core.KindInvalid && core.KindOf(err) != core.KindConflict {
			s.fail(w, r, err)
			return
		}
		f.takeAs(err, locationRename)
	}
	// Fields the browser did not send keep their current values on screen.
	current := settingsForm(a)
	for _, name := range associationTextFields {
		if !f.submitted(name) {
			f.Values[name] = current.Values[name]
		}
	}
	s.renderAssociationSettings(w, r, f.Status(), a, f, false)
}
