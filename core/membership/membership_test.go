package membership_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// clock is a settable test clock.
type clock struct{ now atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.now.Store(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) Now() time.Time          { return time.Unix(0, c.now.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.now.Add(int64(d)) }

type fixture struct {
	svc   *membership.Service
	clock *clock
	db    *store.DB
}

func each(t *testing.T, policy membership.Policy, fn func(t *testing.T, f fixture)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		fn(t, fixture{svc: membership.New(db, c, policy), clock: c, db: db})
	})
}

var openPolicy = membership.Policy{Registrations: membership.RegistrationsOpen, AssociationCreation: membership.CreationByUsers}

func (f fixture) account(t *testing.T, name string) membership.Account {
	t.Helper()
	a, err := f.svc.CreateAccount(context.Background(), membership.NewAccount{
		Username: name, Email: name + "@example.org", Password: "correct horse battery",
	}, membership.RoleUser)
	if err != nil {
		t.Fatalf("create account %s: %v", name, err)
	}
	return a
}

func (f fixture) association(t *testing.T, by membership.Account, name string) membership.Association {
	t.Helper()
	a, err := f.svc.CreateAssociation(context.Background(), by, membership.NewAssociation{Name: name})
	if err != nil {
		t.Fatalf("create association %s: %v", name, err)
	}
	return a
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := core.As(err)
	if !ok {
		t.Fatalf("got %v, want core error %q", err, code)
	}
	if e.Code != code {
		t.Fatalf("got code %q (%v), want %q", e.Code, err, code)
	}
}

func fieldCodes(err error) map[string]string {
	out := map[string]string{}
	if e, ok := core.As(err); ok {
		for _, f := range e.Fields {
			out[f.Field] = f.Code
		}
	}
	return out
}

func TestSignUp_InvalidInputReportsEveryField(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		_, err := f.svc.SignUp(context.Background(), membership.NewAccount{
			Username: "bad name!", Email: "not-an-address", Password: "short", Locale: "de",
		})
		got := fieldCodes(err)
		want := map[string]string{"username": "bad-characters", "email": "invalid-email", "password": "password-too-short", "locale": "unknown-locale"}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("field %s: got %q, want %q (all: %v)", k, got[k], v, got)
			}
		}
		if n, _ := f.svc.AccountCount(context.Background()); n != 0 {
			t.Fatalf("%d accounts created by a refused sign-up", n)
		}
	})
}

func TestSignUp_Modes(t *testing.T) {
	tests := []struct {
		mode       string
		wantStatus string
		wantCode   string
	}{
		{membership.RegistrationsOpen, membership.AccountActive, ""},
		{membership.RegistrationsApproval, membership.AccountPending, ""},
		{membership.RegistrationsClosed, "", "registrations-closed"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			each(t, membership.Policy{Registrations: tt.mode}, func(t *testing.T, f fixture) {
				ctx := context.Background()
				a, err := f.svc.SignUp(ctx, membership.NewAccount{Username: "Ada", Email: "Ada@Example.org", Password: "long enough pw"})
				if tt.wantCode != "" {
					wantCode(t, err, tt.wantCode)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if a.Status != tt.wantStatus || a.Username != "ada" || a.Email != "ada@example.org" || a.DisplayName != "ada" || a.Locale != "en" {
					t.Fatalf("got %+v", a)
				}
				_, err = f.svc.LogIn(ctx, "ada", "long enough pw", "192.0.2.1")
				if tt.wantStatus == membership.AccountPending {
					wantCode(t, err, "account-pending")
					admin, _ := f.svc.CreateAccount(ctx, membership.NewAccount{Username: "root", Email: "root@example.org", Password: "long enough pw"}, membership.RoleAdmin)
					if _, err := f.svc.ApproveAccount(ctx, admin, "ada"); err != nil {
						t.Fatal(err)
					}
					_, err = f.svc.LogIn(ctx, "ada", "long enough pw", "192.0.2.1")
				}
				if err != nil {
					t.Fatalf("log in: %v", err)
				}
			})
		})
	}
}

