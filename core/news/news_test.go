package news_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/internal/testkeys"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

const base = "http://127.0.0.1:8080"

// clock is a settable test clock.
type clock struct{ now atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.now.Store(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) Now() time.Time          { return time.Unix(0, c.now.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.now.Add(int64(d)) }

// publications records what the rules publish; the real publisher is
// federation's, tested end to end between instances.
type publications struct {
	mu  sync.Mutex
	got []news.Publication
}

func (p *publications) Publish(_ context.Context, _ store.Tx, pub news.Publication) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = append(p.got, pub)
	return nil
}

func (p *publications) last(t *testing.T) news.Publication {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.got) == 0 {
		t.Fatal("nothing published")
	}
	return p.got[len(p.got)-1]
}

func (p *publications) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.got)
}

type fixture struct {
	svc     *news.Service
	members *membership.Service
	pubs    *publications
	clock   *clock
	db      *store.DB
}

func each(t *testing.T, fn func(t *testing.T, f fixture)) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		members := membership.New(db, c, membership.Policy{Registrations: membership.RegistrationsOpen,
			AssociationCreation: membership.CreationByUsers, BaseURL: base, NewKeyPair: testkeys.Pair})
		members.UsePublisher(memberPublications{})
		svc := news.New(db, c, news.Policy{BaseURL: base})
		pubs := &publications{}
		svc.UsePublisher(pubs)
		fn(t, fixture{svc: svc, members: members, pubs: pubs, clock: c, db: db})
	})
}

// memberPublications lets membership answer follows without federation.
type memberPublications struct{}

func (memberPublications) Publish(context.Context, store.Tx, membership.Publication) error {
	return nil
}

func (f fixture) account(t *testing.T, name string) membership.Account {
	t.Helper()
	a, err := f.members.CreateAccount(context.Background(), membership.NewAccount{
		Username: name, Email: name + "@example.org", Password: "correct horse battery",
	}, membership.RoleUser)
	if err != nil {
		t.Fatalf("create account %s: %v", name, err)
	}
	return a
}

// remote stores a remote actor name@host, with a shared inbox.
func (f fixture) remote(t *testing.T, name, host string) membership.Actor {
	t.Helper()
	_, pub, err := membership.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	uri := "https://" + host + "/users/" + name
	a, err := f.members.SaveRemoteActor(context.Background(), membership.RemoteActor{URI: uri, Kind: "Person", Username: name,
		Inbox: uri + "/inbox", SharedInbox: "https://" + host + "/inbox", Followers: uri + "/followers",
		URL: "https://" + host + "/@" + name, KeyID: uri + "#main-key", PublicKeyPEM: pub, Document: "{}"})
	if err != nil {
		t.Fatalf("save remote actor %s: %v", uri, err)
	}
	return a
}

// follows makes the remote actor follow the local actor name.
func (f fixture) follows(t *testing.T, follower membership.Actor, name string) {
	t.Helper()
	if _, err := f.members.ReceiveFollow(context.Background(), follower.URI, base+"/actors/"+name, follower.URI+"/follows/"+name); err != nil {
		t.Fatalf("%s follows %s: %v", follower.URI, name, err)
	}
}

func (f fixture) post(t *testing.T, by membership.Account, in news.PostInput) news.Note {
	t.Helper()
	n, err := f.svc.Post(context.Background(), by, in)
	if err != nil {
		t.Fatalf("%s posts %q: %v", by.Username, in.Content, err)
	}
	return n
}

