package membership_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
)

const local = "http://127.0.0.1:8080/actors/"

// remote records the remote actor name of host, as the resolver would
// after reading its document.
func (f fixture) remote(t *testing.T, host, name string) membership.Actor {
	t.Helper()
	_, pub, err := membership.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	uri := "https://" + host + "/users/" + name
	a, err := f.svc.SaveRemoteActor(context.Background(), membership.RemoteActor{URI: uri, Kind: "Person", Username: name,
		Inbox: uri + "/inbox", SharedInbox: "https://" + host + "/inbox", KeyID: uri + "#main-key", PublicKeyPEM: pub, Document: "{}"})
	if err != nil {
		t.Fatalf("save remote actor %s: %v", name, err)
	}
	return a
}

func (f fixture) actor(t *testing.T, name string) membership.Actor {
	t.Helper()
	a, err := f.svc.LocalActor(context.Background(), name)
	if err != nil {
		t.Fatalf("local actor %s: %v", name, err)
	}
	return a
}

func (f fixture) accountWithRole(t *testing.T, name, role string) membership.Account {
	t.Helper()
	a, err := f.svc.CreateAccount(context.Background(), membership.NewAccount{
		Username: name, Email: name + "@example.org", Password: "correct horse battery",
	}, role)
	if err != nil {
		t.Fatalf("create account %s: %v", name, err)
	}
	return a
}

// take returns the publications recorded since the last call.
func (p *publications) take() []membership.Publication {
	p.mu.Lock()
	defer p.mu.Unlock()
	got := p.got
	p.got = nil
	return got
}

func kinds(pubs []membership.Publication) string {
	var out []string
	for _, p := range pubs {
		k := p.Type
		switch {
		case p.Type == "Undo" && p.Block != nil:
			k += "(Block)"
		case p.Type == "Undo" && p.Follow != nil:
			k += "(Follow)"
		}
		out = append(out, k)
	}
	return strings.Join(out, ",")
}

