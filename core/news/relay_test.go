package news_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// relayers names the associations that relay p, in order.
func relayers(p news.Publication) []string {
	var out []string
	for _, r := range p.Relays {
		out = append(out, r.By.Username)
	}
	return out
}

func TestPost_AssociationsAnnounceTheirMembersPosts(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob, carl, dan := f.account(t, "ada"), f.account(t, "bob"), f.account(t, "carl"), f.account(t, "dan")
		for _, name := range []string{"commons", "club", "guild"} {
			if _, err := f.members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: name}); err != nil {
				t.Fatal(err)
			}
		}
		approval := membership.JoinApproval
		if _, err := f.members.UpdateAssociation(ctx, ada, "guild", membership.AssociationChange{
			Settings: membership.SettingsChange{JoinMode: &approval}}); err != nil {
			t.Fatal(err)
		}
		for _, j := range []struct {
			who  membership.Account
			name string
		}{{bob, "commons"}, {bob, "club"}, {dan, "guild"}} {
			if _, err := f.members.Join(ctx, j.who, j.name); err != nil {
				t.Fatal(err)
			}
		}
		zoe := f.remote(t, "zoe", "peer.example")
		f.follows(t, zoe, "commons")
		f.follows(t, f.remote(t, "sam", "other.example"), "commons")

		tests := []struct {
			name string
			by   membership.Account
			in   news.PostInput
			want []string // the associations that announce it
		}{
			{"a member's public post to it", bob, news.PostInput{Content: "@commons Assemblée jeudi"}, []string{"commons"}},
			{"a member's unlisted post", bob, news.PostInput{Content: "@commons unlisted", Visibility: news.Unlisted}, []string{"commons"}},
			{"a member's followers-only post", bob, news.PostInput{Content: "@commons mine", Visibility: news.Followers}, nil},
			{"a member's direct message", bob, news.PostInput{Content: "@commons secret", Visibility: news.Direct}, nil},
			{"a member's post not addressed to it", bob, news.PostInput{Content: "hello @zoe@peer.example"}, nil},
			{"named twice, announced once", bob, news.PostInput{Content: "@commons @Commons twice"}, []string{"commons"}},
			{"to two associations of which the author is a member", bob, news.PostInput{Content: "@commons @club both"}, []string{"commons", "club"}},
			{"a non-member's post", carl, news.PostInput{Content: "@commons let me in"}, nil},
			{"a pending member's post", dan, news.PostInput{Content: "@guild soon"}, nil},
			{"the association's own post", ada, news.PostInput{Author: "commons", Content: "@commons ourselves"}, nil},
			{"another association's post", ada, news.PostInput{Author: "club", Content: "@commons hello neighbours"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n := f.post(t, tt.by, tt.in)
				p := f.pubs.last(t)
				if p.Type != "Create" || p.Note.ID != n.ID || !slices.Equal(relayers(p), tt.want) {
					t.Fatalf("published %s of %s relayed by %v, want %v", p.Type, p.Note.URI, relayers(p), tt.want)
				}
				for _, r := range p.Relays {
					inboxes := slices.Sorted(slices.Values(r.Inboxes))
					if r.By.URI != base+"/actors/"+r.By.Username || r.By.Followers != r.By.URI+"/followers" {
						t.Errorf("relayed by %+v", r.By)
					}
					if r.By.Username == "commons" && !slices.Equal(inboxes, []string{"https://other.example/inbox", "https://peer.example/inbox"}) {
						t.Errorf("commons relays to %v, want its followers' shared inboxes", inboxes)
					}
					group := mustActor(t, f, r.By.Username)
					boost, err := f.db.Reactions(string(news.Boost)).Of(ctx, group.ID, n.ID)
					if err != nil || boost.ActivityID != r.ActivityID {
						t.Errorf("the boost by %s: %+v %v, want activity %s", r.By.Username, boost, err, r.ActivityID)
					}
				}
				if _, boosts, err := f.svc.Reactions(ctx, n.ID); err != nil || boosts != len(tt.want) {
					t.Fatalf("%d boosts, want %d: %v", boosts, len(tt.want), err)
				}
			})
		}
	})
}