func TestNames_OneNameSpaceForPersonsAndAssociations(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		f.association(t, ada, "commons")
		_, err := f.svc.CreateAccount(ctx, membership.NewAccount{Username: "Commons", Email: "c@example.org", Password: "long enough pw"}, membership.RoleUser)
		wantCode(t, err, "name-taken")
		_, err = f.svc.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "ADA"})
		wantCode(t, err, "name-taken")
		_, err = f.svc.CreateAccount(ctx, membership.NewAccount{Username: "ada2", Email: "ADA@example.org", Password: "long enough pw"}, membership.RoleUser)
		wantCode(t, err, "email-taken")
		// The refused e-mail must not leave its name claimed.
		if _, err := f.svc.CreateAccount(ctx, membership.NewAccount{Username: "ada2", Email: "ada2@example.org", Password: "long enough pw"}, membership.RoleUser); err != nil {
			t.Fatalf("name left claimed by a failed sign-up: %v", err)
		}
	})
}

func TestNames_ConcurrentClaimsOnlyOneWins(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		const n = 6
		var wg sync.WaitGroup
		var ok atomic.Int32
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.CreateAccount(ctx, membership.NewAccount{Username: "same", Email: fmt.Sprintf("s%d@example.org", i), Password: "long enough pw"}, membership.RoleUser)
				if err == nil {
					ok.Add(1)
				} else if !errors.Is(err, membership.ErrNameTaken) {
					t.Errorf("unexpected error: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 {
			t.Fatalf("%d accounts named same", ok.Load())
		}
	})
}

func TestLogIn_SameAnswerForUnknownUserAndWrongPassword(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.account(t, "ada")
		_, errWrong := f.svc.LogIn(ctx, "ada", "wrong password", "192.0.2.1")
		_, errUnknown := f.svc.LogIn(ctx, "nobody", "wrong password", "192.0.2.2")
		if errWrong == nil || errUnknown == nil || errWrong.Error() != errUnknown.Error() {
			t.Fatalf("answers differ: %v / %v", errWrong, errUnknown)
		}
		wantCode(t, errWrong, "bad-credentials")
	})
}

func TestLogIn_RateLimited(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.account(t, "ada")
		for i := range membership.MaxFailuresPerUser {
			_, err := f.svc.LogIn(ctx, "ada", "wrong password", fmt.Sprintf("192.0.2.%d", i))
			wantCode(t, err, "bad-credentials")
		}
		// Even the right password is refused while limited.
		_, err := f.svc.LogIn(ctx, "ada", "correct horse battery", "192.0.2.99")
		wantCode(t, err, "too-many-attempts")
		f.clock.Advance(membership.LoginWindow + time.Second)
		if _, err := f.svc.LogIn(ctx, "ada", "correct horse battery", "192.0.2.99"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestLogIn_RateLimitedPerClient(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.account(t, "ada")
		for i := range membership.MaxFailuresPerClient {
			_, _ = f.svc.LogIn(ctx, fmt.Sprintf("guess%d", i), "wrong password", "198.51.100.7")
		}
		_, err := f.svc.LogIn(ctx, "ada", "correct horse battery", "198.51.100.7")
		wantCode(t, err, "too-many-attempts")
		if _, err := f.svc.LogIn(ctx, "ada", "correct horse battery", "198.51.100.8"); err != nil {
			t.Fatalf("another client: %v", err)
		}
	})
}

func TestSessionsAndTokens(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		secret, _, err := f.svc.StartSession(ctx, ada)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.SessionAccount(ctx, secret); err != nil || got.ID != ada.ID {
			t.Fatalf("session: %v %v", got, err)
		}
		f.clock.Advance(membership.SessionLifetime + time.Minute)
		if _, err := f.svc.SessionAccount(ctx, secret); !errors.Is(err, membership.ErrUnauthenticated) {
			t.Fatalf("expired session accepted: %v", err)
		}

		tok, info, err := f.svc.CreateToken(ctx, ada, "script")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok, "hln_") {
			t.Fatalf("token %q lacks its prefix", tok)
		}
		if got, err := f.svc.TokenAccount(ctx, tok); err != nil || got.ID != ada.ID {
			t.Fatalf("token: %v %v", got, err)
		}
		list, _ := f.svc.Tokens(ctx, ada)
		if len(list) != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("tokens: %+v", list)
		}
		bob := f.account(t, "bob")
		if err := f.svc.RevokeToken(ctx, bob, info.ID); !errors.Is(err, membership.ErrNoSuchToken) {
			t.Fatalf("bob revoked ada's token: %v", err)
		}
		if err := f.svc.RevokeToken(ctx, ada, info.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.TokenAccount(ctx, tok); !errors.Is(err, membership.ErrUnauthenticated) {
			t.Fatalf("revoked token accepted: %v", err)
		}
	})
}