func TestFollowRequests_TheBoardAnswers(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		pubs := &publications{}
		f.svc.UsePublisher(pubs)
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		outsider := f.account(t, "eve")
		f.association(t, ada, "closed")
		f.association(t, bob, "other")
		if _, err := f.svc.Join(ctx, bob, "closed"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateAssociation(ctx, ada, "closed", membership.AssociationChange{Settings: membership.SettingsChange{FollowApproval: ptr(true)}}); err != nil {
			t.Fatal(err)
		}
		zoe, max := f.remote(t, "peer.example", "zoe"), f.remote(t, "peer.example", "max")
		for _, a := range []membership.Actor{zoe, max} {
			if fl, err := f.svc.ReceiveFollow(ctx, a.URI, local+"closed", a.URI+"#follow"); err != nil || fl.State != membership.FollowPending {
				t.Fatalf("follow by %s: %+v %v", a.Username, fl, err)
			}
		}
		eveFollow, err := f.svc.Follow(ctx, outsider, f.actor(t, "closed"))
		if err != nil || eveFollow.State != membership.FollowPending {
			t.Fatalf("local follow: %+v %v", eveFollow, err)
		}
		if got := pubs.take(); len(got) != 0 {
			t.Fatalf("pending follows answered: %s", kinds(got))
		}

		// Only the board sees the requests, in the order they came.
		for _, tt := range []struct {
			who  membership.Account
			code string
		}{{bob, "board-only"}, {outsider, "board-only"}, {ada, ""}} {
			list, _, err := f.svc.FollowRequests(ctx, tt.who, "closed", uuid.Nil, 10)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				continue
			}
			if err != nil || len(list) != 3 || list[0].FollowerURI != zoe.URI || list[2].Username != "eve" || !list[2].Local {
				t.Fatalf("requests: %+v %v", list, err)
			}
		}
		first, next, err := f.svc.FollowRequests(ctx, ada, "closed", uuid.Nil, 2)
		if err != nil || len(first) != 2 || next == uuid.Nil {
			t.Fatalf("first page: %+v %v", first, err)
		}
		if rest, next, _ := f.svc.FollowRequests(ctx, ada, "closed", next, 2); len(rest) != 1 || next != uuid.Nil {
			t.Fatalf("last page: %+v", rest)
		}

		tests := []struct {
			name      string
			by        membership.Account
			assoc     string
			id        uuid.UUID
			accept    bool
			code      string
			published string
			state     string // of the follower's follow afterwards
			follower  string
		}{
			{"a member is not the board", bob, "closed", first[0].ID, true, "board-only", "", membership.FollowPending, zoe.URI},
			{"another association's board", bob, "other", first[0].ID, true, "follow-request-not-found", "", membership.FollowPending, zoe.URI},
			{"accept a remote follower", ada, "closed", first[0].ID, true, "", "Accept", membership.FollowAccepted, zoe.URI},
			{"no second answer", ada, "closed", first[0].ID, false, "follow-request-not-found", "", membership.FollowAccepted, zoe.URI},
			{"reject a remote follower", ada, "closed", first[1].ID, false, "", "Reject", "", max.URI},
			{"accept a local follower: nothing to send", ada, "closed", eveFollow.ID, true, "", "", membership.FollowAccepted, local + "eve"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := f.svc.AnswerFollowRequest(ctx, tt.by, tt.assoc, tt.id, tt.accept)
				if tt.code != "" {
					wantCode(t, err, tt.code)
				} else if err != nil {
					t.Fatal(err)
				} else if want := map[bool]string{true: membership.FollowAccepted, false: membership.FollowRejected}[tt.accept]; got.State != want {
					t.Fatalf("answer state %q, want %q", got.State, want)
				}
				pub := pubs.take()
				if kinds(pub) != tt.published {
					t.Fatalf("published %q, want %q", kinds(pub), tt.published)
				}
				if len(pub) == 1 && (pub[0].Actor.Username != "closed" || pub[0].To[0].URI != tt.follower ||
					pub[0].Follow.ActivityID != tt.follower+"#follow" || pub[0].Follow.Followed != local+"closed") {
					t.Fatalf("publication %+v", pub[0])
				}
				if st, _ := f.svc.FollowState(ctx, tt.follower, local+"closed"); st != tt.state {
					t.Fatalf("follow state %q, want %q", st, tt.state)
				}
			})
		}
	})
}

