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

func TestAdminDomain_PolicyCommands(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		run := func(stdin string, args ...string) string {
			t.Helper()
			r := holon(t, e.env, stdin, args...)
			r.wantSuccess(t)
			return r.stdout
		}
		if out := run("", "admin", "domain", "block", "loud.example", "--severity", "silence"); !strings.Contains(out, "blocked loud.example (silence)") {
			t.Errorf("block said %q", out)
		}
		holon(t, e.env, "", "admin", "domain", "block", "x.example", "--severity", "limit").wantFailure(t, exitFailure, "silence or suspend")
		run("", "admin", "domain", "allow", "Friends.Example", "--comment", "partners")
		holon(t, e.env, "", "admin", "domain", "allow", "friends.example").wantFailure(t, exitFailure, "allowed already")
		out := run("#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\nspam.example,suspend,false,false,spam,false\nm.example,noop,true,false,,false\nloud.example,suspend,false,false,,false\n",
			"admin", "domain", "import", "-")
		if strings.TrimSpace(out) != "1 added, 1 unchanged, 1 skipped" {
			t.Errorf("import said %q", out)
		}
		holon(t, e.env, "x.example\nholon.invalid/\n", "admin", "domain", "import", "-").wantFailure(t, exitFailure, "line 2")
		out = run("", "admin", "domain", "list")
		if want := "loud.example     silence  \nspam.example     suspend  spam\nfriends.example  allowed  partners\n"; out != want {
			t.Errorf("list said %q, want %q", out, want)
		}
		out = run("", "admin", "domain", "export")
		if want := "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\nloud.example,silence,false,false,,false\nspam.example,suspend,false,false,spam,false\n"; out != want {
			t.Errorf("export said %q", out)
		}
		if out := run("", "admin", "federation", "mode"); out != "open\n" {
			t.Errorf("mode said %q", out)
		}
		holon(t, e.env, "", "admin", "federation", "mode", "closed").wantFailure(t, exitFailure, "open or allowlist")
		if out := run("", "admin", "federation", "mode", "allowlist"); out != "allowlist\n" {
			t.Errorf("mode allowlist said %q", out)
		}
		run("", "admin", "domain", "disallow", "friends.example")
		run("", "admin", "domain", "unblock", "loud.example")
		locked := append(append([]string{}, e.env...), "HOLON_FEDERATION_MODE=open")
		if r := holon(t, locked, "", "admin", "federation", "mode"); r.code != 0 || r.stdout != "open (set by the configuration)\n" {
			t.Errorf("locked mode said %q %q", r.stdout, r.stderr)
		}
		holon(t, locked, "", "admin", "federation", "mode", "allowlist").wantFailure(t, exitFailure, "set by the configuration")
	})
}
