package auditlog_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/audit/auditlog"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/internal/testkeys"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

type fixture struct {
	members *membership.Service
	log     *auditlog.Service
}

func each(t *testing.T, policy membership.Policy, fn func(t *testing.T, f fixture)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		policy.BaseURL, policy.NewKeyPair = "https://holon.test", testkeys.Pair
		members := membership.New(db, core.SystemClock{}, policy)
		fn(t, fixture{members: members, log: auditlog.New(db, members)})
	})
}

func (f fixture) account(t *testing.T, name, role string) membership.Account {
	t.Helper()
	a, err := f.members.CreateAccount(context.Background(), membership.NewAccount{Username: name, Email: name + "@example.org",
		Password: "correct horse battery"}, role)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if e, ok := core.As(err); !ok || e.Code != code {
		t.Fatalf("got %v, want %q", err, code)
	}
}

// The admins' actions: approving an account, founding an association
// where only admins may; moderators read them too, others may not.
func TestInstance_AdminActionsToAdminsAndModerators(t *testing.T) {
	each(t, membership.Policy{Registrations: membership.RegistrationsApproval, AssociationCreation: membership.CreationByAdmins},
		func(t *testing.T, f fixture) {
			ctx := context.Background()
			root := f.account(t, "root", membership.RoleAdmin)
			mod := f.account(t, "mod", membership.RoleModerator)
			if _, err := f.members.SignUp(ctx, membership.NewAccount{Username: "newbie", Email: "n@example.org", Password: "correct horse battery"}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.members.ApproveAccount(ctx, mod, "newbie"); err == nil {
				t.Fatal("a moderator approved an account")
			}
			if _, err := f.members.ApproveAccount(ctx, root, "newbie"); err != nil {
				t.Fatal(err)
			}
			if _, err := f.members.ApproveAccount(ctx, root, "newbie"); err == nil {
				t.Fatal("approved twice")
			}
			if _, err := f.members.CreateAssociation(ctx, root, membership.NewAssociation{Name: "commons"}); err != nil {
				t.Fatal(err)
			}
			for _, viewer := range []membership.Account{root, mod} {
				p, err := f.log.Instance(ctx, viewer, auditlog.Filter{})
				if err != nil || len(p.Entries) != 2 || p.Next != uuid.Nil {
					t.Fatalf("%s reads %+v, %v", viewer.Username, p, err)
				}
				if e := p.Entries[0]; e.Action != "association.create" || e.Target != "@commons" || e.Account != "root" {
					t.Errorf("newest %+v", e)
				}
				if e := p.Entries[1]; e.Action != "account.approve" || e.Target != "@newbie" || e.Account != "root" {
					t.Errorf("oldest %+v", e)
				}
			}
			newbie, err := f.members.Account(ctx, "newbie")
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.log.Instance(ctx, newbie, auditlog.Filter{})
			wantCode(t, err, "not-allowed")
			_, err = f.log.Instance(ctx, root, auditlog.Filter{Action: "Account%"})
			wantCode(t, err, "invalid-input")
		})
}

func TestOfAssociation_Visibility(t *testing.T) {
	each(t, membership.Policy{Registrations: membership.RegistrationsOpen}, func(t *testing.T, f fixture) {
		ctx := context.Background()
		root := f.account(t, "root", membership.RoleAdmin)
		ada := f.account(t, "ada", membership.RoleUser)
		bob := f.account(t, "bob", membership.RoleUser)
		zoe := f.account(t, "zoe", membership.RoleUser)
		pam := f.account(t, "pam", membership.RoleUser)
		if _, err := f.members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.members.Join(ctx, bob, "commons"); err != nil {
			t.Fatal(err)
		}
		vis, approval := membership.VisibilityMembers, membership.JoinApproval
		if _, err := f.members.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{
			Settings: membership.SettingsChange{Visibility: &vis, JoinMode: &approval}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.members.Join(ctx, pam, "commons"); err != nil { // pending
			t.Fatal(err)
		}
		for _, c := range []struct {
			who    string
			viewer *membership.Account
			ok     bool
		}{{"admin", &root, true}, {"board", &ada, true}, {"member", &bob, true},
			{"pending", &pam, false}, {"non-member", &zoe, false}, {"anonymous", nil, false}} {
			t.Run(c.who, func(t *testing.T) {
				p, err := f.log.OfAssociation(ctx, c.viewer, "commons", auditlog.Filter{})
				may, merr := f.log.MayRead(ctx, c.viewer, "commons")
				if merr != nil || may != c.ok {
					t.Errorf("MayRead = %v, %v", may, merr)
				}
				if !c.ok {
					wantCode(t, err, "members-only")
					return
				}
				if err != nil || len(p.Entries) != 1 || p.Entries[0].Action != "association.update" || p.Entries[0].Account != "ada" {
					t.Fatalf("entries %+v, %v", p, err)
				}
			})
		}
		// Public again: everyone reads it.
		public := membership.VisibilityPublic
		if _, err := f.members.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{
			Settings: membership.SettingsChange{Visibility: &public}}); err != nil {
			t.Fatal(err)
		}
		if p, err := f.log.OfAssociation(ctx, nil, "commons", auditlog.Filter{}); err != nil || len(p.Entries) != 2 {
			t.Fatalf("anonymous reads %+v, %v", p, err)
		}
		_, err := f.log.OfAssociation(ctx, &root, "nowhere", auditlog.Filter{})
		wantCode(t, err, "association-not-found")
	})
}

func TestOfAssociation_PagesAndFilters(t *testing.T) {
	each(t, membership.Policy{Registrations: membership.RegistrationsOpen}, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada", membership.RoleUser)
		if _, err := f.members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			summary := "take " + time.Duration(i).String()
			if _, err := f.members.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{Summary: &summary}); err != nil {
				t.Fatal(err)
			}
		}
		bob := f.account(t, "bob", membership.RoleUser)
		if _, err := f.members.Join(ctx, bob, "commons"); err != nil {
			t.Fatal(err)
		}
		board := membership.MemberBoard
		if _, err := f.members.UpdateMember(ctx, ada, "commons", "bob", membership.MemberChange{Role: &board}); err != nil {
			t.Fatal(err)
		}
		var seen []uuid.UUID
		filter := auditlog.Filter{Limit: 2}
		for pages := 0; ; pages++ {
			p, err := f.log.OfAssociation(ctx, &ada, "commons", filter)
			if err != nil || pages > 3 {
				t.Fatalf("page %d: %+v, %v", pages, p, err)
			}
			for _, e := range p.Entries {
				seen = append(seen, e.ID)
			}
			if p.Next == uuid.Nil {
				break
			}
			filter.Before = p.Next
		}
		if len(seen) != 6 {
			t.Fatalf("paged through %d entries, want 6", len(seen))
		}
		for i := 1; i < len(seen); i++ {
			if seen[i].String() >= seen[i-1].String() {
				t.Fatalf("not newest first at %d", i)
			}
		}
		p, err := f.log.OfAssociation(ctx, &ada, "commons", auditlog.Filter{Action: "member."})
		if err != nil || len(p.Entries) != 1 || p.Entries[0].Target != "@bob" || p.Entries[0].Detail["role"] != "board" {
			t.Fatalf("member. entries %+v, %v", p, err)
		}
	})
}