func TestBlock_ByAPerson(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		pubs := &publications{}
		f.svc.UsePublisher(pubs)
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		zoe := f.remote(t, "peer.example", "zoe")
		// ada and zoe follow each other.
		if _, err := f.svc.ReceiveFollow(ctx, zoe.URI, local+"ada", zoe.URI+"#follow"); err != nil {
			t.Fatal(err)
		}
		mine, err := f.svc.Follow(ctx, ada, zoe)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ReceiveFollowAnswer(ctx, zoe.URI, true, membership.FollowRef{ActivityID: mine.ActivityID, Follower: local + "ada", Followed: zoe.URI}); err != nil {
			t.Fatal(err)
		}
		pubs.take()
		inboxes := func(name string) []string {
			got, err := f.db.Follows().FollowerInboxes(ctx, f.actor(t, name).ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := inboxes("ada"); len(got) != 1 {
			t.Fatalf("ada's follower inboxes before the block: %v", got)
		}

		b, created, err := f.svc.Block(ctx, ada, zoe)
		if err != nil || !created || b.BlockedURI != zoe.URI {
			t.Fatalf("block: %+v %v %v", b, created, err)
		}
		pub := pubs.take()
		if kinds(pub) != "Undo(Follow),Block" {
			t.Fatalf("published %s", kinds(pub))
		}
		if blk := pub[1].Block; blk.ActivityID != b.ActivityID || blk.Blocker != local+"ada" || blk.Blocked != zoe.URI || pub[1].To[0].URI != zoe.URI {
			t.Fatalf("Block publication %+v", pub[1])
		}
		if pub[0].Follow.ActivityID != mine.ActivityID {
			t.Fatalf("Undo of %s, want %s", pub[0].Follow.ActivityID, mine.ActivityID)
		}
		for _, pair := range [][2]string{{zoe.URI, local + "ada"}, {local + "ada", zoe.URI}} {
			if st, _ := f.svc.FollowState(ctx, pair[0], pair[1]); st != "" {
				t.Fatalf("%s still follows %s (%s)", pair[0], pair[1], st)
			}
		}
		if again, created, err := f.svc.Block(ctx, ada, zoe); err != nil || created || again.ID != b.ID || len(pubs.take()) != 0 {
			t.Fatalf("second block: %+v %v %v", again, created, err)
		}

		// What the blocked actor does no longer reaches ada, and ada does
		// not reach it either.
		fl, err := f.svc.ReceiveFollow(ctx, zoe.URI, local+"ada", zoe.URI+"#follow-again")
		if err != nil || fl.State != membership.FollowRejected {
			t.Fatalf("follow by the blocked actor: %+v %v", fl, err)
		}
		if pub := pubs.take(); kinds(pub) != "Reject" || pub[0].Follow.ActivityID != zoe.URI+"#follow-again" {
			t.Fatalf("answer to the blocked actor's follow: %s", kinds(pub))
		}
		if st, _ := f.svc.FollowState(ctx, zoe.URI, local+"ada"); st != "" {
			t.Fatalf("the blocked actor's follow was kept: %s", st)
		}
		if _, err := f.svc.Follow(ctx, ada, zoe); !errors.Is(err, membership.ErrBlocked) {
			t.Fatalf("ada follows whom she blocks: %v", err)
		}

		tests := []struct {
			name string
			by   membership.Account
			id   uuid.UUID
			code string
		}{
			{"block oneself", ada, uuid.Nil, "block-self"},
			{"another's block", bob, b.ID, "block-not-found"},
			{"no such block", ada, uuid.Must(uuid.NewV7()), "block-not-found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var err error
				if tt.id == uuid.Nil {
					_, _, err = f.svc.Block(ctx, tt.by, f.actor(t, tt.by.Username))
				} else {
					err = f.svc.Unblock(ctx, tt.by, tt.id)
				}
				wantCode(t, err, tt.code)
				if got := pubs.take(); len(got) != 0 {
					t.Fatalf("published %s", kinds(got))
				}
			})
		}

		list, next, err := f.svc.Blocks(ctx, ada, uuid.Nil, 10)
		if err != nil || len(list) != 1 || list[0].ID != b.ID || next != uuid.Nil {
			t.Fatalf("ada's blocks: %+v %v", list, err)
		}
		if err := f.svc.Unblock(ctx, ada, b.ID); err != nil {
			t.Fatal(err)
		}
		if pub := pubs.take(); kinds(pub) != "Undo(Block)" || pub[0].Block.ActivityID != b.ActivityID {
			t.Fatalf("unblock published %s", kinds(pub))
		}
		if fl, err := f.svc.ReceiveFollow(ctx, zoe.URI, local+"ada", zoe.URI+"#follow-3"); err != nil || fl.State != membership.FollowAccepted {
			t.Fatalf("follow after the unblock: %+v %v", fl, err)
		}

		// Between two local persons nothing is sent.
		pubs.take()
		if _, err := f.svc.Follow(ctx, bob, f.actor(t, "ada")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Block(ctx, ada, f.actor(t, "bob")); err != nil {
			t.Fatal(err)
		}
		if got := pubs.take(); len(got) != 0 {
			t.Fatalf("a local block published %s", kinds(got))
		}
		if st, _ := f.svc.FollowState(ctx, local+"bob", local+"ada"); st != "" {
			t.Fatalf("bob still follows ada: %s", st)
		}
		if _, err := f.svc.Follow(ctx, bob, f.actor(t, "ada")); !errors.Is(err, membership.ErrBlocked) {
			t.Fatalf("the blocked person follows again: %v", err)
		}
	})
}

