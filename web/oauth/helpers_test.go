package oauth_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/webtest"
)

const (
	password = "correct horse battery"
	verifier = "dBjftJeZ4CVP-mJ0-kOgAZ3Rg7zrx7bJYQhwo5n8M7xlqcsw-xvuGM9k-RM"
	webCB    = "https://app.example/callback"
	tuskyCB  = "com.keylesspalace.tusky://oauth"
)

func challenge(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// reply is a response read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON (%d): %v\n%s", r.status, err, r.body)
	}
	return m
}

func (r reply) location(t *testing.T) *url.URL {
	t.Helper()
	u, err := url.Parse(r.header.Get("Location"))
	if err != nil || r.header.Get("Location") == "" {
		t.Fatalf("no Location (%d): %s", r.status, r.body)
	}
	return u
}

// noRedirects is a client like Node's fetch with redirect: "manual" and
// no cookie jar.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func do(t *testing.T, c *http.Client, req *http.Request) reply {
	t.Helper()
	if c == nil {
		c = noRedirects
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, b}
}

func getPath(t *testing.T, c *http.Client, in *webtest.Instance, path, token string) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, in.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, c, req)
}

func postForm(t *testing.T, c *http.Client, in *webtest.Instance, path string, v url.Values, edit func(*http.Request)) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, in.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if edit != nil {
		edit(req)
	}
	return do(t, c, req)
}

func postJSON(t *testing.T, in *webtest.Instance, path string, v any) reply {
	t.Helper()
	b, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPost, in.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return do(t, nil, req)
}

func postMultipart(t *testing.T, in *webtest.Instance, path string, v url.Values) reply {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range v {
		for _, s := range vs {
			_ = mw.WriteField(k, s)
		}
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, in.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return do(t, nil, req)
}

// app is a registered application.
type app struct{ id, secret string }

func register(t *testing.T, in *webtest.Instance, scopes string, redirects ...string) app {
	t.Helper()
	r := postForm(t, nil, in, "/api/v1/apps", url.Values{"client_name": {"Test app"}, "website": {"https://app.example"},
		"redirect_uris": {strings.Join(redirects, "\n")}, "scopes": {scopes}}, nil)
	if r.status != http.StatusOK {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	m := r.json(t)
	return app{m["client_id"].(string), m["client_secret"].(string)}
}

func person(t *testing.T, in *webtest.Instance, name string) membership.Account {
	t.Helper()
	acc, err := in.Members.CreateAccount(context.Background(), membership.NewAccount{Username: name,
		Email: name + "@example.org", Password: password}, membership.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	return acc
}

var (
	formRe  = regexp.MustCompile(`<form method="post" action="/oauth/authorize">`)
	inputRe = regexp.MustCompile(`<input ([^>]*)>`)
	attrRe  = regexp.MustCompile(`(\w+)="([^"]*)"`)
)

// form reads the authorization page's form as a script would: the
// inputs' names and values, and whether it asks for a password.
func form(t *testing.T, page reply) (url.Values, bool) {
	t.Helper()
	if page.status != http.StatusOK || len(formRe.FindAll(page.body, -1)) != 1 {
		t.Fatalf("authorization page %d without exactly one form:\n%s", page.status, page.body)
	}
	v := url.Values{}
	login := false
	for _, m := range inputRe.FindAllSubmatch(page.body, -1) {
		attrs := map[string]string{}
		for _, a := range attrRe.FindAllSubmatch(m[1], -1) {
			attrs[string(a[1])] = html.UnescapeString(string(a[2]))
		}
		switch {
		case attrs["type"] == "hidden":
			v.Set(attrs["name"], attrs["value"])
		case attrs["name"] == "password":
			login = true
		}
	}
	return v, login
}

func authorizeQuery(a app, redirect, scope, state string) url.Values {
	return url.Values{"response_type": {"code"}, "client_id": {a.id}, "redirect_uri": {redirect}, "scope": {scope},
		"state": {state}, "code_challenge": {challenge(verifier)}, "code_challenge_method": {"S256"}}
}

// logInAndAllow does what the masto.js scenario (federation/fedtest) does: fetch the page,
// fill username and password, post with decision=allow; it returns the
// answer (302 with the code, normally).
func logInAndAllow(t *testing.T, in *webtest.Instance, q url.Values, username string) reply {
	t.Helper()
	v, login := form(t, getPath(t, nil, in, "/oauth/authorize?"+q.Encode(), ""))
	if !login {
		t.Fatal("the page asks for no password")
	}
	v.Set("username", username)
	v.Set("password", password)
	v.Set("decision", "allow")
	return postForm(t, nil, in, "/oauth/authorize", v, nil)
}

func exchange(t *testing.T, in *webtest.Instance, a app, code, redirect, codeVerifier string) reply {
	t.Helper()
	return postForm(t, nil, in, "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {redirect}, "client_id": {a.id}, "client_secret": {a.secret}, "code_verifier": {codeVerifier}}, nil)
}

// userToken runs the whole flow and returns the token answer.
func userToken(t *testing.T, in *webtest.Instance, a app, username, scope string) map[string]any {
	t.Helper()
	r := logInAndAllow(t, in, authorizeQuery(a, webCB, scope, "s1"), username)
	code := r.location(t).Query().Get("code")
	tok := exchange(t, in, a, code, webCB, verifier)
	if tok.status != http.StatusOK {
		t.Fatalf("exchange: %d %s", tok.status, tok.body)
	}
	return tok.json(t)
}

func regexpMust(expr string) *regexp.Regexp { return regexp.MustCompile(expr) }
