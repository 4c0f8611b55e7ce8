package api

import (
	"net/http"

	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
)

// instanceJSON describes the instance: who runs it, who may join, its
// rules and where its privacy policy is.
type instanceJSON struct {
	Name                string          `json:"name"`
	Description         string          `json:"description"`
	Host                string          `json:"host"`
	Registrations       string          `json:"registrations"`
	AssociationCreation string          `json:"association_creation"`
	DefaultLocale       string          `json:"default_locale"`
	Locales             []string        `json:"locales"`
	Version             string          `json:"version"`
	Languages           []string        `json:"languages"`
	Rules               []instance.Rule `json:"rules"`
	Contact             contactJSON     `json:"contact"`
	AboutURL            string          `json:"about_url"`
	PrivacyPolicyURL    string          `json:"privacy_policy_url"`
}

type contactJSON struct {
	Email   string `json:"email"`
	Account string `json:"account"` // a local username, or ""
}

func (h *handlers) getInstance(w http.ResponseWriter, r *http.Request) {
	p := h.members.Policy()
	out := instanceJSON{
		Name: h.cfg.Instance.Name, Description: h.cfg.Instance.Description, Host: h.cfg.Server.Host,
		Registrations: p.Registrations, AssociationCreation: p.AssociationCreation, DefaultLocale: p.DefaultLocale,
		Locales: membership.Locales, Version: Version, Languages: []string{p.DefaultLocale}, Rules: []instance.Rule{},
		AboutURL: h.cfg.BaseURL() + "/about", PrivacyPolicyURL: h.cfg.BaseURL() + "/privacy-policy",
	}
	if h.instance != nil {
		s, err := h.instance.Get(r.Context())
		if err != nil {
			fail(w, r, err)
			return
		}
		out.Name, out.Description, out.Registrations, out.AssociationCreation = s.Name, s.ShortDescription, s.Registrations, s.AssociationCreation
		out.Languages, out.Rules, out.Contact = s.Languages, s.Rules, contactJSON{Email: s.ContactEmail, Account: s.ContactAccount}
	}
	writeJSON(w, r, http.StatusOK, out)
}