func TestReceiveBlock_EndsFollowsAndDeliveries(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		pubs := &publications{}
		f.svc.UsePublisher(pubs)
		ada := f.account(t, "ada")
		zoe, max := f.remote(t, "peer.example", "zoe"), f.remote(t, "peer.example", "max")
		for _, a := range []membership.Actor{zoe, max} {
			if _, err := f.svc.ReceiveFollow(ctx, a.URI, local+"ada", a.URI+"#follow"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.Follow(ctx, ada, zoe); err != nil {
			t.Fatal(err)
		}
		pubs.take()
		adaID := f.actor(t, "ada").ID
		followerInboxes := func() int {
			got, err := f.db.Follows().FollowerInboxes(ctx, adaID)
			if err != nil {
				t.Fatal(err)
			}
			return len(got)
		}
		if n := followerInboxes(); n != 1 { // one shared inbox for both
			t.Fatalf("%d inboxes", n)
		}
		tests := []struct {
			name, blocker, blocked string
			err                    error
		}{
			{"of nobody here", zoe.URI, local + "nobody", membership.ErrNoSuchActor},
			{"of a remote actor", zoe.URI, max.URI, membership.ErrNoSuchActor},
			{"by a local actor", local + "ada", local + "ada", membership.ErrNoSuchActor},
			{"of ada", zoe.URI, local + "ada", nil},
			{"again", zoe.URI, local + "ada", nil},
		}
		for _, tt := range tests {
			if err := f.svc.ReceiveBlock(ctx, tt.blocker, tt.blocked, tt.blocker+"#block"); !errors.Is(err, tt.err) {
				t.Fatalf("%s: %v, want %v", tt.name, err, tt.err)
			}
		}
		if len(pubs.take()) != 0 {
			t.Fatal("a received block published something")
		}
		for _, pair := range [][2]string{{zoe.URI, local + "ada"}, {local + "ada", zoe.URI}} {
			if st, _ := f.svc.FollowState(ctx, pair[0], pair[1]); st != "" {
				t.Fatalf("%s still follows %s (%s)", pair[0], pair[1], st)
			}
		}
		if st, _ := f.svc.FollowState(ctx, max.URI, local+"ada"); st != membership.FollowAccepted {
			t.Fatalf("max's follow: %q", st)
		}
		apart, err := f.db.Blocks().Apart(ctx, adaID)
		if err != nil || !apart[zoe.URI] || len(apart) != 1 {
			t.Fatalf("apart from ada: %v %v", apart, err)
		}
		if _, err := f.svc.Follow(ctx, ada, zoe); !errors.Is(err, membership.ErrBlocked) {
			t.Fatalf("ada follows who blocks her: %v", err)
		}

		// The blocker's follow, were it to come back, is not delivered to.
		if err := f.svc.ReceiveUnblock(ctx, zoe.URI, local+"ada"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ReceiveUnblock(ctx, zoe.URI, local+"ada"); err != nil {
			t.Fatalf("second unblock: %v", err)
		}
		if apart, _ := f.db.Blocks().Apart(ctx, adaID); len(apart) != 0 {
			t.Fatalf("still apart after the Undo: %v", apart)
		}

		// A Follow from an actor that blocks the followed one lifts its
		// block: the Undo was lost.
		if err := f.svc.ReceiveBlock(ctx, zoe.URI, local+"ada", zoe.URI+"#block-2"); err != nil {
			t.Fatal(err)
		}
		if fl, err := f.svc.ReceiveFollow(ctx, zoe.URI, local+"ada", zoe.URI+"#follow-2"); err != nil || fl.State != membership.FollowAccepted {
			t.Fatalf("follow by the blocker: %+v %v", fl, err)
		}
		if apart, _ := f.db.Blocks().Apart(ctx, adaID); len(apart) != 0 {
			t.Fatalf("the blocker's follow left the block: %v", apart)
		}
	})
}

// newsPublications records what news publishes.
type newsPublications struct {
	mu  sync.Mutex
	got []news.Publication
}

func (p *newsPublications) Publish(_ context.Context, _ store.Tx, pub news.Publication) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = append(p.got, pub)
	return nil
}

