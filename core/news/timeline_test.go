package news_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
)

// world is a small instance where ada follows bob, the association garden
// (whose board she is on), the association commons (cat's) and zoe on a
// peer; eve, on the peer too, is followed by nobody. Notes are named by
// their text, which is also their label in the tables below.
type world struct {
	f               fixture
	ada, bob, cat   membership.Account
	zoe, eve        membership.Actor
	notes           map[string]news.Note
	garden, commons membership.Actor
}

func newWorld(t *testing.T, f fixture) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{f: f, notes: map[string]news.Note{}}
	w.ada, w.bob, w.cat = f.account(t, "ada"), f.account(t, "bob"), f.account(t, "cat")
	w.zoe, w.eve = f.remote(t, "zoe", "peer.example"), f.remote(t, "eve", "peer.example")
	if _, err := f.members.CreateAssociation(ctx, w.ada, membership.NewAssociation{Name: "garden"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.members.CreateAssociation(ctx, w.cat, membership.NewAssociation{Name: "commons"}); err != nil {
		t.Fatal(err)
	}
	w.garden, w.commons = mustActor(t, f, "garden"), mustActor(t, f, "commons")
	for _, target := range []membership.Actor{mustActor(t, f, "bob"), w.garden, w.commons} {
		if _, err := f.members.Follow(ctx, w.ada, target); err != nil {
			t.Fatal(err)
		}
	}
	fz, err := f.members.Follow(ctx, w.ada, w.zoe)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.members.ReceiveFollowAnswer(ctx, w.zoe.URI, true, membership.FollowRef{ActivityID: fz.ActivityID,
		Follower: base + "/actors/ada", Followed: w.zoe.URI}); err != nil {
		t.Fatal(err)
	}

	post := func(by membership.Account, in news.PostInput) {
		t.Helper()
		w.notes[in.Content] = f.post(t, by, in)
	}
	post(w.ada, news.PostInput{Content: "ada public #Garden"})
	post(w.ada, news.PostInput{Content: "ada unlisted #garden", Visibility: news.Unlisted})
	post(w.ada, news.PostInput{Content: "ada followers", Visibility: news.Followers})
	post(w.ada, news.PostInput{Content: "ada direct to nobody", Visibility: news.Direct})
	post(w.bob, news.PostInput{Content: "bob public"})
	post(w.bob, news.PostInput{Content: "bob followers", Visibility: news.Followers})
	post(w.bob, news.PostInput{Content: "bob direct to @cat", Visibility: news.Direct})
	post(w.bob, news.PostInput{Content: "bob direct to @ada", Visibility: news.Direct})
	post(w.bob, news.PostInput{Content: "bob deleted #garden"})
	if err := f.svc.Delete(ctx, w.bob, w.notes["bob deleted #garden"].ID); err != nil {
		t.Fatal(err)
	}
	post(w.cat, news.PostInput{Content: "cat public"})
	post(w.cat, news.PostInput{Content: "cat public to @ada"})
	post(w.cat, news.PostInput{Content: "cat followers reply", Visibility: news.Followers, InReplyTo: w.notes["ada public #Garden"].ID.String()})
	post(w.ada, news.PostInput{Author: "garden", Content: "garden public"})
	post(w.ada, news.PostInput{Author: "garden", Content: "garden followers", Visibility: news.Followers})
	post(w.ada, news.PostInput{Author: "garden", Content: "garden direct", Visibility: news.Direct})
	post(w.cat, news.PostInput{Author: "commons", Content: "commons followers", Visibility: news.Followers})
	post(w.cat, news.PostInput{Author: "commons", Content: "commons direct", Visibility: news.Direct})

	receive := func(from membership.Actor, id string, in news.RemoteNote) {
		t.Helper()
		in.URI, in.AttributedTo = "https://peer.example/notes/"+id, from.URI
		n, err := f.svc.ReceiveCreate(ctx, from.URI, in)
		if err != nil {
			t.Fatalf("receive %s: %v", id, err)
		}
		w.notes[strings.TrimSuffix(strings.TrimPrefix(in.Content, "<p>"), "</p>")] = n
	}
	pub := []string{news.PublicCollection}
	receive(w.zoe, "z1", news.RemoteNote{Content: "<p>zoe public</p>", To: pub, CC: []string{w.zoe.URI + "/followers"}, Tags: []string{"#garden"}})
	receive(w.zoe, "z2", news.RemoteNote{Content: "<p>zoe followers</p>", To: []string{w.zoe.URI + "/followers"}})
	receive(w.eve, "e1", news.RemoteNote{Content: "<p>eve public reply</p>", To: pub, InReplyTo: w.notes["ada public #Garden"].URI})
	receive(w.eve, "e2", news.RemoteNote{Content: "<p>eve followers reply</p>", To: []string{w.eve.URI + "/followers"}, InReplyTo: w.notes["ada public #Garden"].URI})
	receive(w.eve, "e3", news.RemoteNote{Content: "<p>eve public to ada</p>", To: pub,
		Mentions: []news.Mention{{Href: base + "/actors/ada", Name: "@ada"}}})

	if _, err := f.svc.React(ctx, w.bob, w.notes["cat public"].ID, news.Boost); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.React(ctx, w.cat, w.notes["bob public"].ID, news.Boost); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ReceiveReaction(ctx, w.zoe.URI, w.notes["eve public to ada"].URI, "https://peer.example/a/1", news.Boost); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ReceiveReaction(ctx, w.eve.URI, w.notes["zoe public"].URI, "https://peer.example/a/2", news.Boost); err != nil {
		t.Fatal(err)
	}
	// The association garden boosts bob's post, as associations announce
	// what their members post to them.
	boost(t, f, w.garden, w.notes["bob public"])
	return w
}

// boost records actor's boost of n directly in the store, as the
// federation of associations' announces does.
func boost(t *testing.T, f fixture, actor membership.Actor, n news.Note) {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	_, err := f.db.Reactions(string(news.Boost)).Add(context.Background(), &store.Reaction{ID: id, ActorID: actor.ID,
		NoteID: n.ID, ActivityID: base + "/activities/" + id.String(), CreatedAt: f.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
}

// lines writes a page as "text" for notes and "text ↻ booster" for boosts.
func (w *world) lines(p news.Page) []string {
	out := make([]string, len(p.Entries))
	for i, e := range p.Entries {
		out[i] = w.label(e)
	}
	return out
}

func (w *world) label(e news.Entry) string {
	for text, n := range w.notes {
		if n.ID == e.Note.ID {
			if e.BoostedBy != nil {
				return text + " ↻ " + e.BoostedBy.Username
			}
			return text
		}
	}
	return "unknown " + e.Note.ID.String()
}

// readable checks every entry against Get, which applies the visibility
// rules note by note: a timeline never shows what its viewer may not read.
func (w *world) readable(t *testing.T, viewer *membership.Account, p news.Page) {
	t.Helper()
	for _, e := range p.Entries {
		if _, err := w.f.svc.Get(context.Background(), viewer, e.Note.ID); err != nil {
			t.Errorf("the timeline shows %q, which the viewer may not read: %v", w.label(e), err)
		}
	}
}

func sameSet(t *testing.T, got, want []string) {
	t.Helper()
	g, wnt := slices.Clone(got), slices.Clone(want)
	sort.Strings(g)
	sort.Strings(wnt)
	if !slices.Equal(g, wnt) {
		t.Errorf("got\n  %q\nwant\n  %q", g, wnt)
	}
}

func newestFirst(t *testing.T, p news.Page) {
	t.Helper()
	for i := 1; i < len(p.Entries); i++ {
		a, _ := news.ParseCursor(p.Entries[i-1].Key)
		b, _ := news.ParseCursor(p.Entries[i].Key)
		if a.String() <= b.String() {
			t.Fatalf("entries %d and %d are not newest first", i-1, i)
		}
	}
}

func TestHome_MembershipAndVisibility(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newWorld(t, f)
		tests := []struct {
			viewer membership.Account
			want   []string
		}{
			{w.ada, []string{
				// her own, whatever their visibility
				"ada public #Garden", "ada unlisted #garden", "ada followers", "ada direct to nobody",
				// bob's, whom she follows: not his direct note to cat
				"bob public", "bob followers", "bob direct to @ada",
				// cat's mentioning her (a reply mentions the parent's author)
				"cat public to @ada", "cat followers reply",
				// the associations she follows; garden's direct note since she is on its board
				"garden public", "garden followers", "garden direct", "commons followers",
				// zoe, followed on the peer; eve, not followed: her public reply and her mention
				"zoe public", "zoe followers", "eve public reply", "eve public to ada",
				// boosts by those she follows
				"cat public ↻ bob", "bob public ↻ garden", "eve public to ada ↻ zoe",
			}},
			{w.bob, []string{
				"bob public", "bob followers", "bob direct to @cat", "bob direct to @ada", "cat public ↻ bob",
			}},
			{w.cat, []string{
				"cat public", "cat public to @ada", "cat followers reply", "bob direct to @cat", "bob public ↻ cat",
			}},
		}
		for _, tt := range tests {
			t.Run(tt.viewer.Username, func(t *testing.T) {
				p, err := f.svc.Home(ctx, tt.viewer, "", news.MaxTimelineLimit)
				if err != nil {
					t.Fatal(err)
				}
				sameSet(t, w.lines(p), tt.want)
				w.readable(t, &tt.viewer, p)
				newestFirst(t, p)
				if p.Next != "" {
					t.Errorf("a next page after %d entries", len(p.Entries))
				}
			})
		}
	})
}

func TestNetwork_PublicActivityOfLocalsAndPartners(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newWorld(t, f)
		want := []string{
			"ada public #Garden", "bob public", "cat public", "cat public to @ada", "garden public",
			// remote: only the actors someone here follows
			"zoe public",
			// boosts of public notes, by local actors and followed remote ones
			"cat public ↻ bob", "bob public ↻ cat", "bob public ↻ garden", "eve public to ada ↻ zoe",
		}
		for _, viewer := range []*membership.Account{nil, &w.bob} {
			p, err := f.svc.Network(ctx, viewer, "", news.MaxTimelineLimit)
			if err != nil {
				t.Fatal(err)
			}
			sameSet(t, w.lines(p), want)
			w.readable(t, viewer, p)
			newestFirst(t, p)
		}
	})
}