func TestChangePassword_EndsSessions(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		secret, _, _ := f.svc.StartSession(ctx, ada)
		err := f.svc.ChangePassword(ctx, ada, "wrong", "a new long password")
		if fieldCodes(err)["current_password"] != "wrong-password" {
			t.Fatalf("got %v", err)
		}
		if err := f.svc.ChangePassword(ctx, ada, "correct horse battery", "a new long password"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SessionAccount(ctx, secret); err == nil {
			t.Fatal("old session survived a password change")
		}
		if _, err := f.svc.LogIn(ctx, "ada", "a new long password", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCreateAssociation_Policy(t *testing.T) {
	each(t, membership.Policy{AssociationCreation: membership.CreationByAdmins}, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		_, err := f.svc.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"})
		wantCode(t, err, "creation-not-allowed")
		admin, _ := f.svc.CreateAccount(ctx, membership.NewAccount{Username: "root", Email: "root@example.org", Password: "long enough pw"}, membership.RoleAdmin)
		a, err := f.svc.CreateAssociation(ctx, admin, membership.NewAssociation{Name: "commons", Currency: "chf"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Settings.Currency != "CHF" || a.Settings.ConsensusPeriod != 7*24*time.Hour {
			t.Fatalf("settings: %+v", a.Settings)
		}
		m, err := f.svc.Membership(ctx, admin, "commons")
		if err != nil || !m.IsBoard() {
			t.Fatalf("founder is not on the board: %+v %v", m, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestUpdateAssociation(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		f.association(t, ada, "commons")
		if _, err := f.svc.Join(ctx, bob, "commons"); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.UpdateAssociation(ctx, bob, "commons", membership.AssociationChange{Summary: ptr("mine")})
		wantCode(t, err, "board-only")

		_, err = f.svc.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{
			Summary: ptr("changed"),
			Settings: membership.SettingsChange{
				ConsensusPeriod: ptr("a week"), Currency: ptr("EURO"), JoinMode: ptr("open"),
				BoardMayAllocateUpTo: ptr("1.234"), ProbationPeriod: ptr("-1h"),
			},
		})
		got := fieldCodes(err)
		want := map[string]string{"consensus_period": "invalid-duration", "currency": "unknown-currency",
			"join_mode": "invalid-choice", "board_may_allocate_up_to": "invalid-amount", "probation_period": "out-of-range"}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: got %q want %q", k, got[k], v)
			}
		}
		a, _ := f.svc.Association(ctx, "commons")
		if a.Summary != "" {
			t.Fatalf("a refused change was half applied: %+v", a)
		}

		a, err = f.svc.UpdateAssociation(ctx, ada, "Commons", membership.AssociationChange{
			Summary:  ptr("changed"),
			Settings: membership.SettingsChange{Currency: ptr("JPY"), BoardMayAllocateUpTo: ptr("500"), ConsensusPeriod: ptr("2s"), JoinMode: ptr("approval")},
		})
		if err != nil {
			t.Fatal(err)
		}
		a, _ = f.svc.Association(ctx, "commons")
		if a.Summary != "changed" || a.Settings.Currency != "JPY" || a.Settings.BoardMayAllocateUpTo != 500 ||
			a.Settings.ConsensusPeriod != 2*time.Second || a.Settings.JoinMode != membership.JoinApproval {
			t.Fatalf("not applied: %+v", a)
		}
	})
}

func TestJoin_FreeAndApproval(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		cyd := f.account(t, "cyd")
		f.association(t, ada, "commons")

		m, err := f.svc.Join(ctx, bob, "commons")
		if err != nil || m.Status != membership.MemberActive || m.JoinedAt == nil {
			t.Fatalf("free join: %+v %v", m, err)
		}
		if _, err := f.svc.Join(ctx, bob, "commons"); !errors.Is(err, membership.ErrAlreadyMember) {
			t.Fatalf("second join: %v", err)
		}

		if _, err := f.svc.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{Settings: membership.SettingsChange{JoinMode: ptr("approval")}}); err != nil {
			t.Fatal(err)
		}
		m, err = f.svc.Join(ctx, cyd, "commons")
		if err != nil || m.Status != membership.MemberPending {
			t.Fatalf("approval join: %+v %v", m, err)
		}
		visitorList, _, err := f.svc.Members(ctx, nil, "commons", [16]byte{}, 0)
		if err != nil || len(visitorList) != 2 {
			t.Fatalf("visitors see %d members (%v), want the 2 active", len(visitorList), err)
		}
		boardList, _, _ := f.svc.Members(ctx, &ada, "commons", [16]byte{}, 0)
		if len(boardList) != 3 {
			t.Fatalf("board sees %d, want 3 with the pending request", len(boardList))
		}
		if _, err := f.svc.UpdateMember(ctx, bob, "commons", "cyd", membership.MemberChange{Status: ptr("active")}); err == nil {
			t.Fatal("a regular member approved a request")
		}
		m, err = f.svc.UpdateMember(ctx, ada, "commons", "cyd", membership.MemberChange{Status: ptr("active")})
		if err != nil || m.Status != membership.MemberActive || m.JoinedAt == nil {
			t.Fatalf("approve: %+v %v", m, err)
		}
		_, err = f.svc.UpdateMember(ctx, ada, "commons", "cyd", membership.MemberChange{Status: ptr("pending")})
		if !errors.Is(err, membership.ErrNotPending) {
			t.Fatalf("back to pending: %v", err)
		}
	})
}

func TestRefuseMember(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		f.association(t, ada, "commons")
		_, _ = f.svc.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{Settings: membership.SettingsChange{JoinMode: ptr("approval")}})
		_, _ = f.svc.Join(ctx, bob, "commons")
		if err := f.svc.RefuseMember(ctx, ada, "commons", "bob"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Membership(ctx, bob, "commons"); !errors.Is(err, membership.ErrNoSuchMember) {
			t.Fatalf("refused request kept: %v", err)
		}
		if err := f.svc.RefuseMember(ctx, ada, "commons", "ada"); !errors.Is(err, membership.ErrNotPending) {
			t.Fatalf("refused an active member: %v", err)
		}
	})
}