// A block keeps the blocker out of the blocked actor's deliveries, and the
// blocked actor's reactions and replies out of the blocker's notes.
func TestBlock_WhatNoLongerReaches(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.svc.UsePublisher(&publications{})
		notes := news.New(f.db, f.clock, news.Policy{})
		np := &newsPublications{}
		notes.UsePublisher(np)
		ada := f.account(t, "ada")
		bob := f.account(t, "bob")
		zoe, max := f.remote(t, "peer.example", "zoe"), f.remote(t, "other.example", "max")
		adaNote, err := notes.Post(ctx, ada, news.PostInput{Content: "hello"})
		if err != nil {
			t.Fatal(err)
		}
		bobNote, err := notes.Post(ctx, bob, news.PostInput{Content: "hi"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ReceiveBlock(ctx, zoe.URI, local+"ada", zoe.URI+"#block"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Block(ctx, ada, f.actor(t, "bob")); err != nil {
			t.Fatal(err)
		}
		remoteNote := func(by membership.Actor, id string, to ...string) news.RemoteNote {
			return news.RemoteNote{URI: by.URI + "/notes/" + id, AttributedTo: by.URI, Content: "<p>hi</p>", To: to,
				Published: time.Now()}
		}
		tests := []struct {
			name string
			act  func() error
			want error
		}{
			{"a like by the blocker", func() error {
				return notes.ReceiveReaction(ctx, zoe.URI, adaNote.URI, zoe.URI+"#like", news.Like)
			}, membership.ErrBlocked},
			{"a boost by the blocker", func() error {
				return notes.ReceiveReaction(ctx, zoe.URI, adaNote.URI, zoe.URI+"#boost", news.Boost)
			}, membership.ErrBlocked},
			{"a like by someone else", func() error {
				return notes.ReceiveReaction(ctx, max.URI, adaNote.URI, max.URI+"#like", news.Like)
			}, nil},
			{"a mention by the blocker", func() error {
				_, err := notes.ReceiveCreate(ctx, zoe.URI, remoteNote(zoe, "1", local+"ada"))
				return err
			}, news.ErrUnsolicited},
			{"a reply by the blocker", func() error {
				n := remoteNote(zoe, "2")
				n.InReplyTo = adaNote.URI
				_, err := notes.ReceiveCreate(ctx, zoe.URI, n)
				return err
			}, news.ErrUnsolicited},
			{"a mention by someone else", func() error {
				_, err := notes.ReceiveCreate(ctx, max.URI, remoteNote(max, "3", local+"ada"))
				return err
			}, nil},
			{"a local like by the blocked person", func() error {
				_, err := notes.React(ctx, bob, adaNote.ID, news.Like)
				return err
			}, membership.ErrBlocked},
			{"a local like of the blocked person by the blocker", func() error {
				_, err := notes.React(ctx, ada, bobNote.ID, news.Like)
				return err
			}, membership.ErrBlocked},
			{"a local reply by the blocked person", func() error {
				_, err := notes.Post(ctx, bob, news.PostInput{Content: "answer", InReplyTo: adaNote.ID.String()})
				return err
			}, membership.ErrBlocked},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := tt.act(); !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want %v", err, tt.want)
				}
			})
		}

		// ada mentions both remote actors: only max is delivered to.
		np.got = nil
		if _, err := notes.Post(ctx, ada, news.PostInput{Content: "@zoe@peer.example @max@other.example look", Visibility: news.Direct}); err != nil {
			t.Fatal(err)
		}
		if len(np.got) != 1 || fmt.Sprint(np.got[0].Inboxes) != "[https://other.example/inbox]" {
			t.Fatalf("delivered to %+v", np.got)
		}
	})
}

