package news_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

func poll(options ...string) *news.PollInput {
	return &news.PollInput{Options: options, ExpiresIn: time.Hour}
}

func TestPost_PollBounds(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ada := f.account(t, "ada")
		tests := []struct {
			name string
			poll *news.PollInput
			code string // the field error's; "" when accepted
		}{
			{"two options", poll("yes", "no"), ""},
			{"four options", poll("a", "b", "c", "d"), ""},
			{"one option", poll("alone"), "too-few-options"},
			{"five options", poll("a", "b", "c", "d", "e"), "too-many-options"},
			{"an option too long", poll("yes", strings.Repeat("é", news.MaxPollOptionLength+1)), "option-too-long"},
			{"the longest option", poll("yes", strings.Repeat("é", news.MaxPollOptionLength)), ""},
			{"a blank option", poll("yes", "  "), "blank-option"},
			{"twice the same", poll("yes", "yes"), "duplicate-options"},
			{"too soon", &news.PollInput{Options: []string{"a", "b"}, ExpiresIn: 299 * time.Second}, "too-soon"},
			{"too far", &news.PollInput{Options: []string{"a", "b"}, ExpiresIn: news.MaxPollExpiry + time.Second}, "too-far"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n, err := f.svc.Post(context.Background(), ada, news.PostInput{Content: "Which?", Poll: tt.poll})
				if tt.code == "" {
					if err != nil || n.Poll == nil || len(n.Poll.Options) != len(tt.poll.Options) {
						t.Fatalf("Post = %+v, %v", n.Poll, err)
					}
					if pub := f.pubs.last(t); pub.Type != "Create" || pub.Note.Poll == nil {
						t.Fatalf("published %s with poll %v", pub.Type, pub.Note.Poll)
					}
					return
				}
				e, ok := core.As(err)
				if !ok || e.Kind != core.KindInvalid || len(e.Fields) != 1 || e.Fields[0].Code != tt.code {
					t.Fatalf("Post error = %v (%+v)", err, e)
				}
			})
		}
	})
}

func TestVote_LocalPoll(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob, cy := f.account(t, "ada"), f.account(t, "bob"), f.account(t, "cy")
		single := f.post(t, ada, news.PostInput{Content: "Tea or coffee?", Poll: poll("tea", "coffee")})
		multi := f.post(t, ada, news.PostInput{Content: "Fruit?", Poll: &news.PollInput{Options: []string{"apple", "pear", "fig"},
			ExpiresIn: time.Hour, Multiple: true}})
		private := f.post(t, ada, news.PostInput{Content: "Secret?", Visibility: news.Direct, Poll: poll("a", "b")})
		plain := f.post(t, ada, news.PostInput{Content: "no poll"})

		steps := []struct {
			name    string
			by      membership.Account
			note    news.Note
			choices []int
			want    error
		}{
			{"a vote counts", bob, single, []int{1}, nil},
			{"a second vote is refused", bob, single, []int{0}, news.ErrAlreadyVoted},
			{"two choices in a single-choice poll", cy, single, []int{0, 1}, news.ErrOneChoice},
			{"an option that does not exist", cy, single, []int{2}, news.ErrInvalidChoice},
			{"no choice", cy, single, nil, news.ErrInvalidChoice},
			{"the author may not vote", ada, single, []int{0}, news.ErrSelfVote},
			{"several choices in a multiple poll", bob, multi, []int{0, 2}, nil},
			{"the same choice again", bob, multi, []int{2}, news.ErrAlreadyVoted},
			{"another choice later", bob, multi, []int{1}, nil},
			{"a note that is not a poll", bob, plain, []int{0}, news.ErrNoPoll},
			{"a poll the voter may not read", bob, private, []int{0}, news.ErrNoSuchNote},
		}
		for _, s := range steps {
			if _, err := f.svc.Vote(ctx, s.by, s.note.ID, s.choices); !errors.Is(err, s.want) || (s.want == nil && err != nil) {
				t.Fatalf("%s: Vote = %v, want %v", s.name, err, s.want)
			}
		}
		got, err := f.svc.Get(ctx, nil, single.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p := got.Poll; p.Votes != 1 || *p.Voters != 1 || p.Options[1].Votes != 1 || p.Options[0].Votes != 0 {
			t.Fatalf("single poll = %+v", p)
		}
		got, _ = f.svc.Get(ctx, nil, multi.ID)
		if p := got.Poll; p.Votes != 3 || *p.Voters != 1 || !p.Multiple {
			t.Fatalf("multiple poll = %+v", p)
		}
		own, err := f.svc.OwnVotes(ctx, &bob, multi.ID)
		if err != nil || !slices.Equal(own, []int{0, 1, 2}) {
			t.Fatalf("own votes = %v, %v", own, err)
		}
		if own, _ := f.svc.OwnVotes(ctx, &cy, multi.ID); len(own) != 0 {
			t.Fatalf("cy's own votes = %v", own)
		}

		// After the end, no more votes.
		f.clock.Advance(time.Hour)
		if _, err := f.svc.Vote(ctx, cy, single.ID, []int{0}); !errors.Is(err, news.ErrPollEnded) {
			t.Fatalf("vote after the end = %v", err)
		}
	})
}

