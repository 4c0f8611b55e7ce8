package pages_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/webtest"
)

// browser is one visitor: a cookie jar and a preferred language.
type browser struct {
	t      *testing.T
	in     *webtest.Instance
	client *http.Client
	lang   string // Accept-Language, if any
}

func newBrowser(t *testing.T, in *webtest.Instance) *browser {
	return &browser{t: t, in: in, client: webtest.Browser()}
}

// page is an answer, its body read and parsed.
type page struct {
	Status int
	Header http.Header
	Body   string
	doc    *html.Node
}

func (b *browser) do(method, path string, form url.Values) *page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, b.in.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := &page{Status: resp.StatusCode, Header: resp.Header, Body: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if p.doc, err = html.Parse(strings.NewReader(p.Body)); err != nil {
			b.t.Fatalf("%s %s: parse HTML: %v", method, path, err)
		}
	}
	return p
}

func (b *browser) get(path string) *page { b.t.Helper(); return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, form url.Values) *page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return b.do(http.MethodPost, path, form)
}

// want fails the test unless p has the status.
func (p *page) want(t *testing.T, status int) *page {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d; body:\n%s", p.Status, status, p.Body)
	}
	return p
}

// redirectsTo fails the test unless p is a 303 to location.
func (p *page) redirectsTo(t *testing.T, location string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != location {
		t.Fatalf("got %d to %q, want 303 to %q; body:\n%s", p.Status, p.Header.Get("Location"), location, p.Body)
	}
}

// contains fails the test unless the page's text holds each of texts.
func (p *page) contains(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(p.Body, html.EscapeString(s)) && !strings.Contains(p.Body, s) {
			t.Errorf("page lacks %q; body:\n%s", s, p.Body)
		}
	}
}

func (p *page) lacks(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(p.Body, s) {
			t.Errorf("page holds %q", s)
		}
	}
}

// byID returns the element with id, or nil.
func (p *page) byID(id string) *html.Node {
	var found *html.Node
	walk(p.doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && attr(n, "id") == id {
			found = n
			return false
		}
		return true
	})
	return found
}

// text returns the text of the element with id, or fails the test.
func (p *page) text(t *testing.T, id string) string {
	t.Helper()
	n := p.byID(id)
	if n == nil {
		t.Fatalf("no element #%s; body:\n%s", id, p.Body)
	}
	return textOf(n)
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// walk visits n and its descendants depth first until visit returns false.
func walk(n *html.Node, visit func(*html.Node) bool) bool {
	if n == nil {
		return true
	}
	if !visit(n) {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if !walk(c, visit) {
			return false
		}
	}
	return true
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Key == name {
			return true
		}
	}
	return false
}

const password = "correct horse battery"

// signUp creates an active account through the form and leaves b logged in.
func (b *browser) signUp(username string) {
	b.t.Helper()
	b.post("/signup", url.Values{"username": {username}, "display_name": {displayName(username)},
		"email": {username + "@example.org"}, "password": {password}, "locale": {"en"}}).redirectsTo(b.t, "/")
}

func (b *browser) logIn(username string) {
	b.t.Helper()
	b.post("/login", url.Values{"username": {username}, "password": {password}}).redirectsTo(b.t, "/")
}

func displayName(username string) string { return "Person " + strings.ToUpper(username) }

// createAssociation founds name as b's account and returns its address.
func (b *browser) createAssociation(name string) string {
	b.t.Helper()
	b.post("/associations/new", url.Values{"name": {name}, "display_name": {"The " + name},
		"summary": {"We share " + name}, "statutes": {"Article 1.\nWe exist."}, "currency": {"EUR"}}).redirectsTo(b.t, "/@"+name)
	return "/@" + name
}

// makeAdmin creates an administrator account directly in core, as the
// command line does, and logs b in as it.
func (b *browser) makeAdmin(username string) {
	b.t.Helper()
	_, err := b.in.Members.CreateAccount(context.Background(), membership.NewAccount{Username: username,
		Email: username + "@example.org", Password: password, Locale: "en"}, membership.RoleAdmin)
	if err != nil {
		b.t.Fatal(err)
	}
	b.logIn(username)
}

type htmlNode = html.Node

// firstTag returns the first element named tag under n, or nil.
func firstTag(n *html.Node, tag string) *html.Node {
	var found *html.Node
	walk(n, func(c *html.Node) bool {
		if c.Type == html.ElementNode && c.Data == tag {
			found = c
			return false
		}
		return true
	})
	return found
}

func mustAccount(t *testing.T, in *webtest.Instance, username string) membership.Account {
	t.Helper()
	acc, err := in.Members.Account(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return acc
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return string(raw)
}