func TestBoard_LastBoardMemberStays(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		f.association(t, ada, "commons")
		_, _ = f.svc.Join(ctx, bob, "commons")
		if err := f.svc.Leave(ctx, ada, "commons"); !errors.Is(err, membership.ErrLastBoardMember) {
			t.Fatalf("last board member left: %v", err)
		}
		if _, err := f.svc.UpdateMember(ctx, ada, "commons", "ada", membership.MemberChange{Role: ptr("member")}); !errors.Is(err, membership.ErrLastBoardMember) {
			t.Fatalf("last board member stepped down: %v", err)
		}
		if _, err := f.svc.UpdateMember(ctx, ada, "commons", "bob", membership.MemberChange{Role: ptr("treasurer")}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Leave(ctx, ada, "commons"); err != nil {
			t.Fatalf("leave with a treasurer left: %v", err)
		}
		if err := f.svc.Leave(ctx, ada, "commons"); !errors.Is(err, membership.ErrNoSuchMember) {
			t.Fatalf("second leave: %v", err)
		}
	})
}

// Two board members stepping down at once must not leave the association
// without a board.
func TestBoard_ConcurrentStepDownsKeepOne(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		f.association(t, ada, "commons")
		_, _ = f.svc.Join(ctx, bob, "commons")
		if _, err := f.svc.UpdateMember(ctx, ada, "commons", "bob", membership.MemberChange{Role: ptr("board")}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, who := range []membership.Account{ada, bob} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = f.svc.Leave(ctx, who, "commons")
			}()
		}
		wg.Wait()
		a, _ := f.svc.Association(ctx, "commons")
		n, err := f.db.Associations().CountMembers(ctx, a.ID, membership.MemberActive, membership.MemberBoard)
		if err != nil || n != 1 {
			t.Fatalf("%d board members left (%v), want 1", n, err)
		}
	})
}

