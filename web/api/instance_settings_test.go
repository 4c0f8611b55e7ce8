package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

type settingsReply struct {
	Name                string   `json:"name"`
	ShortDescription    string   `json:"short_description"`
	ContactEmail        string   `json:"contact_email"`
	ContactAccount      string   `json:"contact_account"`
	Languages           []string `json:"languages"`
	Registrations       string   `json:"registrations"`
	AssociationCreation string   `json:"association_creation"`
	Rules               []struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"rules"`
	PrivacyPolicy string  `json:"privacy_policy"`
	UpdatedAt     *string `json:"updated_at"`
}

func TestAdminSettings_ReadChange(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		root := e.admin("root")
		_, adaToken := e.person("ada")
		e.get("/admin/settings", "").problem(t, http.StatusUnauthorized, "unauthenticated")
		e.get("/admin/settings", adaToken).problem(t, http.StatusForbidden, "admin-only")
		e.patch("/admin/settings", adaToken, `{"name":"Mine"}`).problem(t, http.StatusForbidden, "admin-only")

		var got settingsReply
		e.get("/admin/settings", root).ok(t, http.StatusOK, "InstanceSettings", &got)
		if got.Name != "Holon" || got.UpdatedAt != nil || got.Registrations != "open" {
			t.Fatalf("defaults = %+v", got)
		}
		e.patch("/admin/settings", root, `{"name":"Jardin","contact_email":"team@example.org","contact_account":"ada",
			"languages":["fr","en"],"registrations":"closed","rules":[{"text":"Be kind"},{"text":"No spam"}],
			"privacy_policy":"We keep little."}`).ok(t, http.StatusOK, "InstanceSettings", &got)
		if got.Name != "Jardin" || got.UpdatedAt == nil || got.Registrations != "closed" || len(got.Rules) != 2 ||
			got.Rules[1].ID != "2" || got.ContactAccount != "ada" || got.AssociationCreation != "users" {
			t.Fatalf("saved = %+v", got)
		}
		// A patch leaves the other fields as they are.
		e.patch("/admin/settings", root, `{"rules":[{"id":"2","text":"No spam, ever"}]}`).ok(t, http.StatusOK, "InstanceSettings", &got)
		if got.Name != "Jardin" || len(got.Rules) != 1 || got.Rules[0].ID != "2" || got.Rules[0].Text != "No spam, ever" {
			t.Fatalf("patched = %+v", got)
		}
		for _, tc := range []struct {
			body  string
			field string
			code  string
		}{
			{`{"name":""}`, "name", "required"},
			{`{"registrations":"sometimes"}`, "registrations", "invalid-choice"},
			{`{"languages":["english"]}`, "languages", "invalid-language"},
			{`{"contact_email":"nope"}`, "contact_email", "invalid-email"},
			{`{"contact_account":"nobody"}`, "contact_account", "account-not-found"},
			{`{"rules":[{"id":"7","text":"x"}]}`, "rules.0", "unknown-rule"},
			{`{"rules":[{"text":"` + strings.Repeat("r", 501) + `"}]}`, "rules.0", "too-long"},
		} {
			p := e.patch("/admin/settings", root, tc.body).problem(t, http.StatusBadRequest, "invalid-input")
			sameFields(t, p, map[string]string{tc.field: tc.code})
		}
		e.patch("/admin/settings", root, `{"colour":"green"}`).problem(t, http.StatusBadRequest, "unknown-field")

		// The public description follows.
		var inst struct {
			Name             string   `json:"name"`
			Registrations    string   `json:"registrations"`
			Languages        []string `json:"languages"`
			PrivacyPolicyURL string   `json:"privacy_policy_url"`
			Rules            []struct{ ID, Text string }
			Contact          struct{ Email, Account string }
		}
		e.get("/instance", "").ok(t, http.StatusOK, "Instance", &inst)
		if inst.Name != "Jardin" || inst.Registrations != "closed" || len(inst.Rules) != 1 || inst.Contact.Email != "team@example.org" ||
			inst.Contact.Account != "ada" || inst.PrivacyPolicyURL != e.Config.BaseURL()+"/privacy-policy" || strings.Join(inst.Languages, ",") != "fr,en" {
			t.Fatalf("instance = %+v", inst)
		}
	})
}

func TestAdminDashboard_Counts(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ctx := context.Background()
		root := e.admin("root")
		_, adaToken := e.person("ada")
		e.get("/admin/dashboard", adaToken).problem(t, http.StatusForbidden, "admin-only")
		row := store.Delivery{ID: uuid.Must(uuid.NewV7()), ActivityID: "https://x/1", Sender: "s", Inbox: "https://far.example/inbox",
			Host: "far.example", Body: "{}", State: store.DeliveryFailed, Attempts: 9}
		if err := e.DB.Deliveries().Enqueue(ctx, []store.Delivery{row}); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Accounts   struct{ Active, Pending, Suspended int }
			Federation struct {
				QueueDepth   int   `json:"queue_depth"`
				DeadLetters  int   `json:"dead_letters"`
				FailingHosts []any `json:"failing_hosts"`
			}
		}
		e.get("/admin/dashboard", root).ok(t, http.StatusOK, "AdminDashboard", &got)
		if got.Accounts.Active != 2 || got.Federation.DeadLetters != 1 || got.Federation.QueueDepth != 0 || got.Federation.FailingHosts == nil {
			t.Fatalf("dashboard = %+v", got)
		}
	})
}