// reportsFixture is an instance with an admin, a moderator, the board and
// a member of commons, the board of another association, a plain user,
// and notes to report.
type reportsFixture struct {
	fixture
	notes                                        *news.Service
	admin, moderator, board, member, other, user membership.Account
	zoe                                          membership.Actor
	boardNote, userNote                          news.Note
}

func newReportsFixture(t *testing.T, f fixture) reportsFixture {
	t.Helper()
	ctx := context.Background()
	f.svc.UsePublisher(&publications{})
	r := reportsFixture{fixture: f, notes: news.New(f.db, f.clock, news.Policy{})}
	r.notes.UsePublisher(&newsPublications{})
	r.admin = f.accountWithRole(t, "root", membership.RoleAdmin)
	r.moderator = f.accountWithRole(t, "mod", membership.RoleModerator)
	r.board = f.account(t, "ada")
	r.member = f.account(t, "bob")
	r.other = f.account(t, "cy")
	r.user = f.account(t, "dee")
	f.association(t, r.board, "commons")
	f.association(t, r.other, "elsewhere")
	if _, err := f.svc.Join(ctx, r.member, "commons"); err != nil {
		t.Fatal(err)
	}
	r.zoe = f.remote(t, "peer.example", "zoe")
	var err error
	if r.boardNote, err = r.notes.Post(ctx, r.board, news.PostInput{Author: "commons", Content: "the association speaks"}); err != nil {
		t.Fatal(err)
	}
	if r.userNote, err = r.notes.Post(ctx, r.user, news.PostInput{Content: "dee speaks"}); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReports_WhoSeesAndWhoResolves(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		r := newReportsFixture(t, f)
		// A report about the association, one about a person.
		aboutCommons, err := r.svc.Report(ctx, r.user, membership.ReportInput{Target: r.actor(t, "commons"),
			Notes: []string{r.boardNote.ID.String()}, Comment: "rude"})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.svc.ReceiveFlag(ctx, r.zoe.URI, "https://peer.example/flags/1", []string{local + "dee", r.userNote.URI}, "spam"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name         string
			who          membership.Account
			sees         int
			seesReporter bool
			mayResolve   bool
		}{
			{"an admin sees every report and who made it", r.admin, 2, true, true},
			{"a moderator too", r.moderator, 2, true, true},
			{"the reported association's board, without the reporter", r.board, 1, false, true},
			{"a member of the association sees none", r.member, 0, false, false},
			{"another association's board sees none", r.other, 0, false, false},
			{"a plain user sees none", r.user, 0, false, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, _, err := r.svc.Reports(ctx, tt.who, membership.ReportOpen, uuid.Nil, 10)
				if err != nil || len(list) != tt.sees {
					t.Fatalf("sees %d reports (%v), want %d", len(list), err, tt.sees)
				}
				for _, rp := range list {
					if (rp.ReporterURI != "") != tt.seesReporter {
						t.Fatalf("reporter %q shown to %s", rp.ReporterURI, tt.who.Username)
					}
				}
				_, err = r.svc.ResolveReport(ctx, tt.who, aboutCommons.ID, membership.Resolution{})
				if !tt.mayResolve {
					wantCode(t, err, "report-not-found")
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				// Resolved, it leaves the open list, and is resolved once.
				if _, err := r.svc.ResolveReport(ctx, tt.who, aboutCommons.ID, membership.Resolution{}); err == nil {
					t.Fatal("resolved twice")
				} else {
					wantCode(t, err, "report-resolved")
				}
				all, _, _ := r.svc.Reports(ctx, tt.who, "", uuid.Nil, 10)
				var found bool
				for _, rp := range all {
					if rp.ID == aboutCommons.ID {
						found = rp.State == membership.ReportResolved && rp.ResolvedBy == tt.who.Username && rp.ResolvedAt != nil
					}
				}
				if !found {
					t.Fatalf("the resolved report is not shown resolved: %+v", all)
				}
				if _, err := r.db.Bun().NewUpdate().Table("reports").Set("state = 'open', resolved_at = NULL, resolved_by = NULL").
					Where("id = ?", aboutCommons.ID).Exec(ctx); err != nil {
					t.Fatal(err)
				}
			})
		}
		if _, _, err := r.svc.Reports(ctx, r.admin, "closed", uuid.Nil, 10); err == nil {
			t.Fatal("an unknown state is accepted")
		}
		first, next, err := r.svc.Reports(ctx, r.admin, "", uuid.Nil, 1)
		if err != nil || len(first) != 1 || next == uuid.Nil || first[0].TargetURI != local+"dee" {
			t.Fatalf("first page: %+v %v", first, err)
		}
		if rest, next, _ := r.svc.Reports(ctx, r.admin, "", next, 1); len(rest) != 1 || next != uuid.Nil || rest[0].Association != "commons" {
			t.Fatalf("last page: %+v", rest)
		}
	})
}

