package instance_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

type fixture struct {
	db      *store.DB
	members *membership.Service
	svc     *instance.Service
	admin   membership.Account
	clock   *clock
}

var defaults = instance.Settings{Name: "Holon", ShortDescription: "From the config", Languages: []string{"en"},
	Registrations: membership.RegistrationsOpen, AssociationCreation: membership.CreationByUsers}

func each(t *testing.T, fn func(t *testing.T, f fixture)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := &clock{now: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
		members := membership.New(db, c, membership.Policy{Registrations: membership.RegistrationsOpen, AssociationCreation: membership.CreationByUsers})
		admin, err := members.CreateAccount(context.Background(), membership.NewAccount{Username: "root", Email: "root@example.org", Password: "correct horse battery"}, membership.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		fn(t, fixture{db: db, members: members, svc: instance.New(db, c, defaults), admin: admin, clock: c})
	})
}

func valid() instance.Settings {
	return instance.Settings{Name: "Jardin", ShortDescription: "Gardens", ContactEmail: "Admin@Example.org", ContactAccount: "@root",
		Languages: []string{"fr", "en", "fr"}, Registrations: membership.RegistrationsApproval, AssociationCreation: membership.CreationByAdmins,
		Rules: []instance.Rule{{Text: " Be kind "}, {Text: "No spam"}}, PrivacyPolicy: "We keep little.\n\nNothing is sold."}
}

func TestGet_DefaultsUntilSaved(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		got, err := f.svc.Get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got.Saved() || got.Name != "Holon" || got.ShortDescription != "From the config" || got.Rules == nil {
			t.Fatalf("defaults = %+v", got)
		}
	})
}

func TestUpdate_SavesNormalisedAndAudits(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		by, err := instance.AdminOf(f.admin)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Update(ctx, by, valid()); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Saved() || got.ContactEmail != "admin@example.org" || got.ContactAccount != "root" ||
			strings.Join(got.Languages, ",") != "fr,en" || fmt.Sprint(got.Rules) != "[{1 Be kind} {2 No spam}]" {
			t.Fatalf("saved = %+v", got)
		}
		// Editing keeps ids: a rule given with its id, one matched by its
		// text, and a new one after the highest id.
		in := got
		in.Rules = []instance.Rule{{Text: "No spam"}, {ID: "1", Text: "Be very kind"}, {Text: "Credit authors"}}
		got, err = f.svc.Update(ctx, by, in)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got.Rules) != "[{2 No spam} {1 Be very kind} {3 Credit authors}]" {
			t.Fatalf("rules = %v", got.Rules)
		}
		entries, err := f.db.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditInstance, Action: "settings.update", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 || entries[0].AccountName != "root" || !strings.Contains(strings.ReplaceAll(entries[1].Detail, " ", ""), `"to":"approval"`) {
			t.Fatalf("audit = %+v", entries)
		}
		if strings.Contains(entries[0].Detail, "registrations") || !strings.Contains(strings.ReplaceAll(entries[0].Detail, " ", ""), `"rules":3`) {
			t.Fatalf("second entry names only what changed: %s", entries[0].Detail)
		}
	})
}

func TestUpdate_RefusesBadInput(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		user, err := f.members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "correct horse battery"}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := instance.AdminOf(user); !errors.Is(err, instance.ErrNotAdmin) {
			t.Fatalf("AdminOf(user) = %v", err)
		}
		many := func(n int, text string) []instance.Rule {
			out := make([]instance.Rule, n)
			for i := range out {
				out[i] = instance.Rule{Text: fmt.Sprintf("%s %d", text, i)}
			}
			return out
		}
		for _, tc := range []struct {
			name  string
			edit  func(*instance.Settings)
			field string
			code  string
		}{
			{"no name", func(s *instance.Settings) { s.Name = "  " }, "name", "required"},
			{"long name", func(s *instance.Settings) { s.Name = strings.Repeat("n", instance.MaxName+1) }, "name", "too-long"},
			{"long description", func(s *instance.Settings) { s.ShortDescription = strings.Repeat("d", instance.MaxShortDescription+1) }, "short_description", "too-long"},
			{"long extended", func(s *instance.Settings) {
				s.ExtendedDescription = strings.Repeat("d", instance.MaxExtendedDescription+1)
			}, "extended_description", "too-long"},
			{"bad encoding", func(s *instance.Settings) { s.Name = "\xff" }, "name", "bad-encoding"},
			{"bad email", func(s *instance.Settings) { s.ContactEmail = "not an address" }, "contact_email", "invalid-email"},
			{"unknown contact", func(s *instance.Settings) { s.ContactAccount = "nobody" }, "contact_account", "account-not-found"},
			{"bad language", func(s *instance.Settings) { s.Languages = []string{"en", "English"} }, "languages", "invalid-language"},
			{"too many languages", func(s *instance.Settings) { s.Languages = strings.Split(strings.Repeat("en,", 21), ",") }, "languages", "too-many"},
			{"bad mode", func(s *instance.Settings) { s.Registrations = "invite" }, "registrations", "invalid-choice"},
			{"bad creation", func(s *instance.Settings) { s.AssociationCreation = "anyone" }, "association_creation", "invalid-choice"},
			{"too many rules", func(s *instance.Settings) { s.Rules = many(instance.MaxRules+1, "rule") }, "rules", "too-many"},
			{"empty rule", func(s *instance.Settings) { s.Rules = []instance.Rule{{Text: "ok"}, {Text: " "}} }, "rules.1", "required"},
			{"long rule", func(s *instance.Settings) { s.Rules = []instance.Rule{{Text: strings.Repeat("r", instance.MaxRule+1)}} }, "rules.0", "too-long"},
			{"unknown rule id", func(s *instance.Settings) { s.Rules = []instance.Rule{{ID: "42", Text: "ok"}} }, "rules.0", "unknown-rule"},
			{"long policy", func(s *instance.Settings) { s.PrivacyPolicy = strings.Repeat("p", instance.MaxPrivacyPolicy+1) }, "privacy_policy", "too-long"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := valid()
				tc.edit(&in)
				_, err := f.svc.Update(ctx, instance.CommandLine, in)
				e, ok := core.As(err)
				if !ok || e.Kind != core.KindInvalid {
					t.Fatalf("got %v, want invalid input", err)
				}
				found := false
				for _, fe := range e.Fields {
					found = found || fe.Field == tc.field && fe.Code == tc.code
				}
				if !found {
					t.Fatalf("fields = %+v, want %s %s", e.Fields, tc.field, tc.code)
				}
				if got, _ := f.svc.Get(ctx); got.Saved() {
					t.Fatal("refused settings were saved")
				}
			})
		}
	})
}

