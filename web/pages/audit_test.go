package pages

import (
	"strings"
	"testing"

	"github.com/holon-network/holon/core/audit/auditlog"
)

// TestAuditActions_EveryOneIsTranslated: each listed action reads as a
// sentence naming its target, in every language.
func TestAuditActions_EveryOneIsTranslated(t *testing.T) {
	cat, err := loadCatalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range auditActions {
		if seen[a] {
			t.Errorf("%s listed twice", a)
		}
		seen[a] = true
		for _, lang := range cat.langs {
			v := auditViewOf(cat.speakers[lang], auditlog.Entry{Action: a, Target: "@zed"})
			if !strings.Contains(v.Sentence, "@zed") || strings.HasPrefix(v.Sentence, a) {
				t.Errorf("%s in %s: %q", a, lang, v.Sentence)
			}
		}
	}
	// An action another version added shows as it is.
	v := auditViewOf(cat.speakers["fr"], auditlog.Entry{Action: "thing.frob", Target: "x", Detail: map[string]any{"proposal": "p1", "n": 2}})
	if v.Sentence != "thing.frob x" || v.Decision != "p1" || len(v.Details) != 1 || v.Details[0] != "n: 2" {
		t.Errorf("unknown action %+v", v)
	}
}
