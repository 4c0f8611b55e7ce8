package api

import (
	"net/http"

	"github.com/holon-network/holon/core/membership"
)

// instanceJSON describes the instance: who runs it and who may join.
type instanceJSON struct {
	Name                string   `json:"name"`
	Description         string   `json:"description"`
	Host                string   `json:"host"`
	Registrations       string   `json:"registrations"`
	AssociationCreation string   `json:"association_creation"`
	DefaultLocale       string   `json:"default_locale"`
	Locales             []string `json:"locales"`
	Version             string   `json:"version"`
}

func (h *handlers) getInstance(w http.ResponseWriter, r *http.Request) {
	p := h.members.Policy()
	writeJSON(w, r, http.StatusOK, instanceJSON{
		Name: h.cfg.Instance.Name, Description: h.cfg.Instance.Description, Host: h.cfg.Server.Host,
		Registrations: p.Registrations, AssociationCreation: p.AssociationCreation, DefaultLocale: p.DefaultLocale,
		Locales: membership.Locales, Version: Version,
	})
}