func TestVotingRights_ProbationAndSuspension(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		f.association(t, ada, "commons")
		a, _ := f.svc.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{Settings: membership.SettingsChange{ProbationPeriod: ptr("720h")}})
		m, _ := f.svc.Join(ctx, bob, "commons")
		if m.MayVote(a.Settings, f.clock.Now()) {
			t.Fatal("votes during probation")
		}
		if !m.MayVote(a.Settings, f.clock.Now().Add(720*time.Hour)) {
			t.Fatal("cannot vote after probation")
		}
		_, err := f.svc.UpdateMember(ctx, ada, "commons", "bob", membership.MemberChange{VotingSuspended: ptr(true)})
		if fieldCodes(err)["suspension_reason"] != "required" {
			t.Fatalf("suspension without a reason: %v", err)
		}
		m, err = f.svc.UpdateMember(ctx, ada, "commons", "bob", membership.MemberChange{VotingSuspended: ptr(true), SuspensionReason: ptr("spam ballots")})
		if err != nil || !m.VotingSuspended || m.SuspensionReason != "spam ballots" {
			t.Fatalf("suspend: %+v %v", m, err)
		}
		if m.MayVote(a.Settings, f.clock.Now().Add(1000*time.Hour)) {
			t.Fatal("suspended member may vote")
		}
		m, _ = f.svc.UpdateMember(ctx, ada, "commons", "bob", membership.MemberChange{VotingSuspended: ptr(false)})
		if m.VotingSuspended || m.SuspensionReason != "" {
			t.Fatalf("restore: %+v", m)
		}
	})
}

func TestMembers_PaginationAndPrivacy(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		f.association(t, ada, "commons")
		for i := range 4 {
			_, _ = f.svc.Join(ctx, f.account(t, fmt.Sprintf("m%d", i)), "commons")
		}
		var names []string
		cursor := [16]byte{}
		for range 10 {
			page, next, err := f.svc.Members(ctx, nil, "commons", cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range page {
				names = append(names, m.Username)
			}
			if next == [16]byte{} {
				break
			}
			cursor = next
		}
		if strings.Join(names, ",") != "ada,m0,m1,m2,m3" {
			t.Fatalf("pages gave %v", names)
		}
		_, _ = f.svc.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{Settings: membership.SettingsChange{Visibility: ptr("members")}})
		if _, _, err := f.svc.Members(ctx, nil, "commons", [16]byte{}, 0); core.KindOf(err) != core.KindForbidden {
			t.Fatalf("visitor saw private members: %v", err)
		}
		if list, _, err := f.svc.Members(ctx, &ada, "commons", [16]byte{}, 0); err != nil || len(list) != 5 {
			t.Fatalf("member view: %d %v", len(list), err)
		}
	})
}

func TestSweep_RemovesExpiredSessionsAndOldFailures(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		_, _, _ = f.svc.StartSession(ctx, ada)
		_, _ = f.svc.LogIn(ctx, "ada", "wrong password", "192.0.2.1")
		f.clock.Advance(membership.SessionLifetime + time.Hour)
		fresh, _, _ := f.svc.StartSession(ctx, ada)
		got, err := f.svc.Sweep(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Sessions != 1 || got.LoginFailures != 1 {
			t.Fatalf("swept %+v, want 1 session and 1 failure", got)
		}
		if _, err := f.svc.SessionAccount(ctx, fresh); err != nil {
			t.Fatalf("fresh session swept: %v", err)
		}
	})
}

func TestUpdateAssociation_CurrencyChangeKeepsTheAllocationLimitsValue(t *testing.T) {
	tests := []struct {
		limit, to string
		want      int64
		code      string
	}{
		{"100.00", "JPY", 100, ""},
		{"100.50", "JPY", 0, "restate-amount"},
		{"0", "JPY", 0, ""},
		{"100.00", "USD", 10000, ""},
	}
	for _, tt := range tests {
		t.Run(tt.limit+" to "+tt.to, func(t *testing.T) {
			each(t, openPolicy, func(t *testing.T, f fixture) {
				ctx := context.Background()
				ada := f.account(t, "ada")
				f.association(t, ada, "commons")
				if _, err := f.svc.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{Settings: membership.SettingsChange{BoardMayAllocateUpTo: ptr(tt.limit)}}); err != nil {
					t.Fatal(err)
				}
				a, err := f.svc.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{Settings: membership.SettingsChange{Currency: ptr(tt.to)}})
				if tt.code != "" {
					if fieldCodes(err)["board_may_allocate_up_to"] != tt.code {
						t.Fatalf("got %v, want %s", err, tt.code)
					}
					return
				}
				if err != nil || a.Settings.BoardMayAllocateUpTo != tt.want || a.Settings.Currency != tt.to {
					t.Fatalf("got %+v, %v", a.Settings, err)
				}
			})
		})
	}
}

