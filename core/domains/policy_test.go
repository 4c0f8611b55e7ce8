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
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// fixture builds actors, a local association and its remote members.
type fixture struct {
	t   *testing.T
	db  *store.DB
	now time.Time
}

func (f fixture) actor(host, name string, local bool, association *uuid.UUID) store.Actor {
	f.t.Helper()
	a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: "https://" + host + "/u/" + name, Kind: "Person",
		Username: name, Host: host, Local: local, AssociationID: association, KeyID: "https://" + host + "/u/" + name + "#key",
		PublicKey: "pem", CreatedAt: f.now, UpdatedAt: f.now}
	if association != nil {
		a.Kind = "Group"
	}
	if err := f.db.Actors().Create(context.Background(), &a); err != nil {
		f.t.Fatal(err)
	}
	return a
}

// association creates a local association with the remote actors as
// active members.
func (f fixture) association(name string, members ...store.Actor) {
	f.t.Helper()
	ctx := context.Background()
	if _, err := f.db.Bun().NewRaw("INSERT INTO actor_names (name, kind, created_at) VALUES (?, ?, ?)", name, "association", f.now).Exec(ctx); err != nil {
		f.t.Fatal(err)
	}
	a := store.Association{ID: uuid.Must(uuid.NewV7()), Name: name, Settings: "{}", CreatedAt: f.now, UpdatedAt: f.now}
	if err := f.db.Associations().Create(ctx, &a); err != nil {
		f.t.Fatal(err)
	}
	f.actor("holon.example", name, true, &a.ID)
	for _, m := range members {
		row := store.Membership{ID: uuid.Must(uuid.NewV7()), AssociationID: a.ID, ActorID: m.ID, Role: "member",
			Status: "active", RequestedAt: f.now, JoinedAt: &f.now, UpdatedAt: f.now}
		if err := f.db.Associations().AddMembership(ctx, &row); err != nil {
			f.t.Fatal(err)
		}
	}
}

func auditActions(t *testing.T, db *store.DB) []string {
	t.Helper()
	list, err := db.AuditLog().List(context.Background(), store.AuditFilter{Scope: store.AuditInstance, Action: "", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(list) - 1; i >= 0; i-- {
		out = append(out, list[i].Action+" "+list[i].Target)
	}
	return out
}

// In allowlist mode only the allowed domains and their subdomains pass,
// the local host always does, and a suspension still refuses an allowed
// domain; a silence refuses nothing. Another Service on the same database
// (another process) sees each change at once.
func TestRefuseHost_Allowlist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := domains.New(db, core.SystemClock{}, "holon.example:8443")
		other := domains.New(db, core.SystemClock{}, "holon.example:8443")
		check := func(host string, want error) {
			t.Helper()
			for i, svc := range []*domains.Service{s, other} {
				err := svc.RefuseHost(ctx, host)
				if (want == nil && err != nil) || (want != nil && !errors.Is(err, want)) || (err != nil && core.KindOf(err) != core.KindForbidden) {
					t.Errorf("service %d: RefuseHost(%q) = %v, want %v", i, host, err, want)
				}
			}
		}
		check("anyone.example", nil)
		if err := s.SetMode(ctx, domains.CommandLine, domains.Allowlist, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Allow(ctx, domains.CommandLine, domains.NewAllow{Domain: "friends.example", Comment: "partners"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "bad.friends.example"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "loud.friends.example", Severity: domains.Silence}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			host string
			want error
		}{
			{"anyone.example", domains.ErrNotAllowed},
			{"127.0.0.2:4000", domains.ErrNotAllowed},
			{"friends.example", nil},
			{"a.friends.example:443", nil},
			{"notfriends.example", domains.ErrNotAllowed},
			{"bad.friends.example:80", domains.ErrBlocked},
			{"loud.friends.example", nil},
			{"holon.example:8443", nil},
			{"holon.example", nil},
		} {
			check(tc.host, tc.want)
		}
		if err := other.SetMode(ctx, domains.CommandLine, domains.Open, false); err != nil {
			t.Fatal(err)
		}
		check("anyone.example", nil)
		check("bad.friends.example", domains.ErrBlocked)
		if got := auditActions(t, db); strings.Join(got, "|") != "federation.mode allowlist|domain.allow friends.example|domain.block bad.friends.example|domain.block loud.friends.example|federation.mode open" {
			t.Errorf("audit %q", got)
		}
	})
}

// The configuration's mode wins over the admins' and may not be changed.
func TestFixMode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := domains.New(db, core.SystemClock{}, "holon.example")
		if err := s.FixMode("closed"); err == nil {
			t.Error("FixMode(closed) accepted")
		}
		if err := s.FixMode(domains.Allowlist); err != nil {
			t.Fatal(err)
		}
		if err := s.RefuseHost(ctx, "127.0.0.2:4000"); !errors.Is(err, domains.ErrNotAllowed) {
			t.Errorf("fixed allowlist: %v", err)
		}
		if err := s.SetMode(ctx, domains.CommandLine, domains.Open, true); !errors.Is(err, domains.ErrModeLocked) || core.KindOf(err) != core.KindConflict {
			t.Errorf("SetMode under a fixed mode: %v", err)
		}
		if mode, locked, err := s.Mode(ctx); mode != domains.Allowlist || !locked || err != nil {
			t.Errorf("Mode = %s, %v, %v", mode, locked, err)
		}
		if err := s.SetMode(ctx, domains.CommandLine, "closed", false); core.KindOf(err) != core.KindInvalid {
			t.Errorf("unknown mode: %v", err)
		}
	})
}

