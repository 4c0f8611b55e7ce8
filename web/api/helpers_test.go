package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/api"
	"github.com/holon-network/holon/web/problem"
	"github.com/holon-network/holon/web/webtest"
)

// each runs fn on a fresh instance per database, as webtest.Each does.
func each(t *testing.T, edit func(*config.Config), fn func(t *testing.T, e env)) {
	t.Helper()
	t.Parallel()
	webtest.Each(t, edit, func(t *testing.T, in *webtest.Instance) {
		fn(t, env{Instance: in, t: t})
	})
}

// env is a running instance and the test using it.
type env struct {
	*webtest.Instance
	t *testing.T
}

// person creates an active account named username through the service and
// returns it with a bearer token.
func (e env) person(username string) (membership.Account, string) {
	e.t.Helper()
	ctx := context.Background()
	acc, err := e.Members.CreateAccount(ctx, membership.NewAccount{
		Username: username, Email: username + "@example.org", Password: "correct horse battery",
	}, membership.RoleUser)
	if err != nil {
		e.t.Fatalf("create account %s: %v", username, err)
	}
	secret, _, err := e.Members.CreateToken(ctx, acc, "test")
	if err != nil {
		e.t.Fatalf("create token for %s: %v", username, err)
	}
	return acc, secret
}

// association founds name with owner as its board, through the service.
func (e env) association(owner membership.Account, name string) membership.Association {
	e.t.Helper()
	a, err := e.Members.CreateAssociation(context.Background(), owner, membership.NewAssociation{Name: name})
	if err != nil {
		e.t.Fatalf("create association %s: %v", name, err)
	}
	return a
}

// settings changes association name's settings through the service.
func (e env) settings(owner membership.Account, name string, ch membership.SettingsChange) {
	e.t.Helper()
	if _, err := e.Members.UpdateAssociation(context.Background(), owner, name, membership.AssociationChange{Settings: ch}); err != nil {
		e.t.Fatalf("change settings of %s: %v", name, err)
	}
}

// join makes acc a member of name through the service.
func (e env) join(acc membership.Account, name string) membership.Member {
	e.t.Helper()
	m, err := e.Members.Join(context.Background(), acc, name)
	if err != nil {
		e.t.Fatalf("%s joins %s: %v", acc.Username, name, err)
	}
	return m
}

// request is one API call. Body, when set, is sent as application/json
// unless contentType says otherwise ("-": no Content-Type at all).
type request struct {
	method, path string
	token        string
	body         string
	contentType  string
	header       map[string]string
}

// reply is what the server answered.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (e env) do(q request) reply {
	e.t.Helper()
	var body io.Reader
	if q.body != "" {
		body = strings.NewReader(q.body)
	}
	req, err := http.NewRequest(q.method, e.URL+api.Prefix+q.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	switch {
	case q.contentType == "-":
	case q.contentType != "":
		req.Header.Set("Content-Type", q.contentType)
	case q.body != "":
		req.Header.Set("Content-Type", "application/json")
	}
	if q.token != "" {
		req.Header.Set("Authorization", "Bearer "+q.token)
	}
	for k, v := range q.header {
		req.Header.Set(k, v)
	}
	return e.send(req)
}

func (e env) send(req *http.Request) reply {
	e.t.Helper()
	res, err := e.Server.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, body: b}
}

// get, post, patch and del are do for the common cases.
func (e env) get(path, token string) reply {
	e.t.Helper()
	return e.do(request{method: http.MethodGet, path: path, token: token})
}

func (e env) post(path, token, body string) reply {
	e.t.Helper()
	return e.do(request{method: http.MethodPost, path: path, token: token, body: body})
}

func (e env) patch(path, token, body string) reply {
	e.t.Helper()
	return e.do(request{method: http.MethodPatch, path: path, token: token, body: body})
}

func (e env) del(path, token string) reply {
	e.t.Helper()
	return e.do(request{method: http.MethodDelete, path: path, token: token})
}

// ok checks the status and, for answers with a body, that it is JSON
// conforming to the OpenAPI schema named schema, then decodes it into v.
func (r reply) ok(t *testing.T, status int, schema string, v any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if schema == "" {
		return
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q, want application/json", ct)
	}
	conforms(t, schema, r.body)
	if v != nil {
		if err := json.Unmarshal(r.body, v); err != nil {
			t.Fatalf("decode %s: %v", r.body, err)
		}
	}
}

// problem checks that r is a problem+json answer with status and code, and
// returns it.
func (r reply) problem(t *testing.T, status int, code string) problem.Problem {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json: %s", ct, r.body)
	}
	conforms(t, "Problem", r.body)
	var p problem.Problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("decode problem %s: %v", r.body, err)
	}
	if p.Code != code || p.Type != problem.TypePrefix+code || p.Status != status || p.Detail == "" {
		t.Fatalf("problem %+v, want code %q and status %d", p, code, status)
	}
	return p
}

// fields returns the problem's field errors as field → code.
func fields(p problem.Problem) map[string]string {
	m := make(map[string]string, len(p.Errors))
	for _, f := range p.Errors {
		m[f.Field] = f.Code
	}
	return m
}

// sameFields fails unless got holds exactly want.
func sameFields(t *testing.T, got problem.Problem, want map[string]string) {
	t.Helper()
	f := fields(got)
	if len(f) != len(want) {
		t.Fatalf("field errors %v, want %v", f, want)
	}
	for k, v := range want {
		if f[k] != v {
			t.Fatalf("field errors %v, want %v", f, want)
		}
	}
}

func readOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}