// The board's answers to requests to follow the association, and its
// picture, are the board's actions.
func TestOfAssociation_FollowAnswersAndAvatar(t *testing.T) {
	each(t, membership.Policy{Registrations: membership.RegistrationsOpen}, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada", membership.RoleUser)
		if _, err := f.members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		yes := true
		if _, err := f.members.UpdateAssociation(ctx, ada, "commons", membership.AssociationChange{
			Settings: membership.SettingsChange{FollowApproval: &yes}}); err != nil {
			t.Fatal(err)
		}
		group, err := f.members.LocalActor(ctx, "commons")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			follower string
			accept   bool
			action   string
		}{{"zoe", true, "follow.accept"}, {"yan", false, "follow.reject"}} {
			acc := f.account(t, c.follower, membership.RoleUser)
			if _, err := f.members.Follow(ctx, acc, group); err != nil {
				t.Fatal(err)
			}
			list, _, err := f.members.FollowRequests(ctx, ada, "commons", uuid.Nil, 10)
			if err != nil || len(list) != 1 {
				t.Fatalf("requests %+v, %v", list, err)
			}
			if _, err := f.members.AnswerFollowRequest(ctx, acc, "commons", list[0].ID, c.accept); err == nil {
				t.Fatal("the follower answered their own request")
			}
			if _, err := f.members.AnswerFollowRequest(ctx, ada, "commons", list[0].ID, c.accept); err != nil {
				t.Fatal(err)
			}
			p, err := f.log.OfAssociation(ctx, &ada, "commons", auditlog.Filter{Limit: 1})
			if err != nil || p.Entries[0].Action != c.action || p.Entries[0].Target != "@"+c.follower || p.Entries[0].Account != "ada" {
				t.Fatalf("newest %+v, %v", p, err)
			}
		}
		if _, err := f.members.SetAvatar(ctx, ada, "commons", pngOf(t)); err != nil {
			t.Fatal(err)
		}
		p, err := f.log.OfAssociation(ctx, &ada, "commons", auditlog.Filter{Action: "association.avatar"})
		if err != nil || len(p.Entries) != 1 || p.Entries[0].Target != "@commons" {
			t.Fatalf("avatar entries %+v, %v", p, err)
		}
		// A person's own picture is no board action.
		if _, err := f.members.SetAvatar(ctx, ada, "ada", pngOf(t)); err != nil {
			t.Fatal(err)
		}
		if p, err := f.log.OfAssociation(ctx, &ada, "commons", auditlog.Filter{Action: "association.avatar"}); err != nil || len(p.Entries) != 1 {
			t.Fatalf("avatar entries %+v, %v", p, err)
		}
	})
}

// pngOf is a small picture.
func pngOf(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for x := range 64 {
		img.Set(x, x, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
