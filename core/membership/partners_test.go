package membership_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// storedActors finds actors among those the store keeps, as the resolver
// does before it fetches anything (what lies on other servers is saved
// beforehand with SaveRemoteActor).
type storedActors struct {
	svc *membership.Service
	db  *store.DB
}

func (f storedActors) Lookup(ctx context.Context, q string) (membership.Actor, error) {
	if strings.HasPrefix(q, "https://") || strings.HasPrefix(q, "http://") {
		return f.svc.ActorByURI(ctx, q)
	}
	name, host, ok := strings.Cut(strings.TrimPrefix(q, "@"), "@")
	if !ok {
		return membership.Actor{}, membership.ErrNoSuchActor
	}
	row, err := f.db.Actors().ByHandle(ctx, name, host)
	if errors.Is(err, store.ErrNotFound) {
		return membership.Actor{}, membership.ErrNoSuchActor
	}
	if err != nil {
		return membership.Actor{}, err
	}
	return f.svc.ActorByURI(ctx, row.URI)
}

// partnerWorld is an instance with the association commons (ada on its
// board, max a member), and, elsewhere, the associations garden and
// orchard and the person zoe.
type partnerWorld struct {
	fixture
	pubs            *publications
	policy          *domains.Service
	ada, max        membership.Account
	garden, orchard membership.Actor
	zoe             membership.Actor
	commons         string // the URI of commons' actor
}

func newPartnerWorld(t *testing.T, f fixture) partnerWorld {
	t.Helper()
	ctx := context.Background()
	w := partnerWorld{fixture: f, pubs: &publications{}, policy: domains.New(f.db, f.clock, "127.0.0.1:8080")}
	f.svc.UsePublisher(w.pubs)
	f.svc.UsePartnerLookup(storedActors{svc: f.svc, db: f.db}, w.policy)
	w.ada, w.max = f.account(t, "ada"), f.account(t, "max")
	f.association(t, w.ada, "commons")
	if _, err := f.svc.Join(ctx, w.max, "commons"); err != nil {
		t.Fatal(err)
	}
	w.commons = f.svc.ActorURI("commons")
	remote := func(kind, host, name string) membership.Actor {
		_, pub, _ := membership.GenerateKeyPair()
		base := "https://" + host
		a, err := f.svc.SaveRemoteActor(ctx, membership.RemoteActor{URI: base + "/actors/" + name, Kind: kind, Username: name,
			Inbox: base + "/actors/" + name + "/inbox", SharedInbox: base + "/inbox", KeyID: base + "/actors/" + name + "#main-key",
			PublicKeyPEM: pub, Document: "{}"})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	w.garden = remote("Group", "garden.example", "garden")
	w.orchard = remote("Group", "orchard.example", "orchard")
	w.zoe = remote("Person", "garden.example", "zoe")
	return w
}

// take returns what was published since the last take.
func (w partnerWorld) take() []membership.Publication {
	w.pubs.mu.Lock()
	defer w.pubs.mu.Unlock()
	got := w.pubs.got
	w.pubs.got = nil
	return got
}

func (w partnerWorld) audited(t *testing.T, action string) int {
	t.Helper()
	n, err := w.db.Bun().NewSelect().TableExpr("audit_log").Where("action = ?", action).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func (w partnerWorld) partners(t *testing.T, viewer *membership.Account) map[string]string {
	t.Helper()
	list, err := w.svc.Partners(context.Background(), viewer, "commons", uuid.Nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range list.Items {
		got[p.Acct()] = p.State
	}
	return got
}

func TestAddPartner_Refusals(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newPartnerWorld(t, f)
		if _, _, err := w.policy.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "orchard.example", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			by     membership.Account
			target string
			code   string // the error's code, or its field's
		}{
			{"a member not on the board", w.max, "garden@garden.example", "board-only"},
			{"no target", w.ada, "  ", "required"},
			{"a target too long", w.ada, strings.Repeat("a", membership.MaxPartnerQuery+1), "too-long"},
			{"a person", w.ada, "zoe@garden.example", "not-an-association"},
			{"itself", w.ada, w.commons, "partner-self"},
			{"a blocked domain", w.ada, "orchard@orchard.example", "domain-blocked"},
			{"an unknown association", w.ada, "nobody@garden.example", "actor-not-found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := w.svc.AddPartner(ctx, tt.by, "commons", tt.target)
				if err == nil {
					t.Fatal("added")
				}
				if got := fieldCodes(err)["target"]; got != "" {
					if got != tt.code {
						t.Fatalf("target: %q (%v), want %q", got, err, tt.code)
					}
					return
				}
				wantCode(t, err, tt.code)
			})
		}
		if got := w.take(); len(got) != 0 {
			t.Fatalf("refusals published %v", got)
		}
		if n := w.audited(t, "partner.add"); n != 0 {
			t.Fatalf("%d partner.add recorded", n)
		}
		if _, err := w.svc.AddPartner(ctx, w.ada, "nowhere", "garden@garden.example"); !errors.Is(err, membership.ErrNoSuchAssociation) {
			t.Fatalf("unknown association: %v", err)
		}
	})
}

