package api_test

import (
	"net/http"
	"testing"

	"github.com/holon-network/holon/config"
)

func TestGetInstance_DescribesTheInstance(t *testing.T) {
	each(t, func(c *config.Config) {
		c.Instance.Name = "Les Communs"
		c.Instance.Description = "Associations of the valley"
		c.Server.Host = "communs.example"
		c.Instance.Registrations = config.RegistrationsApproval
		c.Instance.AssociationCreation = config.AssociationCreationAdmins
		c.Instance.DefaultLocale = "fr"
	}, func(t *testing.T, e env) {
		var got struct {
			Name                string   `json:"name"`
			Description         string   `json:"description"`
			Host                string   `json:"host"`
			Registrations       string   `json:"registrations"`
			AssociationCreation string   `json:"association_creation"`
			DefaultLocale       string   `json:"default_locale"`
			Locales             []string `json:"locales"`
			Version             string   `json:"version"`
		}
		e.get("/instance", "").ok(t, http.StatusOK, "Instance", &got)
		if got.Name != "Les Communs" || got.Description != "Associations of the valley" || got.Host != "communs.example" ||
			got.Registrations != "approval" || got.AssociationCreation != "admins" || got.DefaultLocale != "fr" ||
			len(got.Locales) != 2 || got.Version != "holon 0.1.0-dev" {
			t.Fatalf("instance %+v", got)
		}
	})
}