// The registration mode an admin saves governs the next sign-up, with no
// restart: the membership service reads it at each sign-up.
func TestUpdate_RegistrationModeAppliesAtOnce(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		in := valid()
		for i, tc := range []struct {
			mode       string
			wantStatus string
			wantErr    error
		}{
			{membership.RegistrationsApproval, membership.AccountPending, nil},
			{membership.RegistrationsClosed, "", membership.ErrRegistrationsOff},
			{membership.RegistrationsOpen, membership.AccountActive, nil},
		} {
			in.Registrations = tc.mode
			if _, err := f.svc.Update(ctx, instance.CommandLine, in); err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("person%d", i)
			acc, err := f.members.SignUp(ctx, membership.NewAccount{Username: name, Email: name + "@example.org", Password: "correct horse battery"})
			if !errors.Is(err, tc.wantErr) || acc.Status != tc.wantStatus {
				t.Fatalf("%s: sign-up = %v, %v; want %q, %v", tc.mode, acc.Status, err, tc.wantStatus, tc.wantErr)
			}
		}
		// Association creation follows too.
		user, err := f.members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "correct horse battery"}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := f.members.MayCreate(ctx, user); err != nil || ok {
			t.Fatalf("MayCreate with admins only = %v, %v", ok, err)
		}
		if _, err := f.members.CreateAssociation(ctx, user, membership.NewAssociation{Name: "club"}); err == nil {
			t.Fatal("a user founded an association where only admins may")
		}
	})
}

func TestDashboard_CountsKnownState(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		now := f.clock.now
		if _, err := f.members.SignUp(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "correct horse battery"}); err != nil {
			t.Fatal(err)
		}
		for i, host := range []string{"a.example", "a.example", "b.example"} {
			row := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: fmt.Sprintf("https://%s/u/%d", host, i), Kind: "Person",
				Username: fmt.Sprintf("u%d", i), Host: host, Inbox: fmt.Sprintf("https://%s/u/%d/inbox", host, i), KeyID: fmt.Sprintf("https://%s/u/%d#key", host, i), CreatedAt: now}
			if err := f.db.Actors().Create(ctx, &row); err != nil {
				t.Fatal(err)
			}
		}
		done := now.Add(-time.Hour)
		var ds []store.Delivery
		for i, d := range []struct {
			host, state string
			attempts    int
		}{
			{"a.example", store.DeliveryPending, 0}, {"a.example", store.DeliveryPending, 2}, {"b.example", store.DeliveryPending, 1},
			{"b.example", store.DeliveryFailed, 8}, {"a.example", store.DeliveryDelivered, 1},
		} {
			row := store.Delivery{ID: uuid.Must(uuid.NewV7()), ActivityID: fmt.Sprintf("https://holon.example/activities/%d", i),
				Sender: "https://holon.example/actors/root", Inbox: "https://" + d.host + "/inbox", Host: d.host, Body: "{}",
				State: d.state, Attempts: d.attempts, NextAttemptAt: now, CreatedAt: now}
			if d.state != store.DeliveryPending {
				row.FinishedAt = &done
			}
			ds = append(ds, row)
		}
		if err := f.db.Deliveries().Enqueue(ctx, ds); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.Deliveries().HostFailed(ctx, "b.example", now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.Deliveries().HostFailed(ctx, "old.example", now.Add(-48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.Dashboard(ctx, instance.CommandLine)
		if err != nil {
			t.Fatal(err)
		}
		if d.AccountsByStatus[membership.AccountActive] != 2 {
			t.Fatalf("accounts = %v", d.AccountsByStatus)
		}
		if d.RemoteActors != 3 || d.RemoteHosts != 2 || d.QueueDepth != 3 || d.Retrying != 2 || d.DeadLetters != 1 || d.InboxFailed != 0 {
			t.Fatalf("overview = %+v", d.Overview)
		}
		if len(d.FailingHosts) != 1 || d.FailingHosts[0].Host != "b.example" || d.FailingHosts[0].ConsecutiveFailures != 1 {
			t.Fatalf("failing hosts = %+v", d.FailingHosts)
		}
		if len(d.KnownHosts) != 2 || d.KnownHosts[0].Host != "a.example" || d.KnownHosts[0].Actors != 2 ||
			d.KnownHosts[0].LastDeliveredAt == nil || !d.KnownHosts[0].LastDeliveredAt.Equal(done) || d.KnownHosts[1].LastDeliveredAt != nil {
			t.Fatalf("known hosts = %+v", d.KnownHosts)
		}
	})
}