func TestPoll_RemoteVotesAndReceivedPolls(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob := f.account(t, "ada"), f.account(t, "bob")
		zoe := f.remote(t, "zoe", "peer.example")
		q := f.post(t, ada, news.PostInput{Content: "Tea or coffee?", Poll: poll("tea", "coffee")})

		// A remote vote, as Mastodon sends it, counts once.
		votes := []struct {
			name, voter, option string
			want                error
		}{
			{"counted", zoe.URI, "coffee", nil},
			{"twice", zoe.URI, "tea", news.ErrAlreadyVoted},
			{"an unknown option", zoe.URI, "milk", news.ErrInvalidChoice},
			{"the author", base + "/actors/ada", "tea", news.ErrSelfVote},
		}
		for _, v := range votes {
			err := f.svc.ReceivePollVote(ctx, v.voter, q.URI, v.option, v.voter+"#votes/1")
			if !errors.Is(err, v.want) || (v.want == nil && err != nil) {
				t.Fatalf("%s: ReceivePollVote = %v", v.name, err)
			}
		}
		if err := f.svc.ReceivePollVote(ctx, zoe.URI, "https://peer.example/notes/x", "tea", "v"); !errors.Is(err, news.ErrNoPoll) {
			t.Fatalf("vote on no poll here = %v", err)
		}
		got, _ := f.svc.Get(ctx, nil, q.ID)
		if got.Poll.Options[1].Votes != 1 || *got.Poll.Voters != 1 {
			t.Fatalf("poll after a remote vote = %+v", got.Poll)
		}

		// A received poll keeps its options and counts; bob's vote adds to
		// them and goes to its author, one Note per choice.
		voters := 7
		in := news.RemoteNote{URI: "https://peer.example/notes/q1", AttributedTo: zoe.URI, Content: "<p>Breakfast?</p>",
			To: []string{news.PublicCollection}, Mentions: []news.Mention{{Href: base + "/actors/bob", Name: "@bob"}},
			Poll: &news.RemotePoll{Options: []string{"apple", "orange", "banana"}, Counts: []int{3, 7, 6}, Multiple: true,
				Voters: &voters, EndTime: f.clock.Now().Add(24 * time.Hour)}}
		rn, err := f.svc.ReceiveCreate(ctx, zoe.URI, in)
		if err != nil {
			t.Fatal(err)
		}
		if p := rn.Poll; p == nil || p.Votes != 16 || *p.Voters != 7 || !p.Multiple || p.Options[2].Title != "banana" {
			t.Fatalf("received poll = %+v", p)
		}
		before := f.pubs.count()
		n, err := f.svc.Vote(ctx, bob, rn.ID, []int{0, 2})
		if err != nil {
			t.Fatal(err)
		}
		if p := n.Poll; p.Options[0].Votes != 4 || p.Options[2].Votes != 7 || *p.Voters != 8 {
			t.Fatalf("received poll after bob's vote = %+v", p)
		}
		if f.pubs.count() != before+2 {
			t.Fatalf("%d publications for two choices", f.pubs.count()-before)
		}
		if pub := f.pubs.last(t); pub.Type != "Vote" || pub.Vote != "banana" || pub.By.URI != base+"/actors/bob" ||
			!slices.Equal(pub.Inboxes, []string{"https://peer.example/inbox"}) || !strings.HasPrefix(pub.ActivityID, base+"/actors/bob#votes/") {
			t.Fatalf("vote published = %+v", pub)
		}

		// The origin's Update brings its counts; changed options reset the
		// votes.
		in.Poll.Counts, in.Updated = []int{5, 8, 7}, f.clock.Now()
		if n, err = f.svc.ReceiveUpdate(ctx, zoe.URI, in); err != nil || n.Poll.Votes != 20 {
			t.Fatalf("update = %+v, %v", n.Poll, err)
		}
		if own, _ := f.svc.OwnVotes(ctx, &bob, rn.ID); !slices.Equal(own, []int{0, 2}) {
			t.Fatalf("own votes after the update = %v", own)
		}
		in.Poll.Options = []string{"toast", "eggs"}
		if n, err = f.svc.ReceiveUpdate(ctx, zoe.URI, in); err != nil || len(n.Poll.Options) != 2 {
			t.Fatalf("update of the options = %+v, %v", n.Poll, err)
		}
		if own, _ := f.svc.OwnVotes(ctx, &bob, rn.ID); len(own) != 0 {
			t.Fatalf("own votes after the options changed = %v", own)
		}
	})
}