func TestTagged_PublicNotesWithTheTag(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newWorld(t, f)
		for _, tag := range []string{"garden", "#Garden", "GARDEN"} {
			p, err := f.svc.Tagged(ctx, nil, tag, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			// not the unlisted one, not the deleted one
			sameSet(t, w.lines(p), []string{"ada public #Garden", "zoe public"})
		}
		for _, bad := range []string{"", "#", strings.Repeat("a", news.MaxTagLength+1)} {
			if _, err := f.svc.Tagged(ctx, nil, bad, "", 0); !errors.Is(err, news.ErrBadTag) {
				t.Errorf("tag %q: %v", bad, err)
			}
		}
	})
}

func TestActorNews_NotesAsTheViewerMayReadThemAndBoosts(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newWorld(t, f)
		dan := f.account(t, "dan")
		tests := []struct {
			name   string
			viewer *membership.Account
			want   []string
		}{
			{"visitor", nil, []string{"garden public", "bob public ↻ garden"}},
			{"stranger", &dan, []string{"garden public", "bob public ↻ garden"}},
			{"board", &w.ada, []string{"garden public", "garden followers", "garden direct", "bob public ↻ garden"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := f.svc.ActorNews(ctx, tt.viewer, w.garden.ID, "", 0)
				if err != nil {
					t.Fatal(err)
				}
				sameSet(t, w.lines(p), tt.want)
				w.readable(t, tt.viewer, p)
			})
		}
		// a follower reads commons' followers-only notes, not its direct ones
		p, err := f.svc.ActorNews(ctx, &w.ada, w.commons.ID, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		sameSet(t, w.lines(p), []string{"commons followers"})
		// a remote actor's notes stored here
		p, err = f.svc.ActorNews(ctx, nil, w.eve.ID, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		sameSet(t, w.lines(p), []string{"eve public reply", "eve public to ada", "zoe public ↻ eve"})
	})
}