func TestReport_ByAPerson(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		r := newReportsFixture(t, f)
		pubs := &publications{}
		r.svc.UsePublisher(pubs)
		remoteNote, err := r.notes.ReceiveCreate(ctx, r.zoe.URI, news.RemoteNote{URI: r.zoe.URI + "/notes/1", AttributedTo: r.zoe.URI,
			Content: "<p>hey @dee</p>", To: []string{local + "dee"}, Published: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		many := make([]string, membership.MaxReportedNotes+1)
		for i := range many {
			many[i] = r.userNote.ID.String()
		}
		tests := []struct {
			name      string
			in        membership.ReportInput
			code      string
			fields    map[string]string
			published string
			notes     int
		}{
			{"comment too long", membership.ReportInput{Target: r.zoe, Comment: strings.Repeat("é", membership.MaxReportComment+1)},
				"invalid-input", map[string]string{"comment": "too-long"}, "", 0},
			{"too many notes", membership.ReportInput{Target: r.actor(t, "dee"), Notes: many},
				"invalid-input", map[string]string{"notes": "too-many"}, "", 0},
			{"an unknown note", membership.ReportInput{Target: r.actor(t, "dee"), Notes: []string{"https://nowhere.example/1"}},
				"invalid-input", map[string]string{"notes": "unknown-note"}, "", 0},
			{"another's note", membership.ReportInput{Target: r.actor(t, "dee"), Notes: []string{r.boardNote.URI}},
				"invalid-input", map[string]string{"notes": "not-by-target"}, "", 0},
			{"oneself", membership.ReportInput{Target: r.actor(t, "bob")}, "report-self", nil, "", 0},
			{"a local person, forward means nothing", membership.ReportInput{Target: r.actor(t, "dee"), Notes: []string{r.userNote.URI, r.userNote.ID.String()}, Forward: true},
				"", nil, "", 1},
			{"a remote person, kept here", membership.ReportInput{Target: r.zoe, Notes: []string{remoteNote.ID.String()}, Comment: "spam"},
				"", nil, "", 1},
			{"a remote person, forwarded", membership.ReportInput{Target: r.zoe, Notes: []string{remoteNote.URI}, Comment: "spam", Forward: true},
				"", nil, "Flag", 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rp, err := r.svc.Report(ctx, r.member, tt.in)
				if tt.code != "" {
					wantCode(t, err, tt.code)
					for k, v := range tt.fields {
						if got := fieldCodes(err)[k]; got != v {
							t.Fatalf("field %s: %q, want %q", k, got, v)
						}
					}
				} else if err != nil {
					t.Fatal(err)
				} else if len(rp.Notes) != tt.notes || rp.State != membership.ReportOpen || !rp.Local || rp.Forwarded != (tt.published != "") {
					t.Fatalf("report %+v", rp)
				}
				pub := pubs.take()
				if kinds(pub) != tt.published {
					t.Fatalf("published %q, want %q", kinds(pub), tt.published)
				}
				if len(pub) == 0 {
					return
				}
				p := pub[0]
				instance, _ := r.svc.EnsureInstanceActor(ctx)
				if p.Actor.ID != instance.ID || p.To[0].URI != r.zoe.URI || p.Report.Content != "spam" ||
					strings.Join(p.Report.Objects, " ") != r.zoe.URI+" "+remoteNote.URI || p.Report.ActivityID == "" {
					t.Fatalf("Flag publication %+v %+v", p, p.Report)
				}
			})
		}
		list, _, _ := r.svc.Reports(ctx, r.admin, "", uuid.Nil, 10)
		if len(list) != 3 || list[0].ReporterUsername != "bob" {
			t.Fatalf("the admin sees %+v", list)
		}
	})
}