// After the announce, the association passes on its member's edits while
// they are a member, and the deletion always; the boost stays one.
func TestRelay_UpdateAndDeleteOfAnAnnouncedNote(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob := f.account(t, "ada"), f.account(t, "bob")
		if _, err := f.members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.members.Join(ctx, bob, "commons"); err != nil {
			t.Fatal(err)
		}
		f.follows(t, f.remote(t, "zoe", "peer.example"), "commons")
		n := f.post(t, bob, news.PostInput{Content: "@commons Assemblée jeudi"})
		other := f.post(t, bob, news.PostInput{Content: "not for the association"})
		edit := func(id any, text string) news.Publication {
			t.Helper()
			note := n
			if id == other.ID {
				note = other
			}
			if _, err := f.svc.Update(ctx, bob, note.ID, news.Change{Content: &text}); err != nil {
				t.Fatal(err)
			}
			return f.pubs.last(t)
		}
		steps := []struct {
			name string
			do   func() news.Publication
			kind string
			want []string
		}{
			{"an edit by the member", func() news.Publication { return edit(n.ID, "@commons Assemblée vendredi") }, "Update", []string{"commons"}},
			{"an edit of a note it did not announce", func() news.Publication { return edit(other.ID, "still not") }, "Update", nil},
			{"an edit once the author left", func() news.Publication {
				if err := f.members.Leave(ctx, bob, "commons"); err != nil {
					t.Fatal(err)
				}
				return edit(n.ID, "@commons spam through the association")
			}, "Update", nil},
			{"the deletion", func() news.Publication {
				if err := f.svc.Delete(ctx, bob, n.ID); err != nil {
					t.Fatal(err)
				}
				return f.pubs.last(t)
			}, "Delete", []string{"commons"}},
		}
		seen := map[string]bool{}
		for _, s := range steps {
			p := s.do()
			if p.Type != s.kind || !slices.Equal(relayers(p), s.want) {
				t.Fatalf("%s: published %s relayed by %v, want %s by %v", s.name, p.Type, relayers(p), s.kind, s.want)
			}
			for _, r := range p.Relays {
				if seen[r.ActivityID] || r.ActivityID == "" || len(r.Inboxes) != 1 {
					t.Fatalf("%s: relay %+v", s.name, r)
				}
				seen[r.ActivityID] = true
			}
			if _, boosts, _ := f.svc.Reactions(ctx, n.ID); boosts != 1 {
				t.Fatalf("%s: %d boosts, want the one announce", s.name, boosts)
			}
		}
	})
}

// A remote person's note addressed to a local association concerns us and
// is stored; it is not announced: memberships are of local accounts (remote
// members come with governance).
func TestReceive_RemoteNoteToAnAssociationIsStoredNotAnnounced(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		if _, err := f.members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		zoe := f.remote(t, "zoe", "peer.example")
		f.follows(t, f.remote(t, "sam", "other.example"), "commons")
		before := f.pubs.count()
		n, err := f.svc.ReceiveCreate(ctx, zoe.URI, news.RemoteNote{URI: "https://peer.example/notes/1", AttributedTo: zoe.URI,
			Content: "<p>hello commons</p>", To: []string{news.PublicCollection}, CC: []string{base + "/actors/commons"}})
		if err != nil {
			t.Fatalf("a note to a local association: %v", err)
		}
		if _, boosts, _ := f.svc.Reactions(ctx, n.ID); boosts != 0 || f.pubs.count() != before {
			t.Fatalf("announced: %d boosts, %d publications", boosts, f.pubs.count()-before)
		}
	})
}

// origin stands for the servers notes live on, outside the machine.
type origin struct {
	notes   map[string]news.RemoteNote
	gone    map[string]bool
	fetched []string
}

