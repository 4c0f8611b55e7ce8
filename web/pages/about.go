package pages

import (
	"net/http"
	"time"

	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
)

// aboutPage presents the instance: its description, contact, languages
// and rules.
type aboutPage struct {
	frame
	Settings            instance.Settings
	ExtendedDescription []string // paragraphs
}

type privacyPage struct {
	frame
	Policy    []string // paragraphs
	UpdatedAt time.Time
	Saved     bool
}

func init() {
	labelSets["registrations_mode"] = labelKeys("registrations_mode", membership.RegistrationsOpen,
		membership.RegistrationsApproval, membership.RegistrationsClosed)
}

func (s *server) about(w http.ResponseWriter, r *http.Request) {
	set, err := s.instance.Get(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "about", &aboutPage{Settings: set, ExtendedDescription: instance.Paragraphs(set.ExtendedDescription)})
}

func (s *server) privacyPolicy(w http.ResponseWriter, r *http.Request) {
	set, err := s.instance.Get(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "privacy_policy", &privacyPage{Policy: instance.Paragraphs(set.PrivacyPolicy), UpdatedAt: set.UpdatedAt, Saved: set.Saved()})
}