func TestEntries_CarryCountsBoostersAndTheViewersReactions(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newWorld(t, f)
		if _, err := f.svc.React(ctx, w.ada, w.notes["cat public"].ID, news.Like); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.React(ctx, w.ada, w.notes["cat public"].ID, news.Boost); err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.Home(ctx, w.ada, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var seen int
		for _, e := range p.Entries {
			if e.Note.ID != w.notes["cat public"].ID {
				continue
			}
			seen++
			if !e.Liked || !e.Boosted || e.Likes != 1 || e.Boosts != 2 || e.BoostedBy == nil {
				t.Errorf("entry %+v", e)
			}
			if b := e.BoostedBy; b != nil && b.Username == "bob" && (e.BoosterName != w.bob.DisplayName || b.URL != base+"/@bob" || !b.Local) {
				t.Errorf("booster %q %+v", e.BoosterName, b)
			}
		}
		if seen != 2 { // boosted by bob, and by ada herself
			t.Fatalf("cat's note shows %d times on ada's home", seen)
		}
		// another viewer sees the counts, and their own reactions, not ada's
		p, err = f.svc.Home(ctx, w.bob, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Entries {
			if e.Note.ID == w.notes["cat public"].ID && (e.Liked || !e.Boosted || e.Likes != 1) {
				t.Errorf("bob sees %+v", e)
			}
		}
		for _, e := range p.Entries {
			if e.Note.ID == w.notes["bob direct to @cat"].ID && (len(e.Note.Mentions) != 1 || e.Note.Mentions[0].Href != base+"/actors/cat") {
				t.Errorf("mentions %+v", e.Note.Mentions)
			}
		}
	})
}