// The board adds a remote association: the association's actor sends the
// Follow; once the other follows back (no second approval, even with
// follow approval on), the partnership is mutual; ended, both follows go,
// with an Undo and a Reject.
func TestAddPartner_RemoteUntilMutualThenEnded(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newPartnerWorld(t, f)
		if _, err := f.svc.UpdateAssociation(ctx, w.ada, "commons", membership.AssociationChange{
			Settings: membership.SettingsChange{FollowApproval: ptr(true)}}); err != nil {
			t.Fatal(err)
		}
		p, err := w.svc.AddPartner(ctx, w.ada, "commons", "@garden@garden.example")
		if err != nil {
			t.Fatal(err)
		}
		if p.State != membership.PartnerRequested || p.URI != w.garden.URI || p.Acct() != "garden@garden.example" {
			t.Fatalf("added: %+v", p)
		}
		pubs := w.take()
		if len(pubs) != 1 || pubs[0].Type != "Follow" || pubs[0].Actor.URI != w.commons || pubs[0].Follow.Followed != w.garden.URI {
			t.Fatalf("published %+v", pubs)
		}
		follow := pubs[0].Follow.ActivityID
		// Adding again asks again, with the same Follow, and records nothing.
		if _, err := w.svc.AddPartner(ctx, w.ada, "commons", w.garden.URI); err != nil {
			t.Fatal(err)
		}
		if again := w.take(); len(again) != 1 || again[0].Follow.ActivityID != follow {
			t.Fatalf("added again: %+v", again)
		}
		if n := w.audited(t, "partner.add"); n != 1 {
			t.Fatalf("%d partner.add recorded, want 1", n)
		}
		if got := w.partners(t, &w.ada); got["garden@garden.example"] != membership.PartnerRequested {
			t.Fatalf("board sees %v", got)
		}
		if got := w.partners(t, nil); len(got) != 0 {
			t.Fatalf("the public sees %v before it is mutual", got)
		}
		// Garden accepts, then follows back.
		if err := w.svc.ReceiveFollowAnswer(ctx, w.garden.URI, true, membership.FollowRef{ActivityID: follow, Follower: w.commons, Followed: w.garden.URI}); err != nil {
			t.Fatal(err)
		}
		back, err := w.svc.ReceiveFollow(ctx, w.garden.URI, w.commons, "https://garden.example/activities/1")
		if err != nil || back.State != membership.FollowAccepted {
			t.Fatalf("follow back: %+v %v", back, err)
		}
		if pubs := w.take(); len(pubs) != 1 || pubs[0].Type != "Accept" {
			t.Fatalf("follow back answered with %+v", pubs)
		}
		for _, viewer := range []*membership.Account{&w.ada, &w.max, nil} {
			if got := w.partners(t, viewer); len(got) != 1 || got["garden@garden.example"] != membership.PartnerMutual {
				t.Fatalf("viewer %v sees %v", viewer, got)
			}
		}

		if err := w.svc.EndPartnership(ctx, w.max, "commons", "garden@garden.example"); !hasCode(err, "board-only") {
			t.Fatalf("a member ended it: %v", err)
		}
		if err := w.svc.EndPartnership(ctx, w.ada, "commons", "garden@garden.example"); err != nil {
			t.Fatal(err)
		}
		pubs = w.take()
		if len(pubs) != 2 || pubs[0].Type != "Undo" || pubs[0].Follow.ActivityID != follow ||
			pubs[1].Type != "Reject" || pubs[1].Follow.ActivityID != "https://garden.example/activities/1" || pubs[1].Follow.Follower != w.garden.URI {
			t.Fatalf("ending published %+v", pubs)
		}
		if got := w.partners(t, &w.ada); len(got) != 0 {
			t.Fatalf("after the end the board sees %v", got)
		}
		for _, pair := range [][2]string{{w.commons, w.garden.URI}, {w.garden.URI, w.commons}} {
			if st, err := w.svc.FollowState(ctx, pair[0], pair[1]); err != nil || st != "" {
				t.Fatalf("follow %s → %s: %q %v", pair[0], pair[1], st, err)
			}
		}
		if n := w.audited(t, "partner.end"); n != 1 {
			t.Fatalf("%d partner.end recorded", n)
		}
		for _, target := range []string{"garden@garden.example", "zoe@garden.example", "nobody@nowhere.example", ""} {
			if err := w.svc.EndPartnership(ctx, w.ada, "commons", target); !errors.Is(err, membership.ErrNoSuchPartner) {
				t.Fatalf("ending %q again: %v", target, err)
			}
		}
	})
}