func TestPost_RendersAndPublishesToFollowersAndMentions(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob := f.account(t, "ada"), f.account(t, "bob")
		zoe := f.remote(t, "zoe", "peer.example")
		eve := f.remote(t, "eve", "other.example")
		sam := f.remote(t, "sam", "other.example")
		f.follows(t, eve, "ada")
		f.follows(t, sam, "ada") // same server as eve: one shared inbox
		f.follows(t, zoe, "bob") // not ada's follower
		n := f.post(t, ada, news.PostInput{Content: "Hello **world** @bob @Zoe@peer.example @nobody@nowhere.example #Commons #commons\n" +
			"`#notatag` https://example.org/x <script>alert(1)</script> [bad](javascript:alert(2))"})
		if !strings.HasPrefix(n.URI, base+"/notes/") || n.URI != base+"/notes/"+n.ID.String() || n.URL != n.URI || !n.Local {
			t.Fatalf("addresses %s %s", n.URI, n.URL)
		}
		for _, want := range []string{"<strong>world</strong>",
			`<a href="` + base + `/@bob" class="u-url mention"`,
			`<a href="https://peer.example/@zoe" class="u-url mention"`, "@<span>zoe</span>",
			"@nobody@nowhere.example",
			`<a href="` + base + `/tags/commons" class="mention hashtag" rel="tag`,
			"<code>#notatag</code>", `<a href="https://example.org/x" rel="nofollow noreferrer noopener"`} {
			if !strings.Contains(n.Content, want) {
				t.Errorf("content lacks %q:\n%s", want, n.Content)
			}
		}
		for _, bad := range []string{"<script", "javascript:"} {
			if strings.Contains(n.Content, bad) {
				t.Errorf("content keeps %q:\n%s", bad, n.Content)
			}
		}
		if !slices.Equal(n.Tags, []string{"commons"}) {
			t.Errorf("tags %v", n.Tags)
		}
		if want := []string{base + "/actors/bob", zoe.URI}; !slices.Equal(n.MentionURIs(), want) {
			t.Errorf("mentions %v, want %v", n.MentionURIs(), want)
		}
		if n.Mentions[1].Name != "@zoe@peer.example" {
			t.Errorf("mention name %q", n.Mentions[1].Name)
		}
		p := f.pubs.last(t)
		slices.Sort(p.Inboxes)
		if p.Type != "Create" || p.Note.ID != n.ID || !slices.Equal(p.Inboxes, []string{"https://other.example/inbox", "https://peer.example/inbox"}) {
			t.Fatalf("published %s to %v", p.Type, p.Inboxes)
		}
		got, err := f.svc.Get(ctx, nil, n.ID)
		if err != nil || got.Content != n.Content || got.Source == "" || !slices.Equal(got.MentionURIs(), n.MentionURIs()) {
			t.Fatalf("read back %+v %v", got, err)
		}
		_ = bob
	})
}

func TestPost_RefusesBadInput(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ada := f.account(t, "ada")
		tests := []struct {
			in     news.PostInput
			fields []string
		}{
			{news.PostInput{Content: "  "}, []string{"content"}},
			{news.PostInput{Content: strings.Repeat("é", news.MaxSourceLength+1)}, []string{"content"}},
			{news.PostInput{Content: "x", Visibility: "friends", Summary: strings.Repeat("s", news.MaxSummaryLength+1)}, []string{"summary", "visibility"}},
			{news.PostInput{Content: "x", InReplyTo: "https://nowhere.example/notes/1"}, []string{"in_reply_to"}},
			{news.PostInput{Content: "x", InReplyTo: "0193b3a0-0000-7000-8000-000000000000"}, []string{"in_reply_to"}},
		}
		for _, tt := range tests {
			_, err := f.svc.Post(context.Background(), ada, tt.in)
			e, ok := core.As(err)
			if !ok || e.Kind != core.KindInvalid {
				t.Fatalf("%+v: %v", tt.in.Visibility, err)
			}
			var got []string
			for _, fe := range e.Fields {
				got = append(got, fe.Field)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
		}
		if f.pubs.count() != 0 {
			t.Fatal("a refused post was published")
		}
	})
}