func TestTimeline_PagesAreStableUnderInserts(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		var posted []string
		for i := range 45 {
			posted = append(posted, f.post(t, ada, news.PostInput{Content: fmt.Sprintf("note %02d", i)}).Content)
		}
		first, err := f.svc.Home(ctx, ada, "", 20)
		if err != nil || len(first.Entries) != 20 || first.Next == "" {
			t.Fatalf("first page: %d entries, next %q, %v", len(first.Entries), first.Next, err)
		}
		// what is posted meanwhile goes on top, not into the next pages
		for i := range 5 {
			f.post(t, ada, news.PostInput{Content: fmt.Sprintf("later %d", i)})
		}
		var got []string
		for _, e := range first.Entries {
			got = append(got, e.Note.Content)
		}
		cursor := first.Next
		for pages := 0; cursor != ""; pages++ {
			if pages > 3 {
				t.Fatal("too many pages")
			}
			p, err := f.svc.Home(ctx, ada, cursor, 20)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range p.Entries {
				got = append(got, e.Note.Content)
			}
			cursor = p.Next
		}
		slices.Reverse(posted)
		if !slices.Equal(got, posted) {
			t.Fatalf("paged through %d notes:\n%q\nwant\n%q", len(got), got, posted)
		}
		// the limit is bounded
		p, err := f.svc.Home(ctx, ada, "", 1000)
		if err != nil || len(p.Entries) != news.MaxTimelineLimit {
			t.Fatalf("limit 1000 gave %d entries: %v", len(p.Entries), err)
		}
		p, err = f.svc.Home(ctx, ada, "", 0)
		if err != nil || len(p.Entries) != news.DefaultTimelineLimit {
			t.Fatalf("default limit gave %d entries: %v", len(p.Entries), err)
		}
		for _, bad := range []string{"x", "AAAA", uuid.NewString(), strings.Repeat("A", 22)} {
			if _, err := f.svc.Home(ctx, ada, bad, 0); !errors.Is(err, news.ErrBadCursor) || core.KindOf(err) != core.KindInvalid {
				t.Errorf("cursor %q: %v", bad, err)
			}
		}
	})
}

// queryCounter counts the statements the database runs.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

// A page costs the same few queries whether it holds two entries or forty:
// authors, boosters, counts and the viewer's reactions come with the page,
// hashtags, mentions, attachments and polls in one query each.
func TestTimeline_QueriesDoNotGrowWithThePage(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newWorld(t, f)
		for i := range 40 {
			f.post(t, w.bob, news.PostInput{Content: fmt.Sprintf("@ada and @cat #tag%d #more", i)})
		}
		counter := &queryCounter{}
		f.db.Bun().AddQueryHook(counter)
		count := func(limit int) int64 {
			before := counter.n.Load()
			p, err := f.svc.Home(ctx, w.ada, "", limit)
			if err != nil || len(p.Entries) != limit {
				t.Fatalf("%d entries: %v", len(p.Entries), err)
			}
			return counter.n.Load() - before
		}
		small, large := count(2), count(news.MaxTimelineLimit)
		if small != large || large > 6 {
			t.Fatalf("a page of 2 costs %d queries, a page of %d costs %d", small, news.MaxTimelineLimit, large)
		}
	})
}