// hasCode reports whether err is a core error of the code.
func hasCode(err error, code string) bool {
	e, ok := core.As(err)
	return ok && e.Code == code
}

// An association that asks first (its Follow waits for the board) is
// offered, seen by the board only; adding it accepts its follow and
// follows back.
func TestAddPartner_AcceptsAnOffer(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newPartnerWorld(t, f)
		if _, err := f.svc.UpdateAssociation(ctx, w.ada, "commons", membership.AssociationChange{
			Settings: membership.SettingsChange{FollowApproval: ptr(true)}}); err != nil {
			t.Fatal(err)
		}
		if fl, err := w.svc.ReceiveFollow(ctx, w.garden.URI, w.commons, "https://garden.example/activities/9"); err != nil || fl.State != membership.FollowPending {
			t.Fatalf("asked: %+v %v", fl, err)
		}
		if got := w.partners(t, &w.ada); got["garden@garden.example"] != membership.PartnerOffered {
			t.Fatalf("board sees %v", got)
		}
		if got := w.partners(t, &w.max); len(got) != 0 {
			t.Fatalf("a member sees %v", got)
		}
		p, err := w.svc.AddPartner(ctx, w.ada, "commons", "garden@garden.example")
		if err != nil {
			t.Fatal(err)
		}
		pubs := w.take()
		types := []string{}
		for _, pub := range pubs {
			types = append(types, pub.Type)
		}
		if strings.Join(types, ",") != "Follow,Accept" || pubs[1].Follow.ActivityID != "https://garden.example/activities/9" {
			t.Fatalf("published %v", pubs)
		}
		if p.State != membership.PartnerRequested {
			t.Fatalf("state %q before garden accepts", p.State)
		}
		if err := w.svc.ReceiveFollowAnswer(ctx, w.garden.URI, true, membership.FollowRef{ActivityID: pubs[0].Follow.ActivityID, Follower: w.commons, Followed: w.garden.URI}); err != nil {
			t.Fatal(err)
		}
		if got := w.partners(t, nil); got["garden@garden.example"] != membership.PartnerMutual {
			t.Fatalf("the public sees %v", got)
		}
		// Garden refuses later (a Reject of our Follow): no longer mutual.
		if err := w.svc.ReceiveFollowAnswer(ctx, w.garden.URI, false, membership.FollowRef{ActivityID: pubs[0].Follow.ActivityID, Follower: w.commons, Followed: w.garden.URI}); err != nil {
			t.Fatal(err)
		}
		if got := w.partners(t, &w.ada); got["garden@garden.example"] != membership.PartnerOffered {
			t.Fatalf("after garden's Reject the board sees %v", got)
		}
	})
}

