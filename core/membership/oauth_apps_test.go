package membership_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
)

// grant runs the code flow for acc with scopes through app's first
// redirect URI.
func (f fixture) grant(t *testing.T, app membership.OAuthApp, acc membership.Account, scopes ...string) membership.Grant {
	t.Helper()
	ctx := context.Background()
	code, err := f.svc.IssueCode(ctx, app, acc, membership.CodeRequest{RedirectURI: app.RedirectURIs[0], Scopes: scopes})
	if err != nil {
		t.Fatal(err)
	}
	g, err := f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[0], "")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestAuthorizedApps_ListAndRevoke(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		elk, _ := f.app(t)
		tusky, _ := f.app(t, "com.keylesspalace.tusky://oauth")
		ada, bob := f.account(t, "ada"), f.account(t, "bob")

		list, err := f.svc.AuthorizedApps(ctx, ada)
		if err != nil || len(list) != 0 {
			t.Fatalf("before any grant: %v %v", list, err)
		}
		first := f.clock.Now()
		g := f.grant(t, elk, ada, "read")
		f.clock.Advance(time.Hour)
		f.grant(t, elk, ada, "write", "read") // another device
		f.grant(t, tusky, ada, "read")
		bobs := f.grant(t, tusky, bob, "read")
		// A refresh revokes the first token: the app stays listed, first
		// authorised when it first was.
		f.clock.Advance(time.Hour)
		g, err = f.svc.Refresh(ctx, elk, g.RefreshToken, nil, within)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.BearerOf(ctx, g.AccessToken); err != nil {
			t.Fatal(err)
		}

		list, err = f.svc.AuthorizedApps(ctx, ada)
		if err != nil || len(list) != 2 {
			t.Fatalf("ada's apps: %+v %v", list, err)
		}
		if list[0].App.ID != elk.ID || !list[0].FirstAuthorizedAt.Equal(first) || list[0].LastUsedAt == nil ||
			!slices.Equal(list[0].Scopes, []string{"read", "write"}) {
			t.Errorf("elk: %+v", list[0])
		}
		if list[1].App.ID != tusky.ID || list[1].LastUsedAt != nil || !slices.Equal(list[1].Scopes, []string{"read"}) {
			t.Errorf("tusky: %+v", list[1])
		}

		// Pending codes die with the tokens: none turns into a token later.
		pending, err := f.svc.IssueCode(ctx, elk, ada, membership.CodeRequest{RedirectURI: elk.RedirectURIs[0], Scopes: []string{"read"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name  string
			acc   membership.Account
			app   uuid.UUID
			err   error
			after int // ada's apps afterwards
		}{
			{"bob may not revoke ada's elk", bob, elk.ID, membership.ErrNoSuchApp, 2},
			{"an unknown app", ada, uuid.New(), membership.ErrNoSuchApp, 2},
			{"ada revokes elk", ada, elk.ID, nil, 1},
			{"elk again", ada, elk.ID, membership.ErrNoSuchApp, 1},
		} {
			if err := f.svc.RevokeApp(ctx, c.acc, c.app); !errors.Is(err, c.err) {
				t.Errorf("%s: %v", c.name, err)
			}
			if list, _ := f.svc.AuthorizedApps(ctx, ada); len(list) != c.after {
				t.Errorf("%s: ada's apps %+v", c.name, list)
			}
		}
		if _, err := f.svc.BearerOf(ctx, g.AccessToken); !errors.Is(err, membership.ErrUnauthenticated) {
			t.Errorf("a revoked app's token: %v", err)
		}
		if _, err := f.svc.Refresh(ctx, elk, g.RefreshToken, nil, within); !errors.Is(err, membership.ErrBadGrant) {
			t.Errorf("a revoked app's refresh token: %v", err)
		}
		if _, err := f.svc.ExchangeCode(ctx, elk, pending, elk.RedirectURIs[0], ""); !errors.Is(err, membership.ErrBadGrant) {
			t.Errorf("a revoked app's pending code: %v", err)
		}
		if _, err := f.svc.BearerOf(ctx, bobs.AccessToken); err != nil {
			t.Errorf("bob's token: %v", err)
		}
	})
}

func TestPreviouslyAuthorized(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		app, _ := f.app(t)
		other, _ := f.app(t)
		ada, bob := f.account(t, "ada"), f.account(t, "bob")
		cb := app.RedirectURIs[0]
		f.grant(t, app, ada, "read", "write")
		if _, err := f.svc.AppToken(ctx, app, []string{"read"}); err != nil { // acts for no one
			t.Fatal(err)
		}
		tests := []struct {
			name     string
			app      membership.OAuthApp
			acc      membership.Account
			redirect string
			scopes   []string
			want     bool
		}{
			{"same", app, ada, cb, []string{"read", "write"}, true},
			{"narrower", app, ada, cb, []string{"write"}, true},
			{"wider", app, ada, cb, []string{"read", "write", "push"}, false},
			{"another redirect URI", app, ada, membership.OOBRedirect, []string{"read"}, false},
			{"another app", other, ada, cb, []string{"read"}, false},
			{"another account", app, bob, cb, []string{"read"}, false},
			{"no redirect URI", app, ada, "", []string{"read"}, false},
		}
		for _, c := range tests {
			got, err := f.svc.PreviouslyAuthorized(ctx, c.app, c.acc, c.redirect, c.scopes, within)
			if err != nil || got != c.want {
				t.Errorf("%s: %v %v, want %v", c.name, got, err, c.want)
			}
		}
		if err := f.svc.RevokeApp(ctx, ada, app.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.svc.PreviouslyAuthorized(ctx, app, ada, cb, []string{"read"}, within); got {
			t.Error("a revoked grant still skips the consent")
		}
	})
}