func newOrigin() *origin {
	return &origin{notes: map[string]news.RemoteNote{}, gone: map[string]bool{}}
}

func (o *origin) FetchNote(_ context.Context, uri string) (news.RemoteNote, error) {
	o.fetched = append(o.fetched, uri)
	if o.gone[uri] {
		return news.RemoteNote{}, news.ErrGoneAtOrigin
	}
	n, ok := o.notes[uri]
	if !ok {
		return news.RemoteNote{}, errors.New("no answer")
	}
	return n, nil
}

// A boost of a note not stored here fetches it from its origin, when
// someone here follows the booster; the origin's version is stored.
func TestReceiveAnnounce_FetchesUnknownNotesFromTheirOrigin(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		o := newOrigin()
		f.svc.UseOrigin(o)
		ada := f.account(t, "ada")
		local := f.post(t, ada, news.PostInput{Content: "a local note"})
		zoe := f.remote(t, "zoe", "peer.example")
		group := f.remote(t, "main", "lemmy.example")
		stranger := f.remote(t, "eve", "other.example")
		target, err := f.members.ActorByURI(ctx, group.URI)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.members.Follow(ctx, ada, target); err != nil {
			t.Fatal(err)
		}
		if err := f.members.ReceiveFollowAnswer(ctx, group.URI, true, membership.FollowRef{Follower: base + "/actors/ada", Followed: group.URI}); err != nil {
			t.Fatal(err)
		}
		public := "https://peer.example/post/1"
		o.notes[public] = news.RemoteNote{URI: public, AttributedTo: zoe.URI, Name: "Post <b>title</b>",
			Content: "<p>as the origin has it</p>", To: []string{news.PublicCollection, group.URI}}
		private := "https://peer.example/notes/2"
		o.notes[private] = news.RemoteNote{URI: private, AttributedTo: zoe.URI, Content: "<p>mine</p>", To: []string{zoe.URI + "/followers"}}
		gone := "https://peer.example/notes/3"
		o.gone[gone] = true

		steps := []struct {
			name    string
			booster membership.Actor
			note    string
			want    error
			fetches int
			boosts  int // of the note afterwards, when it is stored
		}{
			{"by an actor nobody here follows", stranger, public, news.ErrUnsolicited, 0, -1},
			{"of a public note, by a followed group", group, public, nil, 1, 1},
			{"again", group, public, nil, 0, 1},
			{"of the now stored note, by anyone", stranger, public, nil, 0, 2},
			{"of a followers-only note", group, private, news.ErrNotBoostable, 1, -1},
			{"of a note gone at its origin", group, gone, news.ErrGoneAtOrigin, 1, -1},
			{"of a local note", group, local.URI, nil, 0, 1},
			{"of an unknown local note", group, base + "/notes/0190b7a0-0000-7000-8000-000000000000", news.ErrNoSuchNote, 0, -1},
		}
		for i, s := range steps {
			before := len(o.fetched)
			err := f.svc.ReceiveAnnounce(ctx, s.booster.URI, s.booster.URI+"/announces/"+string(rune('a'+i)), s.note)
			if (s.want == nil && err != nil) || (s.want != nil && !errors.Is(err, s.want)) {
				t.Fatalf("%s: %v, want %v", s.name, err, s.want)
			}
			if got := len(o.fetched) - before; got != s.fetches {
				t.Fatalf("%s: %d fetches, want %d", s.name, got, s.fetches)
			}
			n, err := f.svc.ByURI(ctx, s.note)
			if s.boosts < 0 {
				if err == nil {
					t.Fatalf("%s: stored %+v", s.name, n)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: not stored: %v", s.name, err)
			}
			if _, boosts, _ := f.svc.Reactions(ctx, n.ID); boosts != s.boosts {
				t.Fatalf("%s: %d boosts, want %d", s.name, boosts, s.boosts)
			}
		}
		n, _ := f.svc.ByURI(ctx, public)
		if n.Content != "<p>as the origin has it</p>" || n.Title != "Post title" || n.Visibility != news.Public || n.Author.URI != zoe.URI {
			t.Fatalf("stored %+v", n)
		}
	})
}