func TestUpdateMember_OutsidersCannotProbeMembership(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		eve := f.account(t, "eve")
		f.association(t, ada, "commons")
		_, errMember := f.svc.UpdateMember(ctx, eve, "commons", "ada", membership.MemberChange{Role: ptr("member")})
		_, errStranger := f.svc.UpdateMember(ctx, eve, "commons", "nobody", membership.MemberChange{Role: ptr("member")})
		wantCode(t, errMember, "board-only")
		wantCode(t, errStranger, "board-only")
		wantCode(t, f.svc.RefuseMember(ctx, eve, "commons", "nobody"), "board-only")
	})
}

func TestUpdateMember_PendingRequestsAndStrayReasons(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		f.association(t, ada, "commons")
		_, _ = f.svc.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{Settings: membership.SettingsChange{JoinMode: ptr("approval")}})
		_, _ = f.svc.Join(ctx, bob, "commons")
		_, err := f.svc.UpdateMember(ctx, ada, "commons", "bob", membership.MemberChange{Role: ptr("board")})
		wantCode(t, err, "approve-first")
		m, err := f.svc.UpdateMember(ctx, ada, "commons", "bob", membership.MemberChange{Status: ptr("active"), Role: ptr("treasurer")})
		if err != nil || m.Role != "treasurer" || m.Status != "active" {
			t.Fatalf("approve with a role: %+v %v", m, err)
		}
		_, err = f.svc.UpdateMember(ctx, ada, "commons", "bob", membership.MemberChange{SuspensionReason: ptr("why")})
		if fieldCodes(err)["suspension_reason"] != "needs-suspension" {
			t.Fatalf("stray reason: %v", err)
		}
	})
}

func TestMembers_SuspensionReasonShownToBoardAndMemberOnly(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		cyd := f.account(t, "cyd")
		f.association(t, ada, "commons")
		_, _ = f.svc.Join(ctx, bob, "commons")
		_, _ = f.svc.Join(ctx, cyd, "commons")
		if _, err := f.svc.UpdateMember(ctx, ada, "commons", "bob", membership.MemberChange{VotingSuspended: ptr(true), SuspensionReason: ptr("private matter")}); err != nil {
			t.Fatal(err)
		}
		reasonSeenBy := func(viewer *membership.Account) string {
			list, _, err := f.svc.Members(ctx, viewer, "commons", uuid.Nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range list {
				if m.Username == "bob" {
					if !m.VotingSuspended {
						t.Fatal("suspension hidden")
					}
					return m.SuspensionReason
				}
			}
			t.Fatal("bob not listed")
			return ""
		}
		for _, tt := range []struct {
			name   string
			viewer *membership.Account
			want   string
		}{{"board", &ada, "private matter"}, {"self", &bob, "private matter"}, {"member", &cyd, ""}, {"visitor", nil, ""}} {
			if got := reasonSeenBy(tt.viewer); got != tt.want {
				t.Errorf("%s sees %q, want %q", tt.name, got, tt.want)
			}
		}
	})
}

func TestUpdateProfile_EmailChangeChecksAndStaysUnique(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		f.account(t, "bob")
		_, err := f.svc.UpdateProfile(ctx, ada, membership.ProfileChange{Email: ptr("BOB@example.org")})
		wantCode(t, err, "email-taken")
		_, err = f.svc.UpdateProfile(ctx, ada, membership.ProfileChange{Email: ptr("nope"), DisplayName: ptr("")})
		if got := fieldCodes(err); got["email"] != "invalid-email" || got["display_name"] != "required" {
			t.Fatalf("got %v", got)
		}
		a, err := f.svc.UpdateProfile(ctx, ada, membership.ProfileChange{Email: ptr(" Ada@Elsewhere.org "), Locale: ptr("fr")})
		if err != nil || a.Email != "ada@elsewhere.org" || a.Locale != "fr" || a.DisplayName != "ada" {
			t.Fatalf("got %+v, %v", a, err)
		}
	})
}

