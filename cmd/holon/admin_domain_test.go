package main

import (
	"strings"
	"testing"
)

func TestAdminDomain_BlockListUnblock(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		r := holon(t, e.env, "", "admin", "domain", "block", "Spam.Example", "--public-comment", "spam waves")
		r.wantSuccess(t)
		if !strings.Contains(r.stdout, "blocked spam.example (suspend); 0 follows ended") {
			t.Errorf("block said %q", r.stdout)
		}
		holon(t, e.env, "", "admin", "domain", "block", "spam.example").wantFailure(t, exitFailure, "blocked already")
		holon(t, e.env, "", "admin", "domain", "block", "https://x.example/").wantFailure(t, exitFailure, "without scheme")
		holon(t, e.env, "", "admin", "domain", "block", "127.0.0.1").wantFailure(t, exitFailure, "its own domain")

		r = holon(t, e.env, "", "admin", "domain", "list")
		r.wantSuccess(t)
		if strings.TrimSpace(r.stdout) != "spam.example  suspend  spam waves" {
			t.Errorf("list said %q", r.stdout)
		}
		holon(t, e.env, "", "admin", "domain", "unblock", "spam.example").wantSuccess(t)
		holon(t, e.env, "", "admin", "domain", "unblock", "spam.example").wantFailure(t, exitFailure, "not blocked")
		r = holon(t, e.env, "", "admin", "domain", "list")
		r.wantSuccess(t)
		if r.stdout != "" {
			t.Errorf("list after unblocking said %q", r.stdout)
		}
	})
}
