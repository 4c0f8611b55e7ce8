package domains_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"example.org", "example.org", true},
		{"  Example.ORG. ", "example.org", true},
		{"bücher.example", "xn--bcher-kva.example", true},
		{"127.0.0.2", "127.0.0.2", true},
		{"[::1]", "::1", true},
		{"::1", "::1", true},
		{"", "", false},
		{"localhost", "", false},
		{"https://example.org", "", false},
		{"example.org:443", "", false},
		{"example.org/path", "", false},
		{"ada@example.org", "", false},
		{"exa mple.org", "", false},
		{"ex_ample.org", "", false},
		{strings.Repeat("a.", 130) + "org", "", false},
	} {
		got, ferr := domains.Normalize("domain", tc.in)
		if (ferr == nil) != tc.ok || got != tc.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q, ok %v", tc.in, got, ferr, tc.want, tc.ok)
		}
	}
}

func TestRefuseHost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := domains.New(db, core.SystemClock{}, "holon.example:8443")
		for _, d := range []string{"example.org", "10.0.0.1", "::1"} {
			if _, _, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: d}); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			host    string
			refused bool
		}{
			{"example.org", true},
			{"EXAMPLE.org:443", true},
			{"a.b.example.org", true},
			{"social.example.org:8080", true},
			{"notexample.org", false},
			{"example.org.evil.net", false},
			{"10.0.0.1:8080", true},
			{"10.0.0.10", false},
			{"[::1]:80", true},
			{"holon.example:8443", false},
			{"", false},
		} {
			err := s.RefuseHost(ctx, tc.host)
			if refused := errors.Is(err, domains.ErrBlocked); refused != tc.refused || (err != nil && !refused) {
				t.Errorf("RefuseHost(%q) = %v, want refused %v", tc.host, err, tc.refused)
			}
		}
	})
}

func TestBlock_Refusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := domains.New(db, core.SystemClock{}, "social.example.net:8443")
		if _, _, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "spam.example"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			in   domains.NewBlock
			want error
			kind core.Kind
		}{
			{"own host", domains.NewBlock{Domain: "social.example.net"}, domains.ErrOwnDomain, core.KindInvalid},
			{"a parent of the own host", domains.NewBlock{Domain: "example.net"}, domains.ErrOwnDomain, core.KindInvalid},
			{"blocked already", domains.NewBlock{Domain: "SPAM.example"}, domains.ErrAlreadyBlocked, core.KindConflict},
			{"not a domain", domains.NewBlock{Domain: "https://x.example/"}, nil, core.KindInvalid},
			{"comment too long", domains.NewBlock{Domain: "x.example", PublicComment: strings.Repeat("é", domains.MaxComment+1)}, nil, core.KindInvalid},
		} {
			_, _, err := s.Block(ctx, domains.CommandLine, tc.in)
			if core.KindOf(err) != tc.kind || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("%s: %v, want %v (%s)", tc.name, err, tc.want, tc.kind)
			}
		}
		if err := s.Unblock(ctx, domains.CommandLine, "never.example"); !errors.Is(err, domains.ErrNotBlocked) {
			t.Errorf("unblock of an unblocked domain: %v", err)
		}
		list, err := s.Blocks(ctx, domains.CommandLine)
		if err != nil || len(list) != 1 || list[0].Domain != "spam.example" || list[0].Severity != domains.Suspend {
			t.Fatalf("blocks %+v, %v: the refused blocks must not be half-applied", list, err)
		}
	})
}

func TestAdminOf(t *testing.T) {
	for _, tc := range []struct {
		account membership.Account
		ok      bool
	}{
		{membership.Account{Role: membership.RoleAdmin, Status: membership.AccountActive}, true},
		{membership.Account{Role: membership.RoleUser, Status: membership.AccountActive}, false},
		{membership.Account{Role: membership.RoleAdmin, Status: membership.AccountSuspended}, false},
	} {
		if _, err := domains.AdminOf(tc.account); (err == nil) != tc.ok {
			t.Errorf("AdminOf(%s, %s): %v", tc.account.Role, tc.account.Status, err)
		}
	}
}

// A block ends the follows, either way, between local actors and the
// actors of the domain and its subdomains, and leaves the others.
func TestBlock_EndsFollows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		actor := func(host, name string, local bool) store.Actor {
			a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: "https://" + host + "/u/" + name, Kind: "Person",
				Username: name, Host: host, Local: local, KeyID: "https://" + host + "/u/" + name + "#key",
				PublicKey: "pem", CreatedAt: now, UpdatedAt: now}
			if err := db.Actors().Create(ctx, &a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		follow := func(from, to store.Actor) {
			f := store.Follow{ID: uuid.Must(uuid.NewV7()), FollowerID: from.ID, FollowedID: to.ID,
				ActivityID: from.URI + "#follow-" + to.Username, State: "accepted", CreatedAt: now, UpdatedAt: now}
			if err := db.Follows().Save(ctx, &f); err != nil {
				t.Fatal(err)
			}
		}
		me := actor("holon.example", "ada", true)
		blocked := actor("a.example.org:8443", "bob", false)
		apex := actor("example.org", "cy", false)
		other := actor("example.com", "dee", false)
		follow(me, blocked)
		follow(blocked, me)
		follow(apex, me)
		follow(me, other)

		s := domains.New(db, core.SystemClock{}, "holon.example")
		_, severed, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "example.org"})
		if err != nil || severed != 3 {
			t.Fatalf("ended %d follows, %v; want 3", severed, err)
		}
		if _, err := db.Follows().Between(ctx, me.ID, other.ID); err != nil {
			t.Fatalf("the follow of another domain went too: %v", err)
		}
	})
}