// A group's Announce of an Update or a Delete is checked with the origin:
// the origin's version is kept, and a note is deleted only once its
// origin no longer serves it. A Create sent by id is fetched.
func TestReceiveRelayed_UpdateAndDeleteAskTheOrigin(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		o := newOrigin()
		f.svc.UseOrigin(o)
		ada := f.account(t, "ada")
		local := f.post(t, ada, news.PostInput{Content: "a local note"})
		zoe := f.remote(t, "zoe", "peer.example")
		eve := f.remote(t, "eve", "peer.example")
		uri := "https://peer.example/post/1"
		o.notes[uri] = news.RemoteNote{URI: uri, AttributedTo: zoe.URI, Name: "Title", Content: "<p>first</p>",
			To: []string{news.PublicCollection}, CC: []string{base + "/actors/ada"}}
		if _, err := f.svc.ReceiveCreateOf(ctx, eve.URI, uri); !errors.Is(err, news.ErrNotAuthor) {
			t.Fatalf("eve creates zoe's note by id: %v", err)
		}
		n, err := f.svc.ReceiveCreateOf(ctx, zoe.URI, uri)
		if err != nil || n.Content != "<p>first</p>" || n.Title != "Title" {
			t.Fatalf("a Create by id: %+v %v", n, err)
		}
		edited := o.notes[uri]
		edited.Name, edited.Content = "New title", "<p>edited at the origin</p>"
		o.notes[uri] = edited

		steps := []struct {
			name    string
			do      func() error
			want    error
			fetches int
			content string // of the stored note afterwards; "" once deleted
		}{
			{"an update", func() error { _, err := f.svc.ReceiveRelayedUpdate(ctx, uri); return err }, nil, 1, "<p>edited at the origin</p>"},
			{"an update of an unknown note", func() error {
				_, err := f.svc.ReceiveRelayedUpdate(ctx, "https://peer.example/post/9")
				return err
			}, news.ErrNoSuchNote, 0, "<p>edited at the origin</p>"},
			{"an update of a local note", func() error { _, err := f.svc.ReceiveRelayedUpdate(ctx, local.URI); return err }, news.ErrNotAuthor, 0, "<p>edited at the origin</p>"},
			{"a delete the origin denies", func() error { return f.svc.ReceiveRelayedDelete(ctx, uri) }, news.ErrNotAuthor, 1, "<p>edited at the origin</p>"},
			{"a delete of a local note", func() error { return f.svc.ReceiveRelayedDelete(ctx, local.URI) }, news.ErrNotAuthor, 0, "<p>edited at the origin</p>"},
			{"a delete the origin confirms", func() error { o.gone[uri] = true; return f.svc.ReceiveRelayedDelete(ctx, uri) }, nil, 1, ""},
			{"the same delete again", func() error { return f.svc.ReceiveRelayedDelete(ctx, uri) }, news.ErrNoteDeleted, 0, ""},
		}
		for _, s := range steps {
			before := len(o.fetched)
			err := s.do()
			if (s.want == nil && err != nil) || (s.want != nil && !errors.Is(err, s.want)) {
				t.Fatalf("%s: %v, want %v", s.name, err, s.want)
			}
			if got := len(o.fetched) - before; got != s.fetches {
				t.Fatalf("%s: %d fetches, want %d", s.name, got, s.fetches)
			}
			got, _ := f.svc.ByURI(ctx, uri)
			if got.Content != s.content || (s.content == "") != (got.Deleted != nil) {
				t.Fatalf("%s: the note is %+v", s.name, got)
			}
			if s.content != "" && got.Title != "New title" {
				t.Fatalf("%s: title %q, want the origin's", s.name, got.Title)
			}
		}
		if l, _ := f.svc.ByURI(ctx, local.URI); l.Deleted != nil {
			t.Fatal("a local note was deleted")
		}
	})
}
