package mastodon_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/web/webtest"
)

// remotePerson records a person of another server, as federation does
// when it first hears of them.
func remotePerson(t *testing.T, in *webtest.Instance, host, name string) store.Actor {
	t.Helper()
	now := time.Now().UTC()
	uri := "https://" + host + "/users/" + name
	a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: uri, Kind: "Person", Username: name, Host: host,
		Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKey: "pem", Fields: "[]", CreatedAt: now, UpdatedAt: now}
	if err := in.DB.Actors().Create(context.Background(), &a); err != nil {
		t.Fatalf("record %s@%s: %v", name, host, err)
	}
	return a
}

type notification struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	GroupKey string `json:"group_key"`
	Account  struct {
		ID   string `json:"id"`
		Acct string `json:"acct"`
	} `json:"account"`
	Status *struct {
		ID      string `json:"id"`
		Content string `json:"content"`
	} `json:"status"`
}

func notifications(t *testing.T, in *webtest.Instance, token, query string) ([]notification, *http.Response) {
	t.Helper()
	resp, body := request(t, in, http.MethodGet, "/api/v1/notifications"+query, token, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("notifications%s: %d %s", query, resp.StatusCode, body)
	}
	var list []notification
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("notifications: %v\n%s", err, body)
	}
	return list, resp
}

func typesOf(list []notification) []string {
	var out []string
	for _, n := range list {
		out = append(out, n.Type+" "+n.Account.Acct)
	}
	return out
}