func TestReceiveFlag_KeepsWhatIsLocalWithinBounds(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		r := newReportsFixture(t, f)
		tooMany := make([]string, membership.MaxFlagObjects+1)
		for i := range tooMany {
			tooMany[i] = fmt.Sprintf("https://peer.example/notes/%d", i)
		}
		tests := []struct {
			name    string
			id      string
			objects []string
			content string
			err     error
			target  string
			notes   []string
			comment int // characters kept
		}{
			{"an actor and its notes, as Mastodon sends", "https://peer.example/flags/1",
				[]string{local + "dee", r.userNote.URI, r.boardNote.URI, "https://peer.example/notes/x"}, "look",
				nil, local + "dee", []string{r.userNote.URI}, 4},
			{"notes only: their author is reported", "https://peer.example/flags/2",
				[]string{r.boardNote.URI}, "", nil, local + "commons", []string{r.boardNote.URI}, 0},
			{"the same Flag again", "https://peer.example/flags/2",
				[]string{r.boardNote.URI}, "", nil, "", nil, 0},
			{"nothing local", "https://peer.example/flags/3",
				[]string{r.zoe.URI, "https://peer.example/notes/1"}, "", membership.ErrNothingToReport, "", nil, 0},
			{"too many objects", "https://peer.example/flags/4", tooMany, "", membership.ErrFlagTooLarge, "", nil, 0},
			{"a long comment is cut", "https://peer.example/flags/5",
				[]string{local + "dee"}, strings.Repeat("a", 5000), nil, local + "dee", nil, membership.MaxReportComment},
		}
		seen := 0
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := r.svc.ReceiveFlag(ctx, r.zoe.URI, tt.id, tt.objects, tt.content)
				if !errors.Is(err, tt.err) {
					t.Fatalf("got %v, want %v", err, tt.err)
				}
				list, _, _ := r.svc.Reports(ctx, r.admin, "", uuid.Nil, 50)
				if tt.target == "" {
					if len(list) != seen {
						t.Fatalf("%d reports, want %d", len(list), seen)
					}
					return
				}
				seen++
				if len(list) != seen {
					t.Fatalf("%d reports, want %d", len(list), seen)
				}
				rp := list[0]
				var notes []string
				for _, n := range rp.Notes {
					notes = append(notes, n.URI)
				}
				if rp.TargetURI != tt.target || fmt.Sprint(notes) != fmt.Sprint(tt.notes) || len([]rune(rp.Comment)) != tt.comment ||
					rp.Local || rp.ReporterURI != r.zoe.URI {
					t.Fatalf("report %+v", rp)
				}
			})
		}
	})
}