// Two associations of one instance become partners at once; nothing is
// sent.
func TestAddPartner_Local(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newPartnerWorld(t, f)
		bea := f.account(t, "bea")
		f.association(t, bea, "bakery")
		if _, err := f.svc.UpdateAssociation(ctx, bea, "bakery", membership.AssociationChange{
			Settings: membership.SettingsChange{FollowApproval: ptr(true)}}); err != nil {
			t.Fatal(err)
		}
		if p, err := w.svc.AddPartner(ctx, w.ada, "commons", "bakery@127.0.0.1:8080"); err != nil || p.State != membership.PartnerRequested {
			t.Fatalf("commons adds bakery: %+v %v", p, err)
		}
		p, err := w.svc.AddPartner(ctx, bea, "bakery", f.svc.ActorURI("commons"))
		if err != nil || p.State != membership.PartnerMutual {
			t.Fatalf("bakery adds commons: %+v %v", p, err)
		}
		if got := w.partners(t, nil); got["bakery@127.0.0.1:8080"] != membership.PartnerMutual {
			t.Fatalf("commons' partners: %v", got)
		}
		if got := w.take(); len(got) != 0 {
			t.Fatalf("published %v", got)
		}
		if err := w.svc.EndPartnership(ctx, bea, "bakery", "commons"); err != nil {
			t.Fatal(err)
		}
		if got := w.partners(t, &w.ada); len(got) != 0 {
			t.Fatalf("after the end: %v", got)
		}
	})
}

// The list pages by the partners' actor ids; an association that keeps
// its records to its members shows its partners to them only.
func TestPartners_PagesAndVisibility(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newPartnerWorld(t, f)
		for _, target := range []string{w.garden.URI, w.orchard.URI} {
			if _, err := w.svc.AddPartner(ctx, w.ada, "commons", target); err != nil {
				t.Fatal(err)
			}
		}
		first, err := w.svc.Partners(ctx, &w.ada, "commons", uuid.Nil, 1)
		if err != nil || len(first.Items) != 1 || first.Next == uuid.Nil || !first.Board {
			t.Fatalf("first page %+v %v", first, err)
		}
		rest, err := w.svc.Partners(ctx, &w.ada, "commons", first.Next, 1)
		if err != nil || len(rest.Items) != 1 || rest.Next != uuid.Nil || rest.Items[0].URI == first.Items[0].URI {
			t.Fatalf("last page %+v %v", rest, err)
		}
		if _, err := f.svc.UpdateAssociation(ctx, w.ada, "commons", membership.AssociationChange{
			Settings: membership.SettingsChange{Visibility: ptr(membership.VisibilityMembers)}}); err != nil {
			t.Fatal(err)
		}
		outsider := f.account(t, "out")
		for _, viewer := range []*membership.Account{nil, &outsider} {
			if _, err := w.svc.Partners(ctx, viewer, "commons", uuid.Nil, 0); !hasCode(err, "members-only") {
				t.Fatalf("viewer %v: %v", viewer, err)
			}
		}
		if list, err := w.svc.Partners(ctx, &w.max, "commons", uuid.Nil, 0); err != nil || list.Board || len(list.Items) != 0 {
			t.Fatalf("a member: %+v %v", list, err)
		}
		if _, err := w.svc.Partners(ctx, nil, "nowhere", uuid.Nil, 0); !errors.Is(err, membership.ErrNoSuchAssociation) {
			t.Fatalf("unknown association: %v", err)
		}
	})
}
