package main

import (
	"strings"
	"testing"
)

func TestAdminRelay_AddListRemove(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		r := holon(t, e.env, "", "admin", "relay", "add", "https://relay.example/inbox")
		r.wantSuccess(t)
		if !strings.Contains(r.stdout, "subscribed to https://relay.example/inbox (pending)") {
			t.Errorf("add said %q", r.stdout)
		}
		holon(t, e.env, "", "admin", "relay", "add", "https://relay.example/inbox").wantFailure(t, exitFailure, "subscribes to that relay already")
		holon(t, e.env, "", "admin", "relay", "add", "ftp://relay.example/inbox").wantFailure(t, exitFailure, "http or https")
		holon(t, e.env, "", "admin", "relay", "add", "http://10.0.0.7/inbox").wantFailure(t, exitFailure, "private")
		holon(t, e.env, "", "admin", "domain", "block", "bad.example").wantSuccess(t)
		holon(t, e.env, "", "admin", "relay", "add", "https://relay.bad.example/inbox").wantFailure(t, exitFailure, "does not federate")

		r = holon(t, e.env, "", "admin", "relay", "list")
		r.wantSuccess(t)
		if strings.TrimSpace(r.stdout) != "https://relay.example/inbox  pending" {
			t.Errorf("list said %q", r.stdout)
		}
		holon(t, e.env, "", "admin", "relay", "remove", "https://relay.example/inbox").wantSuccess(t)
		holon(t, e.env, "", "admin", "relay", "remove", "https://relay.example/inbox").wantFailure(t, exitFailure, "does not subscribe")
		r = holon(t, e.env, "", "admin", "relay", "list")
		r.wantSuccess(t)
		if r.stdout != "" {
			t.Errorf("list after removing said %q", r.stdout)
		}
	})
}