func TestPost_AsAnAssociationOnlyByItsBoard(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob := f.account(t, "ada"), f.account(t, "bob")
		if _, err := f.members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.members.Join(ctx, bob, "commons"); err != nil {
			t.Fatal(err)
		}
		n := f.post(t, ada, news.PostInput{Author: "Commons", Content: "Assemblée générale jeudi"})
		if n.Author.Username != "commons" || n.Author.URI != base+"/actors/commons" {
			t.Fatalf("author %+v", n.Author)
		}
		for _, as := range []string{"commons", "ada", "nobody", base} {
			if _, err := f.svc.Post(ctx, bob, news.PostInput{Author: as, Content: "x"}); !errors.Is(err, news.ErrMayNotPost) {
				t.Errorf("bob as %s: %v", as, err)
			}
		}
		if err := f.svc.Delete(ctx, bob, n.ID); !errors.Is(err, news.ErrNotAuthor) {
			t.Fatalf("a member deletes the association's note: %v", err)
		}
		if err := f.svc.Delete(ctx, ada, n.ID); err != nil {
			t.Fatalf("the board deletes it: %v", err)
		}
	})
}

func TestAudience_FollowsVisibility(t *testing.T) {
	n := news.Note{Author: news.Author{Followers: "https://h.example/actors/ada/followers"},
		Mentions: []news.Mention{{Href: "https://p.example/users/zoe"}}}
	pub, fol, zoe := news.PublicCollection, n.Author.Followers, "https://p.example/users/zoe"
	tests := []struct {
		visibility string
		to, cc     []string
	}{
		{news.Public, []string{pub}, []string{fol, zoe}},
		{news.Unlisted, []string{fol}, []string{pub, zoe}},
		{news.Followers, []string{fol}, []string{zoe}},
		{news.Direct, []string{zoe}, []string{}},
	}
	for _, tt := range tests {
		n.Visibility = tt.visibility
		to, cc := n.Audience()
		if !slices.Equal(to, tt.to) || !slices.Equal(cc, tt.cc) {
			t.Errorf("%s: to %v cc %v", tt.visibility, to, cc)
		}
		if got := news.VisibilityOf(to, cc, fol); got != tt.visibility {
			t.Errorf("%s reads back as %s", tt.visibility, got)
		}
	}
	for _, tt := range []struct {
		to, cc []string
		want   string
	}{
		{[]string{"as:Public"}, nil, news.Public},
		{nil, []string{"Public"}, news.Unlisted},
		{[]string{"https://p.example/users/zoe/followers"}, nil, news.Followers}, // no known followers collection
		{[]string{zoe}, []string{"https://p.example/users/zoe/following"}, news.Direct},
	} {
		if got := news.VisibilityOf(tt.to, tt.cc, ""); got != tt.want {
			t.Errorf("%v %v: %s, want %s", tt.to, tt.cc, got, tt.want)
		}
	}
}

func TestGet_OnlyTheAudienceReadsRestrictedNotes(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob, cat := f.account(t, "ada"), f.account(t, "bob"), f.account(t, "cat")
		if _, err := f.members.Follow(ctx, cat, mustActor(t, f, "ada")); err != nil {
			t.Fatal(err)
		}
		direct := f.post(t, ada, news.PostInput{Content: "@bob psst", Visibility: news.Direct})
		private := f.post(t, ada, news.PostInput{Content: "for my followers", Visibility: news.Followers})
		if p := f.pubs.last(t); len(p.Inboxes) != 0 {
			t.Fatalf("a note without remote audience goes to %v", p.Inboxes)
		}
		tests := []struct {
			note   news.Note
			viewer *membership.Account
			sees   bool
		}{
			{direct, &ada, true}, {direct, &bob, true}, {direct, &cat, false}, {direct, nil, false},
			{private, &ada, true}, {private, &cat, true}, {private, &bob, false}, {private, nil, false},
		}
		for i, tt := range tests {
			_, err := f.svc.Get(ctx, tt.viewer, tt.note.ID)
			if tt.sees != (err == nil) || (!tt.sees && !errors.Is(err, news.ErrNoSuchNote)) {
				t.Errorf("case %d: %v", i, err)
			}
		}
		if _, err := f.svc.Post(ctx, cat, news.PostInput{Content: "re", InReplyTo: direct.ID.String()}); core.KindOf(err) != core.KindInvalid {
			t.Fatalf("reply to an unreadable note: %v", err)
		}
		if _, err := f.svc.Object(ctx, private.ID); !errors.Is(err, news.ErrNoSuchNote) {
			t.Fatalf("a followers-only note served to anyone: %v", err)
		}
	})
}

