package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/audit/auditlog"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/core/relays"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/web/api"
)

// The OpenAPI document and the router must list the same routes, so that
// neither can change without the other.
func TestOpenAPI_MatchesRouter(t *testing.T) {
	routes, ok := api.New(api.Deps{Config: config.Default(), Remote: noRemote{}, Notes: new(news.Service), Timelines: new(news.Service),
		Domains: new(domains.Service), Inbox: new(inbox.Processor), Ledger: new(ledger.Service),
		Projects: new(projects.Service), Governance: new(governance.Service), VotesElsewhere: new(governance.Service),
		Events: new(agenda.Service), Instance: new(instance.Service), Relays: new(relays.Service), Audit: new(auditlog.Service)}).(chi.Routes)
	if !ok {
		t.Fatal("api.New does not return a chi router")
	}
	inRouter := map[string]bool{}
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		inRouter[method+" "+route] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	inDoc := map[string]bool{}
	paths, _ := readOpenAPI(t)["paths"].(map[string]any)
	for path, item := range paths {
		for key := range item.(map[string]any) {
			switch m := strings.ToUpper(key); m {
			case "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE":
				inDoc[m+" "+path] = true
			}
		}
	}
	for _, r := range sortedKeys(inRouter) {
		if !inDoc[r] {
			t.Errorf("%s is routed but not in openapi.json", r)
		}
	}
	for _, r := range sortedKeys(inDoc) {
		if !inRouter[r] {
			t.Errorf("%s is in openapi.json but not routed", r)
		}
	}
}

// Every $ref must point at something, every operation must have a unique
// id and document its answers, and every path parameter must be declared.
func TestOpenAPI_IsSelfConsistent(t *testing.T) {
	doc := readOpenAPI(t)
	if v := doc["openapi"]; v != "3.1.0" {
		t.Errorf("openapi version %v", v)
	}
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				if resolve(doc, r) == nil {
					t.Errorf("%s: $ref %s points at nothing", at, r)
				}
			}
			for k, x := range v {
				walk(x, at+"/"+k)
			}
		case []any:
			for i, x := range v {
				walk(x, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(doc, "#")

	ids := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		item := item.(map[string]any)
		declared := map[string]bool{}
		for _, p := range params(doc, item["parameters"]) {
			if p["in"] == "path" {
				declared[p["name"].(string)] = true
			}
		}
		for method, op := range item {
			op, ok := op.(map[string]any)
			if !ok || method == "parameters" {
				continue
			}
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] {
				t.Errorf("%s %s: operationId %q missing or repeated", method, path, id)
			}
			ids[id] = true
			if res, _ := op["responses"].(map[string]any); len(res) == 0 {
				t.Errorf("%s %s: no responses", method, path)
			}
			own := map[string]bool{}
			for k := range declared {
				own[k] = true
			}
			for _, p := range params(doc, op["parameters"]) {
				if p["in"] == "path" {
					own[p["name"].(string)] = true
				}
			}
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") && !own[strings.Trim(seg, "{}")] {
					t.Errorf("%s %s: path parameter %s is not declared", method, path, seg)
				}
			}
		}
	}
}

func TestOpenAPI_IsServed(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		r := e.get("/openapi.json", "")
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" {
			t.Fatalf("status %d, Content-Type %q", r.status, r.header.Get("Content-Type"))
		}
		file, err := os.ReadFile("openapi.json")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.body, file) {
			t.Fatal("served document differs from openapi.json")
		}
	})
}

func params(doc map[string]any, v any) []map[string]any {
	list, _ := v.([]any)
	var out []map[string]any
	for _, p := range list {
		m, _ := p.(map[string]any)
		if r, ok := m["$ref"].(string); ok {
			m, _ = resolve(doc, r).(map[string]any)
		}
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

// resolve follows a local JSON pointer such as #/components/schemas/Member.
func resolve(doc map[string]any, ref string) any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	var v any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")]
	}
	return v
}

var openAPIDoc = sync.OnceValues(func() (map[string]any, error) {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	return doc, json.Unmarshal(b, &doc)
})

// conforms checks an answer against the document's schema name: every field
// it has is documented, every required field is there, types and enums
// hold. It is what keeps the schemas true to the handlers' JSON.
func conforms(t *testing.T, name string, body []byte) {
	t.Helper()
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, body)
	}
	if err := check(doc, map[string]any{"$ref": "#/components/schemas/" + name}, v, "$"); err != nil {
		t.Fatalf("answer does not conform to %s: %v\n%s", name, err, body)
	}
}

func check(doc, schema map[string]any, v any, at string) error {
	if ref, ok := schema["$ref"].(string); ok {
		s, ok := resolve(doc, ref).(map[string]any)
		if !ok {
			return fmt.Errorf("%s: unresolvable %s", at, ref)
		}
		schema = s
	}
	if alts, ok := schema["oneOf"].([]any); ok {
		var errs []error
		for _, a := range alts {
			alt, _ := a.(map[string]any)
			err := check(doc, alt, v, at)
			if err == nil {
				return nil
			}
			errs = append(errs, err)
		}
		return fmt.Errorf("%s: matches no alternative of oneOf: %w", at, errors.Join(errs...))
	}
	if types := typesOf(schema["type"]); len(types) > 0 && !slices.Contains(types, jsonType(v)) &&
		!(jsonType(v) == "integer" && slices.Contains(types, "number")) {
		return fmt.Errorf("%s: %s, want %v", at, jsonType(v), types)
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		return fmt.Errorf("%s: %v is not one of %v", at, v, enum)
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for k, x := range v {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if props != nil {
					return fmt.Errorf("%s: field %q is not documented", at, k)
				}
				continue
			}
			if err := check(doc, ps, x, at+"."+k); err != nil {
				return err
			}
		}
		req, _ := schema["required"].([]any)
		for _, k := range req {
			if _, ok := v[k.(string)]; !ok {
				return fmt.Errorf("%s: required field %q is missing", at, k)
			}
		}
	case []any:
		items, _ := schema["items"].(map[string]any)
		for i, x := range v {
			if items == nil {
				break
			}
			if err := check(doc, items, x, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func typesOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			out[i], _ = x.(string)
		}
		return out
	}
	return nil
}

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if v == math.Trunc(v) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	}
	return "object"
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// noRemote makes api.New register the routes that need a Remote.
type noRemote struct{}

func (noRemote) Lookup(context.Context, string) (membership.Actor, error) {
	return membership.Actor{}, membership.ErrNoSuchActor
}
