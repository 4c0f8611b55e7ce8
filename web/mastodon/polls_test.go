package mastodon_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/webtest"
)

// call sends a request to the Mastodon API; a body starting with '{' is
// JSON, any other a form.
func call(t *testing.T, in *webtest.Instance, method, path, token, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, in.URL+path, strings.NewReader(body))
	if strings.HasPrefix(body, "{") {
		req.Header.Set("Content-Type", "application/json")
	} else if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

type apiPoll struct {
	ID          string
	ExpiresAt   *string `json:"expires_at"`
	Expired     bool
	Multiple    bool
	VotesCount  int  `json:"votes_count"`
	VotersCount *int `json:"voters_count"`
	Options     []struct {
		Title      string
		VotesCount *int `json:"votes_count"`
	}
	Emojis   []any
	Voted    *bool
	OwnVotes []int `json:"own_votes"`
}

func choices(picked ...string) string {
	v := url.Values{}
	for _, c := range picked {
		v.Add("choices[]", c)
	}
	return v.Encode()
}

func TestPolls_NotePoll(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, adaClient := person(t, in, "ada")
		adaTok := adaClient.token
		_, bobClient := person(t, in, "bob")
		bobTok := bobClient.token
		_, cyClient := person(t, in, "cy")
		cyTok := cyClient.token
		n, err := in.News.Post(ctx, ada, news.PostInput{Content: "Tea or coffee?",
			Poll: &news.PollInput{Options: []string{"tea", "coffee"}, ExpiresIn: time.Hour, HideTotals: false}})
		if err != nil {
			t.Fatal(err)
		}
		hidden, err := in.News.Post(ctx, ada, news.PostInput{Content: "Secret ballot?",
			Poll: &news.PollInput{Options: []string{"yes", "no"}, ExpiresIn: time.Hour, HideTotals: true}})
		if err != nil {
			t.Fatal(err)
		}
		plain, err := in.News.Post(ctx, ada, news.PostInput{Content: "No poll"})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/polls/" + n.ID.String()
		steps := []struct {
			name, method, path, token, body string
			status                          int
			err                             string // the error's text, for a refusal
			own                             []int
		}{
			{"anonymous read", "GET", path, "", "", 200, "", nil},
			{"anonymous vote", "POST", path + "/votes", "", choices("0"), 401, "The access token is invalid", nil},
			{"bob votes coffee", "POST", path + "/votes", bobTok, choices("1"), 200, "", []int{1}},
			{"bob votes again", "POST", path + "/votes", bobTok, choices("0"), 422, "Validation failed: You have already voted on this poll", nil},
			{"the author votes", "POST", path + "/votes", adaTok, choices("0"), 422, "Validation failed: You cannot vote in your own polls", nil},
			{"an option that does not exist", "POST", path + "/votes", cyTok, choices("5"), 422, "Validation failed: The chosen vote option does not exist", nil},
			{"no choice", "POST", path + "/votes", cyTok, "", 422, "Validation failed: The chosen vote option does not exist", nil},
			{"cy votes tea in JSON", "POST", path + "/votes", cyTok, `{"choices": ["0"]}`, 200, "", []int{0}},
			{"bob reads his vote", "GET", path, bobTok, "", 200, "", []int{1}},
			{"a note without a poll", "GET", "/api/v1/polls/" + plain.ID.String(), "", "", 404, "Record not found", nil},
			{"an unknown id", "GET", "/api/v1/polls/01890000-0000-7000-8000-000000000000", "", "", 404, "Record not found", nil},
			{"not an id", "POST", "/api/v1/polls/abc/votes", bobTok, choices("0"), 404, "Record not found", nil},
		}
		for _, s := range steps {
			status, body := call(t, in, s.method, s.path, s.token, s.body)
			if status != s.status {
				t.Fatalf("%s: %d %s", s.name, status, body)
			}
			if s.err != "" {
				if want, _ := json.Marshal(map[string]string{"error": s.err}); string(body) != string(want)+"\n" {
					t.Fatalf("%s: %s, want %s", s.name, body, want)
				}
				continue
			}
			var p apiPoll
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			if p.ID != n.ID.String() || len(p.Options) != 2 || p.Emojis == nil || p.ExpiresAt == nil || p.Expired {
				t.Fatalf("%s: %s", s.name, body)
			}
			switch {
			case s.token == "" && (p.Voted != nil || strings.Contains(string(body), "own_votes")):
				t.Fatalf("%s: voted shown to a visitor: %s", s.name, body)
			case s.own != nil && (p.Voted == nil || !*p.Voted || len(p.OwnVotes) != 1 || p.OwnVotes[0] != s.own[0]):
				t.Fatalf("%s: own votes %s", s.name, body)
			}
		}
		_, body := call(t, in, "GET", path, "", "")
		var p apiPoll
		_ = json.Unmarshal(body, &p)
		if p.VotesCount != 2 || *p.VotersCount != 2 || *p.Options[0].VotesCount != 1 || *p.Options[1].VotesCount != 1 {
			t.Fatalf("counts: %s", body)
		}

		// Hidden totals are null until the end.
		_, body = call(t, in, "GET", "/api/v1/polls/"+hidden.ID.String(), "", "")
		if !strings.Contains(string(body), `{"title":"yes","votes_count":null}`) {
			t.Fatalf("hidden totals: %s", body)
		}

		// Past the end: expired, and no more votes.
		if _, err := in.DB.Bun().NewRaw("UPDATE note_polls SET expires_at = ?", time.Now().Add(-time.Minute).UTC()).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		status, body := call(t, in, "POST", "/api/v1/polls/"+hidden.ID.String()+"/votes", bobTok, choices("0"))
		if status != 422 || string(body) != `{"error":"Validation failed: The poll has already ended"}`+"\n" {
			t.Fatalf("vote after the end: %d %s", status, body)
		}
		_, body = call(t, in, "GET", "/api/v1/polls/"+hidden.ID.String(), "", "")
		if _ = json.Unmarshal(body, &p); !p.Expired || p.Options[0].VotesCount == nil {
			t.Fatalf("ended poll: %s", body)
		}
	})
}