func mustActor(t *testing.T, f fixture, name string) membership.Actor {
	t.Helper()
	a, err := f.members.LocalActor(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestReply_LinksAndMentionsTheParentsAuthor(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob := f.account(t, "ada"), f.account(t, "bob")
		zoe := f.remote(t, "zoe", "peer.example")
		parent := f.post(t, ada, news.PostInput{Content: "@zoe@peer.example what do you think?"})
		reply := f.post(t, bob, news.PostInput{Content: "I agree", InReplyTo: parent.URI})
		if reply.InReplyTo != parent.URI || reply.InReplyToID == nil || *reply.InReplyToID != parent.ID {
			t.Fatalf("reply links to %s %v", reply.InReplyTo, reply.InReplyToID)
		}
		if !slices.Equal(reply.MentionURIs(), []string{base + "/actors/ada"}) {
			t.Fatalf("reply mentions %v", reply.MentionURIs())
		}
		replies, err := f.svc.Replies(ctx, nil, parent.ID, uuid.Nil, 10)
		if err != nil || len(replies) != 1 || replies[0].ID != reply.ID {
			t.Fatalf("replies %v %v", replies, err)
		}
		// A reply to a remote note reaches its author.
		remote, err := f.svc.ReceiveCreate(ctx, zoe.URI, news.RemoteNote{URI: "https://peer.example/notes/1", AttributedTo: zoe.URI,
			Content: "<p>@ada yes</p>", InReplyTo: parent.URI, To: []string{news.PublicCollection}})
		if err != nil {
			t.Fatal(err)
		}
		f.post(t, ada, news.PostInput{Content: "thanks", InReplyTo: remote.ID.String()})
		if p := f.pubs.last(t); !slices.Contains(p.Inboxes, "https://peer.example/inbox") || !slices.Contains(p.Note.MentionURIs(), zoe.URI) {
			t.Fatalf("reply to zoe went to %v, mentions %v", p.Inboxes, p.Note.MentionURIs())
		}
	})
}

func TestUpdateAndDelete_OnlyByTheAuthor(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob := f.account(t, "ada"), f.account(t, "bob")
		zoe := f.remote(t, "zoe", "peer.example")
		f.follows(t, zoe, "ada")
		n := f.post(t, ada, news.PostInput{Content: "first #draft"})
		text := "second #final"
		if _, err := f.svc.Update(ctx, bob, n.ID, news.Change{Content: &text}); !errors.Is(err, news.ErrNotAuthor) {
			t.Fatalf("bob edits ada's note: %v", err)
		}
		if err := f.svc.Delete(ctx, bob, n.ID); !errors.Is(err, news.ErrNotAuthor) {
			t.Fatalf("bob deletes ada's note: %v", err)
		}
		f.clock.Advance(time.Minute)
		cw := "spoiler"
		up, err := f.svc.Update(ctx, ada, n.ID, news.Change{Content: &text, Summary: &cw})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(up.Content, "second") || !slices.Equal(up.Tags, []string{"final"}) || !up.Sensitive ||
			up.Updated == nil || !up.Updated.Equal(f.clock.Now()) || !up.Published.Equal(n.Published) {
			t.Fatalf("updated %+v", up)
		}
		if p := f.pubs.last(t); p.Type != "Update" || !slices.Equal(p.Inboxes, []string{"https://peer.example/inbox"}) {
			t.Fatalf("published %s to %v", p.Type, p.Inboxes)
		}
		if err := f.svc.Delete(ctx, ada, n.ID); err != nil {
			t.Fatal(err)
		}
		if p := f.pubs.last(t); p.Type != "Delete" || p.Note.URI != n.URI || p.Note.Deleted == nil || len(p.Inboxes) != 1 {
			t.Fatalf("published %+v", p)
		}
		if _, err := f.svc.Get(ctx, &ada, n.ID); !errors.Is(err, news.ErrNoteDeleted) {
			t.Fatalf("read after delete: %v", err)
		}
		if tomb, err := f.svc.Object(ctx, n.ID); !errors.Is(err, news.ErrNoteDeleted) || tomb.URI != n.URI || tomb.Content != "" {
			t.Fatalf("object after delete: %+v %v", tomb, err)
		}
		if err := f.svc.Delete(ctx, ada, n.ID); !errors.Is(err, news.ErrNoteDeleted) {
			t.Fatalf("second delete: %v", err)
		}
		if _, err := f.svc.Update(ctx, ada, n.ID, news.Change{Content: &text}); !errors.Is(err, news.ErrNoteDeleted) {
			t.Fatalf("edit after delete: %v", err)
		}
	})
}

