package pages_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/webtest"
)

// frAudit is the association log of a members-only association, read in
// French by its board member.
func frAudit(t *testing.T, in *webtest.Instance) *page {
	t.Helper()
	ctx := context.Background()
	b := newBrowser(t, in)
	b.lang = "fr"
	acc, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "zelie", Email: "zelie@example.org",
		Password: password, Locale: "fr"}, membership.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	b.logIn("zelie")
	if _, err := in.Members.CreateAssociation(ctx, acc, membership.NewAssociation{Name: "cercle"}); err != nil {
		t.Fatal(err)
	}
	vis := membership.VisibilityMembers
	if _, err := in.Members.UpdateAssociation(ctx, acc, "cercle", membership.AssociationChange{Settings: membership.SettingsChange{Visibility: &vis}}); err != nil {
		t.Fatal(err)
	}
	p := b.get("/@cercle/audit")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "a modifié le profil ou les réglages de @cercle") {
		t.Errorf("French log: %d %s", p.Status, p.Body)
	}
	if outsider := newBrowser(t, in).get("/@cercle/audit"); outsider.Status != http.StatusForbidden {
		t.Errorf("an outsider got %d", outsider.Status)
	}
	if link := b.get("/@cercle"); !strings.Contains(link.Body, `id="audit-link"`) {
		t.Error("the association page does not link its log")
	}
	return p
}