// At its end a local poll's final counts go out once, as an Update of the
// Question, to the audience and to the remote voters.
func TestPublishEndedPolls(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		zoe := f.remote(t, "zoe", "peer.example")
		if _, ok, err := f.svc.NextPollEnd(ctx); ok || err != nil {
			t.Fatalf("a poll end before any poll: %v", err)
		}
		q := f.post(t, ada, news.PostInput{Content: "Tea or coffee?", Poll: poll("tea", "coffee")})
		f.post(t, ada, news.PostInput{Content: "Later?", Poll: &news.PollInput{Options: []string{"a", "b"}, ExpiresIn: 2 * time.Hour}})
		if err := f.svc.ReceivePollVote(ctx, zoe.URI, q.URI, "tea", zoe.URI+"#votes/1"); err != nil {
			t.Fatal(err)
		}
		select {
		case <-f.svc.PollEnds():
		default:
			t.Fatal("posting a poll did not ring")
		}
		if end, ok, err := f.svc.NextPollEnd(ctx); !ok || err != nil || !end.Equal(*q.Poll.ExpiresAt) {
			t.Fatalf("next poll end %v %v %v, want %v", end, ok, err, q.Poll.ExpiresAt)
		}
		steps := []struct {
			name    string
			advance time.Duration
			sent    int
		}{
			{"before the end", 59 * time.Minute, 0},
			{"at the end", time.Minute, 1},
			{"once only", time.Minute, 0},
			{"the second poll", time.Hour, 1},
		}
		for _, s := range steps {
			f.clock.Advance(s.advance)
			before := f.pubs.count()
			n, err := f.svc.PublishEndedPolls(ctx)
			if err != nil || n != s.sent || f.pubs.count()-before != s.sent {
				t.Fatalf("%s: sent %d (%d published), %v; want %d", s.name, n, f.pubs.count()-before, err, s.sent)
			}
			if s.name == "at the end" {
				pub := f.pubs.last(t)
				if pub.Type != "Update" || pub.Note.ID != q.ID || pub.Note.Poll == nil || pub.Note.Poll.Options[0].Votes != 1 ||
					!pub.Note.Poll.Expired(f.clock.Now()) || !slices.Contains(pub.Inboxes, "https://peer.example/inbox") {
					t.Fatalf("published %+v", pub)
				}
			}
		}
		if _, ok, _ := f.svc.NextPollEnd(ctx); ok {
			t.Fatal("a poll end left after both went out")
		}
	})
}
