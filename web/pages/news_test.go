package pages_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/webtest"
)

// newest returns the newest note on username's home timeline.
func newest(t *testing.T, in *webtest.Instance, username string) news.Note {
	t.Helper()
	p, err := in.News.Home(context.Background(), mustAccount(t, in, username), "", 1)
	if err != nil || len(p.Entries) == 0 {
		t.Fatalf("newest note of %s: %v", username, err)
	}
	return p.Entries[0].Note
}

// compose posts a note through the form, as the pages send it.
func (b *browser) compose(fields url.Values) *page {
	b.t.Helper()
	if fields.Get("visibility") == "" {
		fields.Set("visibility", "public")
	}
	return b.post("/compose", fields)
}

// forms returns the forms of p posting to action, by their action field.
func (p *page) forms(action string) map[string]*html.Node {
	out := map[string]*html.Node{}
	walk(p.doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "form" && attr(n, "action") == action {
			walk(n, func(c *html.Node) bool {
				if c.Type == html.ElementNode && c.Data == "input" && attr(c, "name") == "action" {
					out[attr(c, "value")] = n
				}
				return true
			})
		}
		return true
	})
	return out
}

func TestNotes_PostFollowLikeBoostAndReply(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		host := in.Config.Server.Host
		alice, bob, visitor := newBrowser(t, in), newBrowser(t, in), newBrowser(t, in)
		alice.signUp("alice")
		bob.signUp("bob")

		home := alice.get("/").want(t, http.StatusOK)
		if home.byID("compose") == nil || home.byID("timeline-heading") == nil {
			t.Fatalf("the home page offers no compose form or timeline:\n%s", home.Body)
		}
		alice.compose(url.Values{"content": {"Seed swap on **Saturday** #Garden"}, "summary": {"garden talk"}, "back": {"/"}}).
			redirectsTo(t, "/?done=posted")
		home = alice.get("/?done=posted").want(t, http.StatusOK)
		home.contains(t, "Your note is posted.", "<strong>Saturday</strong>", "garden talk")
		note := newest(t, in, "alice")
		path := "/@alice/notes/" + note.ID.String()

		// bob follows alice from the follows page, and sees her note at home
		bob.post("/follows", url.Values{"action": {"follow"}, "target": {"alice@" + host}}).redirectsTo(t, "/follows?done=followed")
		follows := bob.get("/follows?done=followed").want(t, http.StatusOK)
		if got := follows.text(t, "following"); !strings.Contains(got, "@alice") || !strings.Contains(got, "following") {
			t.Fatalf("follows list: %s", got)
		}
		bobHome := bob.get("/").want(t, http.StatusOK)
		bobHome.contains(t, "<strong>Saturday</strong>", path)
		if _, ok := bobHome.forms(path)["like"]; !ok {
			t.Fatalf("no like button on bob's home:\n%s", bobHome.Body)
		}

		// like and boost from the home page, and back to it
		bob.post(path, url.Values{"action": {"like"}, "back": {"/#x"}}).redirectsTo(t, "/#x")
		bob.post(path, url.Values{"action": {"boost"}, "back": {"/"}}).redirectsTo(t, "/")
		bobHome = bob.get("/").want(t, http.StatusOK)
		bobHome.contains(t, "1 like", "1 boost", "Boosted by")
		if f := bobHome.forms(path); f["unlike"] == nil || f["unboost"] == nil || f["like"] != nil {
			t.Fatalf("after liking and boosting, the buttons are %v", f)
		}

		// the note's page: thread, reply form; a reply comes back to it
		page := bob.get(path).want(t, http.StatusOK)
		if page.byID("reply") == nil {
			t.Fatal("the note page has no reply form")
		}
		bob.compose(url.Values{"content": {"Count me in"}, "in_reply_to": {note.ID.String()}, "back": {path}}).
			redirectsTo(t, path+"?done=posted")
		page = alice.get(path+"?done=posted").want(t, http.StatusOK)
		page.contains(t, "Your reply is posted.", "Count me in", "Replies")
		reply := newest(t, in, "bob")
		replyPage := visitor.get("/@bob/notes/"+reply.ID.String()).want(t, http.StatusOK)
		replyPage.contains(t, "In reply to", "<strong>Saturday</strong>")
		if len(replyPage.forms("/@alice/notes/"+note.ID.String())) != 0 || replyPage.byID("reply") != nil {
			t.Fatal("a visitor is offered buttons")
		}

		// a visitor's click leads to the log-in page; a wrong author in the
		// address leads to the right one
		visitor.post(path, url.Values{"action": {"like"}}).redirectsTo(t, "/login?next="+url.QueryEscape(path))
		visitor.get("/@bob/notes/"+note.ID.String()).redirectsTo(t, path)
		visitor.get("/@alice/notes/not-an-id").want(t, http.StatusNotFound)

		// taking back the like and the boost
		bob.post(path, url.Values{"action": {"unlike"}}).redirectsTo(t, path)
		bob.post(path, url.Values{"action": {"unboost"}}).redirectsTo(t, path)
		bob.get(path).want(t, http.StatusOK).contains(t, "0 likes", "0 boosts")

		// the object URI sends browsers to the note's page
		resp, err := webtest.Browser().Get(in.URL + "/notes/" + note.ID.String())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != in.Config.BaseURL()+path {
			t.Fatalf("GET the note's id as a browser: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}

		// hashtag and network pages
		visitor.get("/tags/garden").want(t, http.StatusOK).contains(t, "#garden", "<strong>Saturday</strong>")
		visitor.get("/tags/GARDEN").want(t, http.StatusOK).contains(t, "<strong>Saturday</strong>")
		visitor.get("/network").want(t, http.StatusOK).contains(t, "<strong>Saturday</strong>", "Count me in")

		// unfollow from the follows page
		var id string
		walk(follows.byID("following"), func(n *html.Node) bool {
			if n.Type == html.ElementNode && n.Data == "li" {
				id = strings.TrimPrefix(attr(n, "id"), "follow-")
			}
			return id == ""
		})
		bob.post("/follows", url.Values{"action": {"unfollow"}, "follow": {id}}).redirectsTo(t, "/follows?done=unfollowed")
		bob.get("/follows?done=unfollowed").want(t, http.StatusOK).contains(t, "You no longer follow", "You follow nobody yet.")
	})
}

