package main

import (
	"strings"
	"testing"
)

// The moderation commands act as an admin account and refuse what the web
// refuses: an unknown action, acting on oneself, a missing report, a
// malformed id, a person without moderation rights.
func TestAdminModeration_Commands(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		createAccount(t, e.env, "root", "--admin").wantSuccess(t)
		createAccount(t, e.env, "bob").wantSuccess(t)
		createAccount(t, e.env, "eve").wantSuccess(t)

		r := holon(t, e.env, "", "admin", "moderate", "bob", "warn", "--text", "be kind", "--as", "root")
		r.wantSuccess(t)
		if strings.TrimSpace(r.stdout) != "bob: warn" {
			t.Errorf("moderate said %q", r.stdout)
		}
		holon(t, e.env, "", "admin", "moderate", "bob", "silence", "--as", "root").wantSuccess(t)
		holon(t, e.env, "", "admin", "moderate", "bob", "explode", "--as", "root").wantFailure(t, exitFailure, "must be one of warn")
		holon(t, e.env, "", "admin", "moderate", "root", "suspend", "--as", "root").wantFailure(t, exitFailure, "")
		holon(t, e.env, "", "admin", "moderate", "bob", "warn", "--as", "eve").wantFailure(t, exitFailure, "")
		holon(t, e.env, "", "admin", "moderate", "nobody", "warn", "--as", "root").wantFailure(t, exitFailure, "")
		holon(t, e.env, "", "admin", "moderate", "bob", "warn", "--as", "root", "--report", "nope").wantFailure(t, exitFailure, "UUID")

		r = holon(t, e.env, "", "admin", "report", "list", "--as", "root")
		r.wantSuccess(t)
		if r.stdout != "" {
			t.Errorf("no report, yet list said %q", r.stdout)
		}
		holon(t, e.env, "", "admin", "report", "show", "not-an-id", "--as", "root").wantFailure(t, exitFailure, "UUID")
		holon(t, e.env, "", "admin", "report", "resolve", "0195551e-0000-7000-8000-000000000005", "--as", "root").wantFailure(t, exitFailure, "report")

		r = holon(t, e.env, "", "admin", "audit", "list", "--action", "account.")
		r.wantSuccess(t)
		if !strings.Contains(r.stdout, "account.warn") || !strings.Contains(r.stdout, "account.silence") {
			t.Errorf("the audit log of account actions: %q", r.stdout)
		}
	})
}
