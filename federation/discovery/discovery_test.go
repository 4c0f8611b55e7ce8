package discovery_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/webtest"
)

func get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestWebFinger(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.Members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		if _, err := in.Members.EnsureInstanceActor(ctx); err != nil {
			t.Fatal(err)
		}
		host := in.Config.Server.Host
		base := in.Config.BaseURL()
		tests := []struct {
			resource    string
			wantStatus  int
			wantSubject string
			wantSelf    string
		}{
			{"acct:ada@" + host, 200, "acct:ada@" + host, base + "/actors/ada"},
			{"ada@" + host, 200, "acct:ada@" + host, base + "/actors/ada"},
			{"@ADA@" + strings.ToUpper(host), 200, "acct:ada@" + host, base + "/actors/ada"},
			{"acct:commons@" + host, 200, "acct:commons@" + host, base + "/actors/commons"},
			{base + "/actors/commons", 200, "acct:commons@" + host, base + "/actors/commons"},
			{base + "/@ada", 200, "acct:ada@" + host, base + "/actors/ada"},
			{"acct:" + host + "@" + host, 200, "acct:" + host + "@" + host, base + "/actors/" + host},
			{"acct:nobody@" + host, 404, "", ""},
			{"acct:ada@elsewhere.example", 404, "", ""},
			{"acct:bad name@" + host, 404, "", ""},
			{"https://elsewhere.example/actors/ada", 404, "", ""},
			{"", 400, "", ""},
			{"acct:" + strings.Repeat("a", 600) + "@" + host, 400, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.resource, func(t *testing.T) {
				resp, body := get(t, in.URL+"/.well-known/webfinger?resource="+url.QueryEscape(tt.resource))
				if resp.StatusCode != tt.wantStatus {
					t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.wantStatus, body)
				}
				if tt.wantStatus != 200 {
					return
				}
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/jrd+json") {
					t.Fatalf("content type %q", ct)
				}
				var doc struct {
					Subject string
					Links   []struct{ Rel, Type, Href string }
				}
				if err := json.Unmarshal([]byte(body), &doc); err != nil {
					t.Fatal(err)
				}
				self := ""
				for _, l := range doc.Links {
					if l.Rel == "self" && l.Type == "application/activity+json" {
						self = l.Href
					}
				}
				if doc.Subject != tt.wantSubject || self != tt.wantSelf {
					t.Fatalf("subject %q self %q: %s", doc.Subject, self, body)
				}
			})
		}
	})
}

func TestHostMetaAndNodeInfo(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		if _, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser); err != nil {
			t.Fatal(err)
		}
		resp, body := get(t, in.URL+"/.well-known/host-meta")
		want := `template="` + in.Config.BaseURL() + `/.well-known/webfinger?resource={uri}"`
		if resp.StatusCode != 200 || !strings.Contains(body, want) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xrd+xml") {
			t.Fatalf("host-meta %d: %s", resp.StatusCode, body)
		}

		_, body = get(t, in.URL+"/.well-known/nodeinfo")
		var index struct{ Links []struct{ Rel, Href string } }
		if err := json.Unmarshal([]byte(body), &index); err != nil || len(index.Links) != 1 ||
			index.Links[0].Rel != "http://nodeinfo.diaspora.software/ns/schema/2.1" || index.Links[0].Href != in.Config.BaseURL()+"/nodeinfo/2.1" {
			t.Fatalf("nodeinfo index: %s", body)
		}
		resp, body = get(t, in.URL+"/nodeinfo/2.1")
		var ni struct {
			Version           string
			Software          struct{ Name, Version string }
			Protocols         []string
			OpenRegistrations bool
			Usage             struct{ Users struct{ Total int } }
		}
		if err := json.Unmarshal([]byte(body), &ni); err != nil {
			t.Fatal(err)
		}
		if ni.Version != "2.1" || ni.Software.Name != "holon" || len(ni.Protocols) != 1 || ni.Protocols[0] != "activitypub" ||
			!ni.OpenRegistrations || ni.Usage.Users.Total != 1 || !strings.Contains(resp.Header.Get("Content-Type"), "schema/2.1") {
			t.Fatalf("nodeinfo: %s", body)
		}
	})
}

// NodeInfo describes the instance as its admins set it, at once.
func TestNodeInfo_FollowsTheSettings(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		if _, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		type doc struct {
			OpenRegistrations bool
			Metadata          struct {
				NodeName         string
				NodeDescription  string
				Languages        []string
				Rules            []struct{ ID, Text string }
				PrivacyPolicyURL string `json:"privacyPolicyUrl"`
				Contact          struct{ Email, Account string }
				Registrations    string
				ApprovalRequired bool
			}
		}
		read := func() doc {
			t.Helper()
			_, body := get(t, in.URL+"/nodeinfo/2.1")
			var d doc
			if err := json.Unmarshal([]byte(body), &d); err != nil {
				t.Fatal(err)
			}
			return d
		}
		if d := read(); !d.OpenRegistrations || d.Metadata.NodeName != in.Config.Instance.Name || d.Metadata.Rules == nil {
			t.Fatalf("defaults: %+v", d)
		}
		for _, tc := range []struct {
			mode     string
			open     bool
			approval bool
		}{{membership.RegistrationsApproval, true, true}, {membership.RegistrationsClosed, false, false}} {
			if _, err := in.Settings.Update(ctx, instance.CommandLine, instance.Settings{Name: "Jardin", ShortDescription: "Gardens",
				ContactEmail: "team@example.org", ContactAccount: "ada", Languages: []string{"fr"}, Registrations: tc.mode,
				AssociationCreation: membership.CreationByUsers, Rules: []instance.Rule{{Text: "Be kind"}}}); err != nil {
				t.Fatal(err)
			}
			d := read()
			m := d.Metadata
			if d.OpenRegistrations != tc.open || m.ApprovalRequired != tc.approval || m.Registrations != tc.mode || m.NodeName != "Jardin" ||
				m.NodeDescription != "Gardens" || len(m.Rules) != 1 || m.Rules[0].ID != "1" || m.Rules[0].Text != "Be kind" ||
				m.PrivacyPolicyURL != in.Config.BaseURL()+"/privacy-policy" || m.Contact.Email != "team@example.org" ||
				m.Contact.Account != in.Config.BaseURL()+"/@ada" || len(m.Languages) != 1 {
				t.Fatalf("%s: %+v", tc.mode, d)
			}
		}
	})
}