func TestNotes_VisibilityAndRefusals(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice, bob, carol := newBrowser(t, in), newBrowser(t, in), newBrowser(t, in)
		alice.signUp("alice")
		bob.signUp("bob")
		carol.signUp("carol")
		alice.compose(url.Values{"content": {"psst @bob"}, "visibility": {"direct"}, "back": {"/"}}).redirectsTo(t, "/?done=posted")
		direct := newest(t, in, "alice")
		path := "/@alice/notes/" + direct.ID.String()
		bob.get(path).want(t, http.StatusOK).contains(t, "Mentioned people only")
		carol.get(path).want(t, http.StatusNotFound).contains(t, "There is no such note, or you may not read it.")
		newBrowser(t, in).get(path).want(t, http.StatusNotFound)

		// a direct note cannot be boosted: the page says so
		refused := bob.post(path, url.Values{"action": {"boost"}}).want(t, http.StatusForbidden)
		refused.contains(t, "Only public and unlisted notes can be boosted.")
		bob.post(path, url.Values{"action": {"dance"}}).want(t, http.StatusUnprocessableEntity).contains(t, "Choose one of the proposed values.")

		// the compose form shows what is wrong, and keeps what was typed
		bad := alice.compose(url.Values{"content": {"  "}, "summary": {"cw kept"}, "visibility": {"friends"}, "back": {"/"}}).
			want(t, http.StatusUnprocessableEntity)
		bad.contains(t, "This field is required.", "Choose who can read the note.", `value="cw kept"`)
		if attr(bad.byID("content"), "aria-invalid") != "true" {
			t.Error("the content field is not marked invalid")
		}
		alice.compose(url.Values{"content": {"re"}, "in_reply_to": {"https://nowhere.example/notes/1"}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "There is no such note here to reply to.", ">re</textarea>")
		long := alice.compose(url.Values{"content": {strings.Repeat("a", news.MaxSourceLength+1)}}).want(t, http.StatusUnprocessableEntity)
		long.contains(t, "At most 10000 characters.")
		alice.createAssociation("garden")
		bob.compose(url.Values{"content": {"x"}, "author": {"garden"}}).want(t, http.StatusForbidden).
			contains(t, "You may post as yourself, or as an association whose board you are on.")
		alice.get("/compose?in_reply_to="+direct.ID.String()).want(t, http.StatusOK).contains(t, "Reply to a note", "psst")

		// the board posts as the association from its page
		board := alice.get("/@garden").want(t, http.StatusOK)
		if f := board.byID("compose"); f == nil || !strings.Contains(board.Body, `name="author" value="garden"`) {
			t.Fatalf("the board has no form to post as the association:\n%s", board.Body)
		}
		if bob.get("/@garden").byID("compose") != nil {
			t.Fatal("a non-member may post as the association")
		}
		alice.compose(url.Values{"content": {"General assembly on Thursday"}, "author": {"garden"}, "back": {"/@garden"}}).
			redirectsTo(t, "/@garden?done=posted")
		news := newBrowser(t, in).get("/@garden").want(t, http.StatusOK)
		news.contains(t, "General assembly on Thursday", "@garden")
		if got := news.text(t, "news-heading"); got != "News" {
			t.Fatalf("news heading %q", got)
		}
		// the home compose form offers to post as the association
		if !strings.Contains(alice.get("/").Body, `<option value="garden">`) {
			t.Fatal("the home form does not offer to post as garden")
		}
	})
}