// Switching to allowlist, removing an allowed domain in allowlist mode and
// suspending a domain are refused with the remote members they cut off,
// nothing applied, unless confirmed.
func TestCutsMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := fixture{t: t, db: db, now: time.Now().UTC()}
		zoe := f.actor("127.0.0.2:4001", "zoe", false, nil)
		yan := f.actor("social.partner.example", "yan", false, nil)
		f.association("jardin", zoe, yan)
		s := domains.New(db, core.SystemClock{}, "holon.example")

		cut := func(what string, err error, want ...string) {
			t.Helper()
			affected, ok := domains.AffectedOf(err)
			if !ok || !errors.Is(err, domains.ErrCutsMembersCode) || core.KindOf(err) != core.KindConflict {
				t.Fatalf("%s: %v, want federation-cuts-members", what, err)
			}
			var got []string
			for _, a := range affected {
				got = append(got, a.Acct+" "+a.Association)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s: affected %q, want %q", what, got, want)
			}
		}
		// Suspending the partner's domain; a silence cuts no one off.
		_, _, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "partner.example"})
		cut("suspend", err, "yan@social.partner.example jardin")
		if _, _, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "partner.example", Severity: domains.Silence}); err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateBlock(ctx, domains.CommandLine, "partner.example", domains.BlockChange{Severity: ptr(domains.Suspend)})
		cut("silence to suspend", err, "yan@social.partner.example jardin")
		if list, _ := s.Blocks(ctx, domains.CommandLine); len(list) != 1 || list[0].Severity != domains.Silence {
			t.Fatalf("the refused suspension was applied: %+v", list)
		}
		if err := s.Unblock(ctx, domains.CommandLine, "partner.example"); err != nil {
			t.Fatal(err)
		}

		// Switching to allowlist with one partner allowed.
		if _, err := s.Allow(ctx, domains.CommandLine, domains.NewAllow{Domain: "partner.example"}); err != nil {
			t.Fatal(err)
		}
		cut("allowlist", s.SetMode(ctx, domains.CommandLine, domains.Allowlist, false), "zoe@127.0.0.2:4001 jardin")
		if mode, _, _ := s.Mode(ctx); mode != domains.Open {
			t.Fatalf("the refused switch was applied: %s", mode)
		}
		if _, err := s.Allow(ctx, domains.CommandLine, domains.NewAllow{Domain: "127.0.0.2"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMode(ctx, domains.CommandLine, domains.Allowlist, false); err != nil {
			t.Fatalf("every member is allowed: %v", err)
		}
		cut("disallow", s.Disallow(ctx, domains.CommandLine, "partner.example", false), "yan@social.partner.example jardin")
		if list, _ := s.Allows(ctx, domains.CommandLine); len(list) != 2 {
			t.Fatalf("the refused removal was applied: %+v", list)
		}
		if err := s.Disallow(ctx, domains.CommandLine, "partner.example", true); err != nil {
			t.Fatalf("confirmed: %v", err)
		}
		if err := s.Disallow(ctx, domains.CommandLine, "partner.example", true); !errors.Is(err, domains.ErrNotOnAllowlist) {
			t.Errorf("disallow twice: %v", err)
		}
		if _, _, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "127.0.0.2", Confirm: true}); err != nil {
			t.Fatalf("confirmed suspension: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestUpdateBlock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := domains.New(db, core.SystemClock{}, "holon.example")
		if _, _, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "spam.example", Severity: "silence", PublicComment: "spam"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			domain string
			in     domains.BlockChange
			want   error
			kind   core.Kind
		}{
			{"unknown severity", "spam.example", domains.BlockChange{Severity: ptr("limit")}, nil, core.KindInvalid},
			{"empty severity", "spam.example", domains.BlockChange{Severity: ptr("")}, nil, core.KindInvalid},
			{"comment too long", "spam.example", domains.BlockChange{PublicComment: ptr(strings.Repeat("x", domains.MaxComment+1))}, nil, core.KindInvalid},
			{"not blocked", "other.example", domains.BlockChange{Severity: ptr("suspend")}, domains.ErrNotBlocked, core.KindNotFound},
		} {
			_, err := s.UpdateBlock(ctx, domains.CommandLine, tc.domain, tc.in)
			if core.KindOf(err) != tc.kind || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		b, err := s.UpdateBlock(ctx, domains.CommandLine, "SPAM.example", domains.BlockChange{Severity: ptr("suspend"), PrivateComment: ptr("worse")})
		if err != nil || b.Severity != domains.Suspend || b.PublicComment != "spam" || b.PrivateComment != "worse" {
			t.Fatalf("update: %+v, %v", b, err)
		}
		if _, _, err := s.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "x.example", Severity: "limit"}); core.KindOf(err) != core.KindInvalid {
			t.Errorf("block with an unknown severity: %v", err)
		}
		if got := auditActions(t, db); strings.Join(got, "|") != "domain.block spam.example|domain.update spam.example" {
			t.Errorf("audit %q", got)
		}
	})
}
