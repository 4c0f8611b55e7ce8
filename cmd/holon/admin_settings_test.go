package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAdminSettings_ShowSet(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		r := holon(t, e.env, "", "admin", "settings", "show")
		r.wantSuccess(t)
		if !strings.Contains(r.stdout, "saved:") || !strings.Contains(r.stdout, "configuration's [instance] values apply") {
			t.Errorf("show said %q", r.stdout)
		}
		policy := filepath.Join(t.TempDir(), "privacy.txt")
		if err := os.WriteFile(policy, []byte("We keep little.\n\nWe sell nothing."), 0o600); err != nil {
			t.Fatal(err)
		}
		r = holon(t, e.env, "", "admin", "settings", "set", "--name", "Jardin", "--registrations", "approval", "--languages", "fr,en",
			"--rule", "Be kind", "--rule", "No spam", "--privacy-policy-file", policy, "--contact-email", "team@example.org")
		r.wantSuccess(t)
		for _, want := range []string{"name:", "Jardin", "approval", "fr,en", "team@example.org", "rules: 2", "1. Be kind", "2. No spam", "privacy-policy:        33 characters"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("set said %q, lacks %q", r.stdout, want)
			}
		}
		// Rules replace the list; an unchanged text keeps its id.
		r = holon(t, e.env, "", "admin", "settings", "set", "--rule", "No spam", "--rule", "Credit authors")
		r.wantSuccess(t)
		if !strings.Contains(r.stdout, "2. No spam") || !strings.Contains(r.stdout, "3. Credit authors") || !strings.Contains(r.stdout, "Jardin") {
			t.Errorf("set said %q", r.stdout)
		}
		holon(t, e.env, "", "admin", "settings", "set", "--registrations", "maybe").wantFailure(t, exitFailure, "registrations")
		holon(t, e.env, "", "admin", "settings", "set", "--languages", "English").wantFailure(t, exitFailure, "language")
		r = holon(t, e.env, "", "admin", "dashboard")
		r.wantSuccess(t)
		if !strings.Contains(r.stdout, "deliveries given up:") {
			t.Errorf("dashboard said %q", r.stdout)
		}
	})
}