func TestNotes_RemoteProfile(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		bob := newBrowser(t, in)
		bob.signUp("bob")
		_, pub, err := membership.GenerateKeyPair()
		if err != nil {
			t.Fatal(err)
		}
		uri := "https://peer.example/users/zoe"
		if _, err := in.Members.SaveRemoteActor(ctx, membership.RemoteActor{URI: uri, Kind: "Person", Username: "zoe",
			Inbox: uri + "/inbox", Followers: uri + "/followers", URL: "https://peer.example/@zoe", DisplayName: "Zoé",
			Summary: `<p>Gardener<script>alert(1)</script></p>`, KeyID: uri + "#key", PublicKeyPEM: pub, Document: "{}"}); err != nil {
			t.Fatal(err)
		}
		if _, err := in.News.ReceiveCreate(ctx, uri, news.RemoteNote{URI: "https://peer.example/notes/1", AttributedTo: uri,
			Content: "<p>Hello @bob from the peer</p>", To: []string{news.PublicCollection},
			Mentions: []news.Mention{{Href: in.Config.BaseURL() + "/actors/bob", Name: "@bob"}}}); err != nil {
			t.Fatal(err)
		}
		p := bob.get("/@zoe@peer.example").want(t, http.StatusOK)
		p.contains(t, "Zoé", "@zoe@peer.example", "Gardener", "Hello @bob from the peer", "https://peer.example/@zoe")
		p.lacks(t, "<script>alert")
		if p.forms("/follows")["follow"] == nil {
			t.Fatal("no follow button")
		}
		// the remote note is on bob's home (it mentions him), linked to its page here
		bob.get("/").contains(t, "Hello @bob from the peer", "/@zoe@peer.example/notes/")
		newBrowser(t, in).get("/@nobody@peer.example").want(t, http.StatusNotFound)
		newBrowser(t, in).get("/@bob@"+in.Config.Server.Host).redirectsTo(t, "/@bob")
	})
}

// visitNewsPages adds to pages the pages of notes, timelines and follows,
// in their states: alice is on the board of commons, bob a member.
func visitNewsPages(t *testing.T, in *webtest.Instance, pages map[string]*page, visitor, alice, bob *browser) {
	t.Helper()
	ctx := context.Background()
	host := in.Config.Server.Host
	pages["compose"] = alice.get("/compose")
	pages["compose, errors"] = alice.compose(url.Values{"content": {""}, "visibility": {"friends"}, "back": {"/"}})
	alice.compose(url.Values{"content": {"Hello **all** #commons @bob"}, "summary": {"long read"}, "back": {"/"}}).redirectsTo(t, "/?done=posted")
	alice.compose(url.Values{"content": {"Board news"}, "author": {"commons"}, "back": {"/@commons"}}).redirectsTo(t, "/@commons?done=posted")
	pages["association, news posted"] = alice.get("/@commons?done=posted")
	note := newest(t, in, "alice")
	path := "/@alice/notes/" + note.ID.String()
	bob.post("/follows", url.Values{"action": {"follow"}, "target": {"alice@" + host}}).redirectsTo(t, "/follows?done=followed")
	bob.post(path, url.Values{"action": {"like"}}).redirectsTo(t, path)
	bob.post(path, url.Values{"action": {"boost"}}).redirectsTo(t, path)
	bob.compose(url.Values{"content": {"Thanks"}, "in_reply_to": {note.ID.String()}, "back": {path}}).redirectsTo(t, path+"?done=posted")
	pages["home, timeline"] = bob.get("/")
	pages["home, posted"] = alice.get("/?done=posted")
	pages["note"] = bob.get(path + "?done=posted")
	pages["note, visitor"] = visitor.get(path)
	pages["note, reply"] = visitor.get("/@bob/notes/" + newest(t, in, "bob").ID.String())
	pages["note, refused action"] = bob.post(path, url.Values{"action": {"dance"}})
	pages["compose, reply"] = bob.get("/compose?in_reply_to=" + note.ID.String())
	pages["network"] = visitor.get("/network")
	pages["tag"] = visitor.get("/tags/commons")
	pages["tag, empty"] = visitor.get("/tags/nothing")
	pages["follows"] = bob.get("/follows?done=followed")
	pages["follows, errors"] = bob.post("/follows", url.Values{"action": {"follow"}, "target": {"not an account"}})
	pages["follows, none"] = alice.get("/follows")

	_, pub, err := membership.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	uri := "https://peer.example/users/zoe"
	if _, err := in.Members.SaveRemoteActor(ctx, membership.RemoteActor{URI: uri, Kind: "Person", Username: "zoe",
		Inbox: uri + "/inbox", DisplayName: "Zoé", Summary: "<p>Gardener</p>", KeyID: uri + "#key", PublicKeyPEM: pub,
		Document: "{}"}); err != nil {
		t.Fatal(err)
	}
	if _, err := in.News.ReceiveCreate(ctx, uri, news.RemoteNote{URI: "https://peer.example/notes/1", AttributedTo: uri,
		Content: "<p>Hi @bob</p>", To: []string{news.PublicCollection},
		Mentions: []news.Mention{{Href: in.Config.BaseURL() + "/actors/bob", Name: "@bob"}}}); err != nil {
		t.Fatal(err)
	}
	pages["remote profile"] = bob.get("/@zoe@peer.example")
	pages["remote profile, visitor"] = visitor.get("/@zoe@peer.example")
	for name, p := range pages {
		if p.Status >= 500 {
			t.Fatalf("%s: %d", name, p.Status)
		}
	}
}