func TestActors_CreatedWithAccountsAndAssociations(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		f.association(t, ada, "commons")
		tests := []struct{ name, kind string }{{"ada", membership.ActorPerson}, {"commons", membership.ActorGroup}}
		for _, tt := range tests {
			a, err := f.svc.LocalActor(ctx, tt.name)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if a.Kind != tt.kind || a.URI != "http://127.0.0.1:8080/actors/"+tt.name || a.KeyID != a.URI+"#main-key" ||
				!strings.HasPrefix(a.PublicKeyPEM, "-----BEGIN PUBLIC KEY-----") {
				t.Fatalf("%s: %+v", tt.name, a)
			}
			row, err := f.db.Actors().ByKeyID(ctx, a.KeyID)
			if err != nil || row.PrivateKey == nil || !strings.HasPrefix(*row.PrivateKey, "-----BEGIN PRIVATE KEY-----") {
				t.Fatalf("%s: private key not kept: %v", tt.name, err)
			}
		}
		if _, err := f.svc.LocalActor(ctx, "nobody"); !errors.Is(err, membership.ErrNoSuchActor) {
			t.Fatalf("unknown actor: %v", err)
		}
	})
}

func TestEnsureInstanceActor_OnceEvenConcurrently(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		var wg sync.WaitGroup
		ids := make(chan string, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a, err := f.svc.EnsureInstanceActor(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				ids <- a.ID.String()
			}()
		}
		wg.Wait()
		close(ids)
		first := ""
		for id := range ids {
			if first == "" {
				first = id
			} else if id != first {
				t.Fatalf("two instance actors: %s and %s", first, id)
			}
		}
		a, _ := f.svc.EnsureInstanceActor(ctx)
		if a.Kind != membership.ActorApplication || a.Username != "127.0.0.1:8080" {
			t.Fatalf("instance actor: %+v", a)
		}
	})
}

func TestSaveRemoteActor_RefusesClaimsOnLocalOrForeignIdentities(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		_, pub, err := membership.GenerateKeyPair()
		if err != nil {
			t.Fatal(err)
		}
		ada := membership.RemoteActor{URI: "https://peer.example/users/ada", Kind: "Person", Username: "ada",
			Inbox: "https://peer.example/users/ada/inbox", KeyID: "https://peer.example/users/ada#main-key", PublicKeyPEM: pub, Document: "{}"}
		saved, err := f.svc.SaveRemoteActor(ctx, ada)
		if err != nil || saved.Local || saved.Host != "peer.example" {
			t.Fatalf("save: %+v %v", saved, err)
		}
		ada.DisplayName = "Ada L."
		if again, err := f.svc.SaveRemoteActor(ctx, ada); err != nil || again.ID != saved.ID {
			t.Fatalf("update: %+v %v", again, err)
		}
		eve := ada
		eve.URI, eve.Username = "https://peer.example/users/eve", "eve"
		if _, err := f.svc.SaveRemoteActor(ctx, eve); !errors.Is(err, membership.ErrForeignKeyClaim) {
			t.Fatalf("eve claimed ada's key: %v", err)
		}
		local := ada
		local.URI, local.KeyID = "http://127.0.0.1:8080/actors/ada", "http://127.0.0.1:8080/actors/ada#main-key"
		_, err = f.svc.SaveRemoteActor(ctx, local)
		wantCode(t, err, "local-actor-claim")
		bad := ada
		bad.PublicKeyPEM = "not a key"
		_, err = f.svc.SaveRemoteActor(ctx, bad)
		wantCode(t, err, "bad-public-key")
	})
}

func TestSigningKey_MatchesThePublishedKey(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.account(t, "ada")
		keyID, key, err := f.svc.SigningKey(ctx, "ada")
		if err != nil {
			t.Fatal(err)
		}
		a, _ := f.svc.LocalActor(ctx, "ada")
		pub, err := membership.ParsePublicKey(a.PublicKeyPEM)
		if err != nil || keyID != a.KeyID || !pub.Equal(&key.PublicKey) {
			t.Fatalf("key %s does not match the published one (%v)", keyID, err)
		}
	})
}

// publications records what rules publish; the real publisher is
// federation's, tested end to end between instances.
type publications struct {
	mu  sync.Mutex
	got []membership.Publication
}

func (p *publications) Publish(_ context.Context, _ store.Tx, pub membership.Publication) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = append(p.got, pub)
	return nil
}