func TestReceive_RemoteNotesByTheirAuthorOnly(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		zoe := f.remote(t, "zoe", "peer.example")
		eve := f.remote(t, "eve", "peer.example") // same server, another actor
		parent := f.post(t, ada, news.PostInput{Content: "news"})
		in := news.RemoteNote{URI: "https://peer.example/notes/r1", AttributedTo: zoe.URI, InReplyTo: parent.URI,
			Content: `<p><span class="h-card"><a href="` + base + `/@ada" class="u-url mention">@<span>ada</span></a></span> nice <script>x()</script></p>`,
			To:      []string{news.PublicCollection}, CC: []string{zoe.URI + "/followers", base + "/actors/ada"},
			Tags:     []string{"#Nice"},
			Mentions: []news.Mention{{Href: base + "/actors/ada", Name: "@ada@127.0.0.1:8080"}},
			Raw:      `{"id":"https://peer.example/notes/r1"}`}

		refused := []struct {
			name  string
			actor string
			edit  func(*news.RemoteNote)
			want  error
		}{
			{"attributed to another actor", eve.URI, nil, news.ErrNotAuthor},
			{"on another host", zoe.URI, func(n *news.RemoteNote) { n.URI = "https://elsewhere.example/notes/1" }, nil},
			{"too large", zoe.URI, func(n *news.RemoteNote) { n.Content = strings.Repeat("a", news.MaxRemoteContent+1) }, news.ErrTooLarge},
			{"unsolicited", zoe.URI, func(n *news.RemoteNote) {
				n.InReplyTo, n.Mentions, n.CC = "https://elsewhere.example/notes/9", nil, nil
			}, news.ErrUnsolicited},
		}
		for _, tt := range refused {
			n := in
			if tt.edit != nil {
				tt.edit(&n)
			}
			_, err := f.svc.ReceiveCreate(ctx, tt.actor, n)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || core.KindOf(err) == 0 {
				t.Errorf("%s: %v", tt.name, err)
			}
		}
		got, err := f.svc.ReceiveCreate(ctx, zoe.URI, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.InReplyToID == nil || *got.InReplyToID != parent.ID || got.Local || got.Visibility != news.Public ||
			strings.Contains(got.Content, "script") || !strings.Contains(got.Content, `class="u-url mention"`) ||
			!slices.Equal(got.Tags, []string{"nice"}) || got.Raw != in.Raw || got.Author.URI != zoe.URI || got.Source != "" {
			t.Fatalf("stored %+v", got)
		}
		again, err := f.svc.ReceiveCreate(ctx, zoe.URI, in)
		if err != nil || again.ID != got.ID {
			t.Fatalf("a repeated Create: %v %v", again.ID, err)
		}
		replies, _ := f.svc.Replies(ctx, nil, parent.ID, uuid.Nil, 10)
		if len(replies) != 1 {
			t.Fatalf("%d replies", len(replies))
		}

		edit := in
		edit.Content, edit.Tags = "<p>edited</p>", nil
		if _, err := f.svc.ReceiveUpdate(ctx, eve.URI, edit); !errors.Is(err, news.ErrNotAuthor) {
			t.Fatalf("eve edits zoe's note: %v", err)
		}
		eves := edit
		eves.AttributedTo = eve.URI
		if _, err := f.svc.ReceiveUpdate(ctx, eve.URI, eves); !errors.Is(err, news.ErrNotAuthor) {
			t.Fatalf("eve claims zoe's note: %v", err)
		}
		if err := f.svc.ReceiveDelete(ctx, eve.URI, in.URI); !errors.Is(err, news.ErrNotAuthor) {
			t.Fatalf("eve deletes zoe's note: %v", err)
		}
		if err := f.svc.ReceiveDelete(ctx, zoe.URI, parent.URI); !errors.Is(err, news.ErrNotAuthor) {
			t.Fatalf("zoe deletes a local note: %v", err)
		}
		if n, _ := f.svc.ByURI(ctx, in.URI); n.Content != got.Content || n.Deleted != nil {
			t.Fatalf("refused changes changed the note: %+v", n)
		}
		up, err := f.svc.ReceiveUpdate(ctx, zoe.URI, edit)
		if err != nil || up.Content != "<p>edited</p>" || len(up.Tags) != 0 || up.Updated == nil || up.InReplyToID == nil {
			t.Fatalf("update %+v %v", up, err)
		}
		if err := f.svc.ReceiveDelete(ctx, zoe.URI, in.URI); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ReceiveCreate(ctx, zoe.URI, in); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.svc.ByURI(ctx, in.URI); n.Deleted == nil || n.Content != "" {
			t.Fatalf("a Create after the Delete revived it: %+v", n)
		}
		if _, err := f.svc.ReceiveUpdate(ctx, zoe.URI, edit); !errors.Is(err, news.ErrNoteDeleted) {
			t.Fatalf("update after delete: %v", err)
		}
		if err := f.svc.ReceiveDelete(ctx, zoe.URI, "https://peer.example/notes/unknown"); !errors.Is(err, news.ErrNoSuchNote) {
			t.Fatalf("delete of an unknown note: %v", err)
		}
	})
}

