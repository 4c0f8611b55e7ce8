package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

func TestCreateFirstAdmin_OnlyOnAnEmptyInstance(t *testing.T) {
	tests := []struct {
		host, username, wantEmail string
	}{
		{"127.0.0.1:8080", "admin", "admin@127.0.0.1"},
		{"holon.example.org", "root", "root@holon.example.org"},
		{"localhost:3000", "admin", "admin@localhost"},
		{"[::1]:8080", "admin", "admin@localhost.localdomain"}, // admin@::1 is no address
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			db := storetest.Open(t, store.SQLite)
			members := membership.New(db, core.SystemClock{}, membership.Policy{})
			cfg := config.Default()
			cfg.Server.Host, cfg.Instance.AdminUsername = tt.host, tt.username

			admin, err := createFirstAdmin(t.Context(), members, cfg)
			if err != nil || admin == nil {
				t.Fatalf("createFirstAdmin = %v, %v; want an account", admin, err)
			}
			if admin.Username != tt.username || admin.Email != tt.wantEmail || len(admin.Password) < 20 {
				t.Errorf("created %+v, want %s <%s> with a long password", admin, tt.username, tt.wantEmail)
			}
			got, err := members.LogIn(t.Context(), tt.username, admin.Password, "127.0.0.1")
			if err != nil || !got.IsAdmin() || got.Email != tt.wantEmail {
				t.Errorf("LogIn with the printed password = %+v, %v; want an active admin", got, err)
			}

			again, err := createFirstAdmin(t.Context(), members, cfg)
			if err != nil || again != nil {
				t.Errorf("second createFirstAdmin = %+v, %v; want nothing", again, err)
			}
		})
	}
}

func TestPrintCredentials_ShowsThePasswordBetweenTwoBanners(t *testing.T) {
	var out bytes.Buffer
	printCredentials(&out, config.Default(), firstAdmin{Username: "admin", Email: "admin@127.0.0.1", Password: "PW123"})
	text := out.String()
	for _, want := range []string{"http://127.0.0.1:8080/login", "username    admin", "password    PW123", "never be shown again"} {
		if !strings.Contains(text, want) {
			t.Errorf("credentials block lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, credentialsBanner); n != 2 {
		t.Errorf("banner appears %d times, want 2", n)
	}
}

func TestRandomPassword_IsLongAndFresh(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		p := randomPassword()
		if len(p) < 20 || len(p) > membership.MaxPasswordLength || seen[p] {
			t.Fatalf("randomPassword() = %q (len %d, seen before: %v)", p, len(p), seen[p])
		}
		seen[p] = true
	}
}