func TestPolls_ProposalPoll(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, adaClient := person(t, in, "ada")
		adaTok := adaClient.token
		carol, carolClient := person(t, in, "carol")
		carolTok := carolClient.token
		nina, ninaClient := person(t, in, "nina")
		ninaTok := ninaClient.token
		_, danClient := person(t, in, "dan")
		danTok := danClient.token
		a, err := in.Members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "garden"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.Members.Join(ctx, carol, "garden"); err != nil {
			t.Fatal(err)
		}
		// Carol and ada are past a day's probation; nina joins after.
		if _, err := in.DB.Bun().NewRaw("UPDATE memberships SET joined_at = ? WHERE association_id = ?",
			time.Now().Add(-48*time.Hour).UTC(), a.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		day, zero := "24h", "0s"
		settings := func(ch membership.SettingsChange) {
			if _, err := in.Members.UpdateAssociation(ctx, ada, "garden", membership.AssociationChange{Settings: ch}); err != nil {
				t.Fatal(err)
			}
		}
		settings(membership.SettingsChange{ProbationPeriod: &day})
		if _, err := in.Members.Join(ctx, nina, "garden"); err != nil {
			t.Fatal(err)
		}
		inDebate, err := in.Governance.Propose(ctx, ada, "garden", governance.ProposalInput{Category: "general", Title: "Still talking"})
		if err != nil {
			t.Fatal(err)
		}
		settings(membership.SettingsChange{DebatePeriod: &zero})
		p, err := in.Governance.Propose(ctx, ada, "garden", governance.ProposalInput{Category: "general", Title: "Paint the shed"})
		if err != nil || p.Phase != governance.PhaseConsensus {
			t.Fatalf("propose: %+v %v", p, err)
		}
		path := "/api/v1/polls/" + p.ID.String()
		steps := []struct {
			name, path, token, body string
			status                  int
			err                     string
			agree, object           int // the counted votes after the step
		}{
			{"carol, a member, agrees", path, carolTok, choices("0"), 200, "", 1, 0},
			{"ada changes nothing by reading", path, adaTok, "", 200, "", 1, 0},
			{"dan, not a member, objects: outside, not counted", path, danTok, choices("2"), 200, "", 1, 0},
			{"nina is in probation", path, ninaTok, choices("0"), 422, "Validation failed: You were still in your probation period when this phase opened: you vote from the next one", 1, 0},
			{"one choice only", path, adaTok, choices("0", "1"), 422, "Validation failed: This poll allows one choice only", 1, 0},
			{"ada objects", path, adaTok, `{"choices": [2]}`, 200, "", 1, 1},
			{"in debate", "/api/v1/polls/" + inDebate.ID.String(), carolTok, choices("0"), 422, "Validation failed: The poll is not open yet: the proposal is in debate, its members vote from the consensus round", 1, 1},
		}
		for _, s := range steps {
			method, target := "POST", s.path+"/votes"
			if s.body == "" {
				method, target = "GET", s.path
			}
			status, body := call(t, in, method, target, s.token, s.body)
			if status != s.status {
				t.Fatalf("%s: %d %s", s.name, status, body)
			}
			if s.err != "" {
				if want, _ := json.Marshal(map[string]string{"error": s.err}); string(body) != string(want)+"\n" {
					t.Fatalf("%s: %s, want %s", s.name, body, want)
				}
			} else {
				var poll apiPoll
				if err := json.Unmarshal(body, &poll); err != nil {
					t.Fatal(err)
				}
				if len(poll.Options) != 3 || poll.Options[0].Title != "agree" || poll.Options[2].Title != "object" ||
					*poll.Options[0].VotesCount != s.agree || *poll.Options[2].VotesCount != s.object || poll.ExpiresAt == nil || poll.Expired {
					t.Fatalf("%s: %s", s.name, body)
				}
			}
			tl, err := in.Governance.Tally(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if tl.Count.Agree != s.agree || tl.Count.Object != s.object {
				t.Fatalf("%s: tally %+v", s.name, tl.Count)
			}
		}
		tl, _ := in.Governance.Tally(ctx, p.ID)
		if tl.Outside.Object != 1 {
			t.Fatalf("outside votes %+v", tl.Outside)
		}
		// Each sees their own answer, counted or not.
		for tok, want := range map[string]int{carolTok: 0, danTok: 2, adaTok: 2} {
			_, body := call(t, in, "GET", path, tok, "")
			var poll apiPoll
			_ = json.Unmarshal(body, &poll)
			if poll.Voted == nil || !*poll.Voted || len(poll.OwnVotes) != 1 || poll.OwnVotes[0] != want {
				t.Fatalf("own votes: %s, want %d", body, want)
			}
		}
	})
}