func TestNotifications_WrittenWithTheirEvents(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, adaClient := person(t, in, "ada")
		adaToken := adaClient.token
		bob, bobClient := person(t, in, "bob")
		bobToken := bobClient.token
		eve, _ := person(t, in, "eve")
		far := remotePerson(t, in, "far.example", "zed")

		// Ada's own actions notify nobody, herself included.
		own, err := in.News.Post(ctx, ada, news.PostInput{Content: "Hello, @ada"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.News.React(ctx, ada, own.ID, news.Like); err != nil {
			t.Fatal(err)
		}
		// Bob mentions, likes, boosts and follows Ada; a remote person
		// follows and likes her through her inbox's core calls.
		if _, err := in.News.Post(ctx, bob, news.PostInput{Content: "Seeds for @ada"}); err != nil {
			t.Fatal(err)
		}
		for _, r := range []news.Reaction{news.Like, news.Boost, news.Like} { // a repeated like notifies once
			if _, err := in.News.React(ctx, bob, own.ID, r); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := in.Members.Follow(ctx, bob, mustActor(t, in, "ada")); err != nil {
			t.Fatal(err)
		}
		if _, err := in.Members.ReceiveFollow(ctx, far.URI, in.Config.BaseURL()+"/actors/ada", far.URI+"#follows/1"); err != nil {
			t.Fatal(err)
		}
		if err := in.News.ReceiveReaction(ctx, far.URI, own.URI, far.URI+"#likes/1", news.Like); err != nil {
			t.Fatal(err)
		}
		// Eve, whom Ada blocks, mentions her: no notification.
		if _, _, err := in.Members.Block(ctx, ada, mustActor(t, in, "eve")); err != nil {
			t.Fatal(err)
		}
		if _, err := in.News.Post(ctx, eve, news.PostInput{Content: "Hey @ada"}); err != nil {
			t.Fatal(err)
		}

		list, _ := notifications(t, in, adaToken, "")
		want := []string{"favourite zed@far.example", "follow zed@far.example", "follow bob", "reblog bob", "favourite bob", "mention bob"}
		if got := typesOf(list); !slices.Equal(got, want) {
			t.Fatalf("ada's notifications = %v, want %v", got, want)
		}
		for _, n := range list {
			if (n.Status != nil) != (n.Type != "follow") || n.GroupKey != "ungrouped-"+n.ID {
				t.Errorf("%s: status %v, group_key %q", n.Type, n.Status, n.GroupKey)
			}
		}
		if !strings.Contains(list[len(list)-1].Status.Content, "Seeds") {
			t.Errorf("mention's status = %+v", list[len(list)-1].Status)
		}
		if got, _ := notifications(t, in, bobToken, ""); len(got) != 0 {
			t.Errorf("bob's notifications = %v", typesOf(got))
		}
	})
}

func TestNotifications_PagingFiltersAndDismissal(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, adaClient := person(t, in, "ada")
		adaToken := adaClient.token
		bob, bobClient := person(t, in, "bob")
		bobToken := bobClient.token
		note, err := in.News.Post(ctx, ada, news.PostInput{Content: "Compost day"})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, err := in.News.Post(ctx, bob, news.PostInput{Content: "@ada number " + string(rune('1'+i))}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := in.News.React(ctx, bob, note.ID, news.Like); err != nil {
			t.Fatal(err)
		}
		all, _ := notifications(t, in, adaToken, "")
		if len(all) != 4 {
			t.Fatalf("%d notifications: %v", len(all), typesOf(all))
		}

		// Pages of two, following the Link header.
		page, resp := notifications(t, in, adaToken, "?limit=2")
		link := resp.Header.Get("Link")
		if len(page) != 2 || page[0].ID != all[0].ID || !strings.Contains(link, `max_id=`+all[1].ID) ||
			!strings.Contains(link, `rel="next"`) || !strings.Contains(link, `min_id=`+all[0].ID) {
			t.Fatalf("first page %v, Link %s", typesOf(page), link)
		}
		next := link[strings.Index(link, "<")+1 : strings.Index(link, ">")]
		next = strings.TrimPrefix(next, in.Config.BaseURL()+"/api/v1/notifications")
		page, _ = notifications(t, in, adaToken, next)
		if len(page) != 2 || page[0].ID != all[2].ID || page[1].ID != all[3].ID {
			t.Fatalf("second page %v", typesOf(page))
		}
		if page, _ = notifications(t, in, adaToken, "?min_id="+all[2].ID+"&limit=1"); len(page) != 1 || page[0].ID != all[1].ID {
			t.Fatalf("min_id page %v", typesOf(page))
		}
		if page, _ = notifications(t, in, adaToken, "?since_id="+all[1].ID); len(page) != 1 || page[0].ID != all[0].ID {
			t.Fatalf("since_id page %v", typesOf(page))
		}

		filters := []struct {
			query string
			want  int
		}{
			{"?types[]=favourite", 1},
			{"?types[]=mention&types[]=favourite", 4},
			{"?exclude_types[]=mention", 1},
			{"?types[]=follow", 0},
			{"?account_id=" + mustActor(t, in, "bob").ID.String(), 4},
			{"?account_id=" + mustActor(t, in, "ada").ID.String(), 0},
		}
		for _, f := range filters {
			if got, _ := notifications(t, in, adaToken, f.query); len(got) != f.want {
				t.Errorf("%s: %d notifications, want %d", f.query, len(got), f.want)
			}
		}

		cases := []struct {
			name, method, path, token string
			status                    int
		}{
			{"one", http.MethodGet, "/api/v1/notifications/" + all[0].ID, adaToken, http.StatusOK},
			{"another's", http.MethodGet, "/api/v1/notifications/" + all[0].ID, bobToken, http.StatusNotFound},
			{"another's dismissed", http.MethodPost, "/api/v1/notifications/" + all[0].ID + "/dismiss", bobToken, http.StatusNotFound},
			{"no token", http.MethodGet, "/api/v1/notifications", "", http.StatusUnauthorized},
			{"not an id", http.MethodGet, "/api/v1/notifications/12", adaToken, http.StatusNotFound},
			{"bad max_id", http.MethodGet, "/api/v1/notifications?max_id=x", adaToken, http.StatusBadRequest},
			{"dismiss", http.MethodPost, "/api/v1/notifications/" + all[0].ID + "/dismiss", adaToken, http.StatusOK},
			{"dismissed", http.MethodGet, "/api/v1/notifications/" + all[0].ID, adaToken, http.StatusNotFound},
		}
		for _, c := range cases {
			if resp, body := request(t, in, c.method, c.path, c.token, nil); resp.StatusCode != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, resp.StatusCode, body, c.status)
			}
		}
		_, body := request(t, in, http.MethodGet, "/api/v1/notifications/unread_count", adaToken, nil)
		if string(body) != `{"count":3}`+"\n" {
			t.Errorf("unread count %s", body)
		}
		if resp, body := request(t, in, http.MethodPost, "/api/v1/notifications/clear", adaToken, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("clear: %d %s", resp.StatusCode, body)
		}
		if got, _ := notifications(t, in, adaToken, ""); len(got) != 0 {
			t.Errorf("after clear: %v", typesOf(got))
		}
	})
}