func TestReceiveFollow_AcceptsOrAsksTheBoard(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		pubs := &publications{}
		f.svc.UsePublisher(pubs)
		ada := f.account(t, "ada")
		f.association(t, ada, "commons")
		f.association(t, ada, "closed")
		if _, err := f.svc.UpdateAssociation(ctx, ada, "closed", membership.AssociationChange{Settings: membership.SettingsChange{FollowApproval: ptr(true)}}); err != nil {
			t.Fatal(err)
		}
		_, pub, _ := membership.GenerateKeyPair()
		remote, err := f.svc.SaveRemoteActor(ctx, membership.RemoteActor{URI: "https://peer.example/users/zoe", Kind: "Person", Username: "zoe",
			Inbox: "https://peer.example/users/zoe/inbox", SharedInbox: "https://peer.example/inbox", KeyID: "https://peer.example/users/zoe#main-key", PublicKeyPEM: pub, Document: "{}"})
		if err != nil {
			t.Fatal(err)
		}
		base := "http://127.0.0.1:8080/actors/"
		tests := []struct {
			followed, want string
			published      int
		}{
			{"ada", membership.FollowAccepted, 1},
			{"commons", membership.FollowAccepted, 2},
			{"closed", membership.FollowPending, 2},
			{"commons", membership.FollowAccepted, 3}, // a repeated Follow is answered again
		}
		for i, tt := range tests {
			fl, err := f.svc.ReceiveFollow(ctx, remote.URI, base+tt.followed, fmt.Sprintf("https://peer.example/follows/%d", i))
			if err != nil || fl.State != tt.want {
				t.Fatalf("%s: %+v %v", tt.followed, fl, err)
			}
			if len(pubs.got) != tt.published {
				t.Fatalf("%s: %d publications, want %d", tt.followed, len(pubs.got), tt.published)
			}
		}
		last := pubs.got[len(pubs.got)-1]
		if last.Type != "Accept" || last.Actor.Username != "commons" || last.To[0].URI != remote.URI || last.Follow.ActivityID != "https://peer.example/follows/3" {
			t.Fatalf("publication %+v", last)
		}
		if n, _ := f.svc.FollowerCount(ctx, "commons"); n != 1 {
			t.Fatalf("commons has %d followers", n)
		}
		if _, err := f.svc.ReceiveFollow(ctx, remote.URI, base+"nobody", "https://peer.example/follows/9"); !errors.Is(err, membership.ErrNoSuchActor) {
			t.Fatalf("follow of nobody: %v", err)
		}
		if err := f.svc.ReceiveUnfollow(ctx, remote.URI, base+"commons"); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.svc.FollowState(ctx, remote.URI, base+"commons"); st != "" {
			t.Fatalf("still following: %s", st)
		}
		if err := f.svc.ReceiveUnfollow(ctx, remote.URI, base+"commons"); err != nil {
			t.Fatalf("second undo: %v", err)
		}
	})
}

func TestFollowCollection_Pages(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.svc.UsePublisher(&publications{})
		f.account(t, "ada")
		var want []string
		for i := range 3 {
			_, pub, _ := membership.GenerateKeyPair()
			uri := fmt.Sprintf("https://peer.example/users/p%d", i)
			if _, err := f.svc.SaveRemoteActor(ctx, membership.RemoteActor{URI: uri, Kind: "Person", Username: fmt.Sprintf("p%d", i),
				Inbox: uri + "/inbox", KeyID: uri + "#key", PublicKeyPEM: pub, Document: "{}"}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.ReceiveFollow(ctx, uri, "http://127.0.0.1:8080/actors/ada", uri+"/follow"); err != nil {
				t.Fatal(err)
			}
			want = append(want, uri)
		}
		first, err := f.svc.FollowCollection(ctx, "ada", true, uuid.Nil, 2)
		if err != nil || first.Total != 3 || len(first.Items) != 2 || first.Next == uuid.Nil {
			t.Fatalf("first page %+v %v", first, err)
		}
		second, err := f.svc.FollowCollection(ctx, "ada", true, first.Next, 2)
		if err != nil || len(second.Items) != 1 || second.Next != uuid.Nil {
			t.Fatalf("second page %+v %v", second, err)
		}
		if got := strings.Join(append(first.Items, second.Items...), ","); got != strings.Join(want, ",") {
			t.Fatalf("pages gave %s", got)
		}
		following, _ := f.svc.FollowCollection(ctx, "ada", false, uuid.Nil, 10)
		if following.Total != 0 || len(following.Items) != 0 {
			t.Fatalf("ada follows %+v", following)
		}
	})
}
