package main

import (
	"regexp"
	"strings"
	"testing"
)

const goodPassword = "correct horse battery staple"

func createAccount(t *testing.T, env []string, username string, extra ...string) result {
	t.Helper()
	args := append([]string{"admin", "account", "create", "--username", username,
		"--email", username + "@example.org", "--password-stdin"}, extra...)
	return holon(t, env, goodPassword+"\n", args...)
}

func TestAdminTokenCreate_PrintsOnlyATokenTheInstanceAccepts(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		r := createAccount(t, e.env, "alice", "--admin")
		r.wantSuccess(t)
		if !strings.Contains(r.stdout, "created account alice (admin)") {
			t.Errorf("account create said %q", r.stdout)
		}

		r = holon(t, e.env, "", "admin", "token", "create", "--username", "alice", "--label", "backup script")
		r.wantSuccess(t)
		if !regexp.MustCompile(`^hln_[A-Za-z0-9_-]{43}\n$`).MatchString(r.stdout) {
			t.Fatalf("stdout is not one token line: %q", r.stdout)
		}
		token := strings.TrimSuffix(r.stdout, "\n")

		members := e.members(t)
		account, err := members.TokenAccount(t.Context(), token)
		if err != nil {
			t.Fatalf("TokenAccount(printed token): %v", err)
		}
		if account.Username != "alice" || !account.IsAdmin() {
			t.Errorf("token acts as %s (role %s), want alice (admin)", account.Username, account.Role)
		}
		if _, err := members.LogIn(t.Context(), "alice", goodPassword, "127.0.0.1"); err != nil {
			t.Errorf("log in with the password given on stdin: %v", err)
		}
	})
}

func TestAdminAccountCreate_RefusesBadPasswordInput(t *testing.T) {
	tests := []struct {
		name      string
		stdin     string
		noFlag    bool
		code      int
		stderrHas string
	}{
		{"without --password-stdin", goodPassword + "\n", true, exitUsage, "--password-stdin is required"},
		{"empty standard input", "", false, exitFailure, "no password on standard input"},
		{"empty first line", "\n" + goodPassword + "\n", false, exitFailure, "no password on standard input"},
		{"empty first line with CRLF", "\r\n", false, exitFailure, "no password on standard input"},
		{"too short", "short\n", false, exitFailure, "password: at least 8 characters"},
	}
	eachEngine(t, func(t *testing.T, e engine) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				args := []string{"admin", "account", "create", "--username", "bob", "--email", "bob@example.org"}
				if !tt.noFlag {
					args = append(args, "--password-stdin")
				}
				r := holon(t, e.env, tt.stdin, args...)
				r.wantFailure(t, tt.code, tt.stderrHas)
				if r.stdout != "" {
					t.Errorf("stdout = %q, want nothing", r.stdout)
				}
			})
		}
		if n, err := e.members(t).AccountCount(t.Context()); err != nil || n != 0 {
			t.Errorf("AccountCount = %d, %v after refused input; want 0", n, err)
		}
	})
}

func TestAdminAccountCreate_KeepsSpacesAndDropsOnlyTheLineEnding(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		const password = "  spaces around  "
		holon(t, e.env, password+"\r\nignored second line\n", "admin", "account", "create",
			"--username", "carol", "--email", "carol@example.org", "--password-stdin").wantSuccess(t)
		if _, err := e.members(t).LogIn(t.Context(), "carol", password, "127.0.0.1"); err != nil {
			t.Errorf("log in with the exact first line: %v", err)
		}
	})
}

func TestAdminAccountCreate_DuplicateUsernameFailsClearly(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		createAccount(t, e.env, "alice").wantSuccess(t)
		r := holon(t, e.env, goodPassword+"\n", "admin", "account", "create",
			"--username", "Alice", "--email", "other@example.org", "--password-stdin")
		r.wantFailure(t, exitFailure, "holon: create account alice: this name is already taken by a person or an association")
		if n, _ := e.members(t).AccountCount(t.Context()); n != 1 {
			t.Errorf("AccountCount = %d, want 1", n)
		}
	})
}