// A notification about a note deleted since is no longer listed.
func TestNotifications_DeletedNoteHidesIt(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		_, adaClient := person(t, in, "ada")
		adaToken := adaClient.token
		bob, _ := person(t, in, "bob")
		n, err := in.News.Post(ctx, bob, news.PostInput{Content: "@ada hello"})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := notifications(t, in, adaToken, ""); len(got) != 1 {
			t.Fatalf("before the deletion: %v", typesOf(got))
		}
		if err := in.News.Delete(ctx, bob, n.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := notifications(t, in, adaToken, ""); len(got) != 0 {
			t.Errorf("after the deletion: %v", typesOf(got))
		}
	})
}

// A suspended actor is never heard; a silenced one only by those who
// follow it.
func TestNotifications_ModeratedActorsAreHeardLess(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, adaClient := person(t, in, "ada")
		adaToken := adaClient.token
		silenced := remotePerson(t, in, "far.example", "quiet")
		suspended := remotePerson(t, in, "far.example", "gone")
		now := time.Now().UTC()
		if err := in.DB.Actors().SetSilenced(ctx, silenced.ID, &now); err != nil {
			t.Fatal(err)
		}
		if err := in.DB.Actors().SetSuspended(ctx, suspended.ID, &now); err != nil {
			t.Fatal(err)
		}
		like := func(by store.Actor, text string) {
			t.Helper()
			n, err := in.News.Post(ctx, ada, news.PostInput{Content: text})
			if err != nil {
				t.Fatal(err)
			}
			if err := in.News.ReceiveReaction(ctx, by.URI, n.URI, by.URI+"#likes/"+n.ID.String(), news.Like); err != nil {
				t.Fatal(err)
			}
		}
		like(silenced, "first")
		like(suspended, "second")
		if got, _ := notifications(t, in, adaToken, ""); len(got) != 0 {
			t.Fatalf("from moderated actors: %v", typesOf(got))
		}
		now = now.Add(time.Second)
		f := store.Follow{ID: uuid.Must(uuid.NewV7()), FollowerID: mustActor(t, in, "ada").ID, FollowedID: silenced.ID,
			ActivityID: "https://x.example/f/1", State: "accepted", CreatedAt: now, UpdatedAt: now}
		if err := in.DB.Follows().Save(ctx, &f); err != nil {
			t.Fatal(err)
		}
		like(silenced, "third")
		if got, _ := notifications(t, in, adaToken, ""); len(got) != 1 || got[0].Account.Acct != "quiet@far.example" {
			t.Fatalf("from a followed silenced actor: %v", typesOf(got))
		}
	})
}

