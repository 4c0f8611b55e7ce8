package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// timeline is the API's answer for a timeline, as far as the tests read it.
type timeline struct {
	Items []struct {
		note
		AuthorName string  `json:"author_name"`
		BoostedBy  *string `json:"boosted_by"`
		Likes      int     `json:"likes"`
		Boosts     int     `json:"boosts"`
		Liked      bool    `json:"liked"`
		Boosted    bool    `json:"boosted"`
	} `json:"items"`
	Next *string `json:"next"`
}

// texts lists the items as their author wrote them, "↻ name" after those
// that came by a boost.
func (tl timeline) texts() []string {
	var out []string
	for _, it := range tl.Items {
		s := it.Content
		if it.Source != nil {
			s = *it.Source
		}
		if it.BoostedBy != nil {
			s += " ↻ " + strings.Split(*it.BoostedBy, "@")[0]
		}
		out = append(out, s)
	}
	return out
}

func TestTimelines_HomeNetworkAndTag(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ctx := context.Background()
		ada, adaToken := e.person("ada")
		_, bob := e.person("bob")
		_, cat := e.person("cat")
		bobActor, err := e.Members.LocalActor(ctx, "bob")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Members.Follow(ctx, ada, bobActor); err != nil {
			t.Fatal(err)
		}
		var catNote, bobNote note
		e.post("/notes", cat, `{"content": "cat public #Commons"}`).ok(t, http.StatusCreated, "Note", &catNote)
		e.post("/notes", bob, `{"content": "bob public"}`).ok(t, http.StatusCreated, "Note", &bobNote)
		e.post("/notes", bob, `{"content": "bob followers", "visibility": "followers"}`).ok(t, http.StatusCreated, "Note", nil)
		e.post("/notes", bob, `{"content": "bob to @cat", "visibility": "direct"}`).ok(t, http.StatusCreated, "Note", nil)
		e.post("/notes/"+catNote.ID+"/boost", bob, "").ok(t, http.StatusOK, "Boosts", nil)
		e.post("/notes/"+bobNote.ID+"/like", adaToken, "").ok(t, http.StatusOK, "Likes", nil)

		var home timeline
		e.get("/timelines/home", adaToken).ok(t, http.StatusOK, "Timeline", &home)
		if got := strings.Join(home.texts(), " | "); got != "cat public #Commons ↻ bob | bob followers | bob public" || home.Next != nil {
			t.Fatalf("home: %s, next %v", got, home.Next)
		}
		for _, it := range home.Items {
			switch it.ID {
			case bobNote.ID:
				if !it.Liked || it.Boosted || it.Likes != 1 || it.BoostedBy != nil || it.AuthorName == "" {
					t.Errorf("bob's note on ada's home: %+v", it)
				}
			case catNote.ID:
				if it.BoostedBy == nil || !strings.HasPrefix(*it.BoostedBy, "bob@") || it.Boosts != 1 || it.Liked || it.Boosted {
					t.Errorf("cat's note boosted by bob: %+v", it)
				}
			}
		}
		e.get("/timelines/home", "").problem(t, http.StatusUnauthorized, "unauthenticated")

		var network timeline
		e.get("/timelines/network", "").ok(t, http.StatusOK, "Timeline", &network)
		if got := strings.Join(network.texts(), " | "); got != "cat public #Commons ↻ bob | bob public | cat public #Commons" {
			t.Fatalf("network: %s", got)
		}

		for _, tag := range []string{"commons", "COMMONS", url.PathEscape("#commons")} {
			var tagged timeline
			e.get("/timelines/tag/"+tag, "").ok(t, http.StatusOK, "Timeline", &tagged)
			if len(tagged.Items) != 1 || tagged.Items[0].ID != catNote.ID {
				t.Fatalf("tag %s: %q", tag, tagged.texts())
			}
		}
		p := e.get("/timelines/tag/"+strings.Repeat("a", 101), "").problem(t, http.StatusBadRequest, "invalid-input")
		sameFields(t, p, map[string]string{"tag": "bad-tag"})
	})
}

func TestTimelines_Pages(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		_, ada := e.person("ada")
		for _, text := range []string{"one", "two", "three"} {
			e.post("/notes", ada, `{"content": "`+text+`"}`).ok(t, http.StatusCreated, "Note", nil)
		}
		var got []string
		path := "/timelines/home?limit=2"
		for range 3 {
			var tl timeline
			e.get(path, ada).ok(t, http.StatusOK, "Timeline", &tl)
			got = append(got, tl.texts()...)
			if tl.Next == nil {
				break
			}
			path = "/timelines/home?limit=2&cursor=" + url.QueryEscape(*tl.Next)
		}
		if strings.Join(got, " ") != "three two one" {
			t.Fatalf("paged: %q", got)
		}
		p := e.get("/timelines/network?limit=41&cursor=nope", "").problem(t, http.StatusBadRequest, "invalid-input")
		sameFields(t, p, map[string]string{"limit": "out-of-range", "cursor": "bad-cursor"})
	})
}
