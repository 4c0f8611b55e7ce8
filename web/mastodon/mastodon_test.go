package mastodon_test

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/webtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// variable are the parts of an answer that change from run to run: the
// test server's host, ids and times.
var variable = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "holon.example"},
	{regexp.MustCompile(`holon\.[0-9a-f]{12}\.svg`), "holon.svg"}, // the icon's fingerprint
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "01890000-0000-7000-8000-000000000000"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`), "2026-11-21T09:00:00.000Z"},
}

func get(t *testing.T, in *webtest.Instance, path string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, in.URL+path, nil)
	req.Header.Set("Origin", "https://client.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// golden compares body, its variable parts replaced and indented, with
// testdata/name.
func golden(t *testing.T, name string, body []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", name, err, body)
	}
	var pretty strings.Builder
	enc := json.NewEncoder(&pretty)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	got := pretty.String()
	for _, r := range variable {
		got = r.re.ReplaceAllString(got, r.with)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}

func settle(t *testing.T, in *webtest.Instance) {
	t.Helper()
	ctx := context.Background()
	if _, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "admin", DisplayName: "The admin",
		Email: "admin@example.org", Password: "correct horse battery"}, membership.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Settings.Update(ctx, instance.CommandLine, instance.Settings{Name: "Jardin", ShortDescription: "Shared gardens",
		ExtendedDescription: "We grow things.\n\nTogether & <openly>.", ContactEmail: "team@example.org", ContactAccount: "admin",
		Languages: []string{"fr", "en"}, Registrations: membership.RegistrationsApproval, AssociationCreation: membership.CreationByUsers,
		Rules:         []instance.Rule{{Text: "Be kind"}, {Text: "No spam"}},
		PrivacyPolicy: "We keep your e-mail address.\nOnly that.\n\nWe sell nothing."}); err != nil {
		t.Fatal(err)
	}
}

func TestInstance_MastodonShapes(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		settle(t, in)
		for path, file := range map[string]string{
			"/api/v1/instance":                      "v1_instance.json",
			"/api/v2/instance":                      "v2_instance.json",
			"/api/v1/instance/rules":                "rules.json",
			"/api/v1/instance/privacy_policy":       "privacy_policy.json",
			"/api/v1/instance/extended_description": "extended_description.json",
		} {
			resp, body := get(t, in, path)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("%s: Access-Control-Allow-Origin %q", path, resp.Header.Get("Access-Control-Allow-Origin"))
			}
			golden(t, file, body)
		}
	})
}

// The keys Mastodon 4.3's documentation lists for each entity (the
// entities' pages under docs.joinmastodon.org/entities): each must be
// present, with the JSON type it documents.
func TestInstance_MastodonRequiredKeys(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		// Before any save: the configuration's defaults, no contact.
		_, body := get(t, in, "/api/v2/instance")
		var v2 map[string]any
		if err := json.Unmarshal(body, &v2); err != nil {
			t.Fatal(err)
		}
		for key, kind := range map[string]string{"domain": "string", "title": "string", "version": "string", "source_url": "string",
			"description": "string", "usage": "object", "thumbnail": "object", "icon": "array", "languages": "array",
			"configuration": "object", "registrations": "object", "api_versions": "object", "contact": "object", "rules": "array"} {
			if got := jsonKind(v2[key]); got != kind {
				t.Errorf("v2 %s is %s, want %s", key, got, kind)
			}
		}
		if c := v2["contact"].(map[string]any); c["account"] != nil || jsonKind(c["email"]) != "string" {
			t.Errorf("contact without a save = %v", c)
		}
		if v := v2["version"].(string); !strings.HasPrefix(v, "4.3.0 (compatible; Holon ") {
			t.Errorf("version = %q", v)
		}
		_, body = get(t, in, "/api/v1/instance")
		var v1 map[string]any
		if err := json.Unmarshal(body, &v1); err != nil {
			t.Fatal(err)
		}
		for key, kind := range map[string]string{"uri": "string", "title": "string", "short_description": "string",
			"description": "string", "email": "string", "version": "string", "urls": "object", "stats": "object",
			"thumbnail": "null", "languages": "array", "registrations": "bool", "approval_required": "bool",
			"invites_enabled": "bool", "configuration": "object", "contact_account": "null", "rules": "array"} {
			if got := jsonKind(v1[key]); got != kind {
				t.Errorf("v1 %s is %s, want %s", key, got, kind)
			}
		}
		resp, body := get(t, in, "/api/v1/instance/privacy_policy")
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"content":""`) {
			t.Errorf("privacy policy before a save: %d %s", resp.StatusCode, body)
		}
		resp, body = get(t, in, "/api/v1/instance/nothing")
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"error"`) {
			t.Errorf("unknown route: %d %s", resp.StatusCode, body)
		}
		// A browser client's preflight.
		req, _ := http.NewRequest(http.MethodOptions, in.URL+"/api/v2/instance", nil)
		req.Header.Set("Origin", "https://client.example")
		req.Header.Set("Access-Control-Request-Method", "GET")
		pre, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		pre.Body.Close()
		if pre.StatusCode != http.StatusNoContent || pre.Header.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(pre.Header.Get("Access-Control-Allow-Methods"), "GET") {
			t.Errorf("preflight: %d %v", pre.StatusCode, pre.Header)
		}
	})
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "bool"
	case float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}