func TestReceive_BoundsTagsAndLinksRepliesThatCameFirst(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.account(t, "ada")
		zoe := f.remote(t, "zoe", "peer.example")
		mention := []news.Mention{{Href: base + "/actors/ada", Name: "@ada"}}
		var tags []string
		for i := range 150 {
			tags = append(tags, fmt.Sprintf("tag%d", i))
		}
		reply, err := f.svc.ReceiveCreate(ctx, zoe.URI, news.RemoteNote{URI: "https://peer.example/notes/2", AttributedTo: zoe.URI,
			Content: "<p>second</p>", InReplyTo: "https://peer.example/notes/1", Mentions: mention, Tags: tags,
			To: []string{zoe.URI + "/followers"}})
		if err != nil {
			t.Fatal(err)
		}
		if reply.InReplyToID != nil || len(reply.Tags) != news.MaxTags || reply.Visibility != news.Followers {
			t.Fatalf("reply %v, %d tags, %s", reply.InReplyToID, len(reply.Tags), reply.Visibility)
		}
		first, err := f.svc.ReceiveCreate(ctx, zoe.URI, news.RemoteNote{URI: "https://peer.example/notes/1", AttributedTo: zoe.URI,
			Content: "first", MediaType: "text/markdown", Mentions: mention, CC: []string{news.PublicCollection}})
		if err != nil {
			t.Fatal(err)
		}
		if first.Content != "<p>first</p>" || first.Visibility != news.Unlisted {
			t.Fatalf("first %q %s", first.Content, first.Visibility)
		}
		linked, _ := f.svc.ByURI(ctx, reply.URI)
		if linked.InReplyToID == nil || *linked.InReplyToID != first.ID {
			t.Fatalf("the earlier reply is not linked: %v", linked.InReplyToID)
		}
	})
}