func TestThread_ParentAndReadableReplies(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		w := newWorld(t, f)
		parent := w.notes["ada public #Garden"]
		reply := f.post(t, w.bob, news.PostInput{Content: "bob public reply", InReplyTo: parent.ID.String()})
		w.notes["bob public reply"] = reply
		deleted := f.post(t, w.bob, news.PostInput{Content: "bob deleted reply", InReplyTo: parent.ID.String()})
		if err := f.svc.Delete(ctx, w.bob, deleted.ID); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			viewer  *membership.Account
			replies []string
		}{
			{nil, []string{"eve public reply", "bob public reply"}},
			{&w.bob, []string{"eve public reply", "bob public reply"}},
			{&w.ada, []string{"cat followers reply", "eve public reply", "bob public reply"}},
		}
		for _, tt := range tests {
			th, err := f.svc.Thread(ctx, tt.viewer, parent.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			if th.Entry.Note.ID != parent.ID || th.Parent != nil || th.Next != "" {
				t.Fatalf("thread %+v", th)
			}
			var got []string
			for _, e := range th.Replies {
				got = append(got, w.label(e))
			}
			if !slices.Equal(got, tt.replies) {
				t.Errorf("replies %q, want %q (oldest first)", got, tt.replies)
			}
		}
		th, err := f.svc.Thread(ctx, nil, reply.ID, "")
		if err != nil || th.Parent == nil || th.Parent.Note.ID != parent.ID || len(th.Replies) != 0 {
			t.Fatalf("reply's thread %+v %v", th, err)
		}
		if _, err := f.svc.Thread(ctx, nil, w.notes["ada followers"].ID, ""); !errors.Is(err, news.ErrNoSuchNote) {
			t.Fatalf("a visitor reads a followers-only thread: %v", err)
		}
		if _, err := f.svc.Thread(ctx, nil, deleted.ID, ""); !errors.Is(err, news.ErrNoteDeleted) {
			t.Fatalf("deleted: %v", err)
		}
	})
}

func TestRemoteProfile_KnownActorsOnly(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.account(t, "ada")
		_, pub, err := membership.GenerateKeyPair()
		if err != nil {
			t.Fatal(err)
		}
		uri := "https://peer.example/users/zoe"
		if _, err := f.members.SaveRemoteActor(ctx, membership.RemoteActor{URI: uri, Kind: "Person", Username: "zoe",
			Inbox: uri + "/inbox", DisplayName: "<b>Zoé</b>", Summary: `<p>Gardener <script>alert(1)</script><a href="javascript:x()">x</a></p>`,
			KeyID: uri + "#main-key", PublicKeyPEM: pub, Document: "{}"}); err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.RemoteProfile(ctx, "Zoe", "PEER.example")
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "Zoé" || p.Author.URI != uri || p.Author.URL != uri || !strings.Contains(p.Summary, "Gardener") ||
			strings.Contains(p.Summary, "script") || strings.Contains(p.Summary, "javascript") {
			t.Fatalf("profile %+v", p)
		}
		if _, err := f.svc.ReceiveCreate(ctx, uri, news.RemoteNote{URI: "https://peer.example/notes/1", AttributedTo: uri,
			Content: "<p>hi</p>", To: []string{news.PublicCollection}, Mentions: []news.Mention{{Href: base + "/actors/ada"}}}); err != nil {
			t.Fatal(err)
		}
		page, err := f.svc.ActorNews(ctx, nil, p.Author.ID, "", 0)
		if err != nil || len(page.Entries) != 1 || page.Entries[0].AuthorName != "Zoé" {
			t.Fatalf("zoe's notes %+v %v", page.Entries, err)
		}
		for _, acct := range [][2]string{{"nobody", "peer.example"}, {"ada", "127.0.0.1:8080"}, {"", "peer.example"}} {
			if _, err := f.svc.RemoteProfile(ctx, acct[0], acct[1]); !errors.Is(err, news.ErrNoSuchActor) {
				t.Errorf("%v: %v", acct, err)
			}
		}
	})
}

// Paging through a home timeline fed by several followed actors, their
// notes and boosts interleaved, gives every entry once, newest first.
func TestHome_PagesThroughFollowedActorsAndBoosts(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob, cat := f.account(t, "ada"), f.account(t, "bob"), f.account(t, "cat")
		for _, name := range []string{"bob", "cat"} {
			if _, err := f.members.Follow(ctx, ada, mustActor(t, f, name)); err != nil {
				t.Fatal(err)
			}
		}
		var want []string
		for i := range 24 {
			by := []membership.Account{bob, cat, cat}[i%3]
			n := f.post(t, by, news.PostInput{Content: fmt.Sprintf("%s %02d", by.Username, i)})
			want = append(want, n.Content)
			if i%4 == 0 {
				if _, err := f.svc.React(ctx, bob, n.ID, news.Boost); err != nil {
					t.Fatal(err)
				}
				want = append(want, n.Content+" ↻ bob")
			}
		}
		slices.Reverse(want)
		var got []string
		cursor := ""
		for range 10 {
			p, err := f.svc.Home(ctx, ada, cursor, 5)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range p.Entries {
				line := e.Note.Content
				if e.BoostedBy != nil {
					line += " ↻ " + e.BoostedBy.Username
				}
				got = append(got, line)
			}
			if cursor = p.Next; cursor == "" {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("paged:\n%q\nwant\n%q", got, want)
		}
	})
}