func TestAdminAccountCreate_ListsEveryInvalidField(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		r := holon(t, e.env, "short\n", "admin", "account", "create",
			"--username", "no spaces", "--email", "not-an-address", "--password-stdin")
		r.wantFailure(t, exitFailure, "username: only letters a to z", "email: not a valid e-mail address", "password: at least 8 characters")
	})
}

func TestAdminTokenCreate_UnknownAccountFails(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		r := holon(t, e.env, "", "admin", "token", "create", "--username", "nobody")
		r.wantFailure(t, exitFailure, `holon: account "nobody": no such account`)
		if r.stdout != "" {
			t.Errorf("stdout = %q, want nothing (scripts read the token from it)", r.stdout)
		}
	})
}

func TestAdminAssociationCreate_FoundsItWithTheOwnerOnTheBoard(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		createAccount(t, e.env, "alice").wantSuccess(t)
		r := holon(t, e.env, "", "admin", "association", "create",
			"--name", "commons", "--display-name", "The Commons", "--owner", "alice")
		r.wantSuccess(t)
		if !strings.Contains(r.stdout, "created association commons (http://127.0.0.1:8080/@commons), with alice on its board") {
			t.Errorf("stdout = %q", r.stdout)
		}
		members := e.members(t)
		alice, err := members.Account(t.Context(), "alice")
		if err != nil {
			t.Fatal(err)
		}
		m, err := members.Membership(t.Context(), alice, "commons")
		if err != nil || !m.IsBoard() {
			t.Errorf("alice's membership of commons = %+v, %v; want board", m, err)
		}

		r = holon(t, e.env, "", "admin", "association", "create",
			"--name", "alice", "--display-name", "Clash", "--owner", "alice")
		r.wantFailure(t, exitFailure, "already taken")
	})
}

func TestAdmin_RequiredFlagsAreUsageErrors(t *testing.T) {
	tests := [][]string{
		{"admin", "account", "create", "--email", "a@example.org", "--password-stdin"},
		{"admin", "token", "create"},
		{"admin", "association", "create", "--name", "x"},
		{"admin", "token", "create", "--username", "a", "--no-such-flag"},
		{"serve", "extra-argument"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := holon(t, nil, "", args...)
			r.wantFailure(t, exitUsage, "--help' for usage")
		})
	}
}

func TestAdminKeyRotate_ChangesTheKeyNotItsID(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		createAccount(t, e.env, "alice").wantSuccess(t)
		before, err := e.members(t).LocalActor(t.Context(), "alice")
		if err != nil {
			t.Fatal(err)
		}
		r := holon(t, e.env, "", "admin", "key", "rotate", "--actor", "alice")
		r.wantSuccess(t)
		if !strings.Contains(r.stdout, "rotated the key "+before.KeyID) {
			t.Errorf("stdout = %q", r.stdout)
		}
		after, err := e.members(t).LocalActor(t.Context(), "alice")
		if err != nil || after.KeyID != before.KeyID || after.PublicKeyPEM == before.PublicKeyPEM {
			t.Fatalf("key %s → %s, changed %v (%v)", before.KeyID, after.KeyID, after.PublicKeyPEM != before.PublicKeyPEM, err)
		}
		holon(t, e.env, "", "admin", "key", "rotate", "--actor", "nobody").wantFailure(t, exitFailure, "no such actor")
		holon(t, e.env, "", "admin", "key", "rotate").wantFailure(t, exitUsage, "--help' for usage")
	})
}

func TestAdminAccountDelete_KeepsTheNameTaken(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		createAccount(t, e.env, "alice").wantSuccess(t)
		holon(t, e.env, "", "admin", "account", "delete", "--username", "alice").wantSuccess(t)
		if _, err := e.members(t).LogIn(t.Context(), "alice", goodPassword, "127.0.0.1"); err == nil {
			t.Fatal("the deleted account still logs in")
		}
		createAccount(t, e.env, "alice").wantFailure(t, exitFailure, "already taken")
		holon(t, e.env, "", "admin", "account", "delete", "--username", "alice").wantFailure(t, exitFailure, "no such account")
	})
}