func TestNotifications_GroupedV2(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, adaClient := person(t, in, "ada")
		adaToken := adaClient.token
		bob, bobClient := person(t, in, "bob")
		bobToken := bobClient.token
		n, err := in.News.Post(ctx, ada, news.PostInput{Content: "Plums"})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []news.Reaction{news.Like, news.Boost} {
			if _, err := in.News.React(ctx, bob, n.ID, r); err != nil {
				t.Fatal(err)
			}
		}
		resp, body := request(t, in, http.MethodGet, "/api/v2/notifications", adaToken, nil)
		var got struct {
			Accounts []struct {
				ID string `json:"id"`
			} `json:"accounts"`
			Statuses []struct {
				ID string `json:"id"`
			} `json:"statuses"`
			Groups []struct {
				GroupKey   string   `json:"group_key"`
				Type       string   `json:"type"`
				Count      int      `json:"notifications_count"`
				MostRecent string   `json:"most_recent_notification_id"`
				Samples    []string `json:"sample_account_ids"`
				StatusID   string   `json:"status_id"`
			} `json:"notification_groups"`
		}
		if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%d %s %v", resp.StatusCode, body, err)
		}
		if len(got.Accounts) != 1 || len(got.Statuses) != 1 || len(got.Groups) != 2 || got.Groups[0].Type != "reblog" ||
			got.Groups[0].Count != 1 || got.Groups[0].StatusID != n.ID.String() || got.Groups[0].Samples[0] != got.Accounts[0].ID ||
			got.Groups[0].GroupKey != "ungrouped-"+got.Groups[0].MostRecent || resp.Header.Get("Link") == "" {
			t.Fatalf("grouped: %s", body)
		}
		key := got.Groups[0].GroupKey
		for _, c := range []struct {
			method, path, token string
			status              int
		}{
			{http.MethodGet, "/api/v2/notifications/" + key, adaToken, http.StatusOK},
			{http.MethodGet, "/api/v2/notifications/" + key, bobToken, http.StatusNotFound},
			{http.MethodGet, "/api/v2/notifications/favourite-1", adaToken, http.StatusNotFound},
			{http.MethodPost, "/api/v2/notifications/" + key + "/dismiss", adaToken, http.StatusOK},
			{http.MethodGet, "/api/v2/notifications/" + key, adaToken, http.StatusNotFound},
		} {
			if resp, body := request(t, in, c.method, c.path, c.token, nil); resp.StatusCode != c.status {
				t.Errorf("%s %s: %d %s, want %d", c.method, c.path, resp.StatusCode, body, c.status)
			}
		}
		if _, body := request(t, in, http.MethodGet, "/api/v2/notifications/unread_count", adaToken, nil); string(body) != `{"count":1}`+"\n" {
			t.Errorf("unread count %s", body)
		}
	})
}

// An edit of a note notifies those who boosted it, once: the newest edit
// replaces the former notice.
func TestNotifications_EditOfABoostedNote(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, adaClient := person(t, in, "ada")
		adaToken := adaClient.token
		bob, bobClient := person(t, in, "bob")
		bobToken := bobClient.token
		n, err := in.News.Post(ctx, bob, news.PostInput{Content: "Pears on Monday"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.News.React(ctx, ada, n.ID, news.Boost); err != nil {
			t.Fatal(err)
		}
		var first []notification
		for _, text := range []string{"Pears on Tuesday", "Pears on Wednesday"} {
			if _, err := in.News.Update(ctx, bob, n.ID, news.Change{Content: &text}); err != nil {
				t.Fatal(err)
			}
			got, _ := notifications(t, in, adaToken, "?types[]=update")
			if len(got) != 1 || got[0].Account.Acct != "bob" || !strings.Contains(got[0].Status.Content, text) {
				t.Fatalf("after %q: %+v", text, got)
			}
			if first != nil && got[0].ID == first[0].ID {
				t.Errorf("the second edit kept the first notice %s", got[0].ID)
			}
			first = got
		}
		// The author hears of the boost, not of their own edits.
		if got, _ := notifications(t, in, bobToken, ""); len(got) != 1 || got[0].Type != "reblog" {
			t.Errorf("bob's: %v", typesOf(got))
		}
	})
}
