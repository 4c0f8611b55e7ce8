package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/store"
)

// remoteMember makes the remote actor name@host an active member of the
// association.
func (e env) remoteMember(association uuid.UUID, name, host string) {
	e.t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: "https://" + host + "/u/" + name, Kind: "Person", Username: name, Host: host,
		KeyID: "https://" + host + "/u/" + name + "#key", PublicKey: "pem", CreatedAt: now, UpdatedAt: now}
	if err := e.DB.Actors().Create(ctx, &a); err != nil {
		e.t.Fatal(err)
	}
	m := store.Membership{ID: uuid.Must(uuid.NewV7()), AssociationID: association, ActorID: a.ID, Role: "member",
		Status: "active", RequestedAt: now, JoinedAt: &now, UpdatedAt: now}
	if err := e.DB.Associations().AddMembership(ctx, &m); err != nil {
		e.t.Fatal(err)
	}
}

func TestFederationPolicy_API(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		root := e.admin("root")
		owner, user := e.person("ada")
		jardin := e.association(owner, "jardin")
		e.remoteMember(jardin.ID, "zoe", "127.0.0.2:4001")

		for _, q := range []reply{
			e.get("/admin/federation", user),
			e.do(request{method: http.MethodPut, path: "/admin/federation", token: user, body: `{"mode": "open"}`}),
			e.get("/admin/domain-allows", user),
			e.post("/admin/domain-allows", user, `{"domain": "x.example"}`),
			e.del("/admin/domain-allows/x.example", user),
			e.patch("/admin/domain-blocks/x.example", user, `{"severity": "silence"}`),
			e.get("/admin/domain-blocks.csv", user),
			e.do(request{method: http.MethodPost, path: "/admin/domain-blocks/import", token: user, body: "x.example\n", contentType: "text/csv"}),
		} {
			q.problem(t, http.StatusForbidden, "admin-only")
		}

		var mode struct {
			Mode   string `json:"mode"`
			Locked bool   `json:"locked"`
		}
		e.get("/admin/federation", root).ok(t, http.StatusOK, "FederationMode", &mode)
		if mode.Mode != "open" || mode.Locked {
			t.Fatalf("mode %+v", mode)
		}
		put := func(body string) reply {
			return e.do(request{method: http.MethodPut, path: "/admin/federation", token: root, body: body})
		}
		put(`{"mode": "closed"}`).problem(t, http.StatusBadRequest, "invalid-input")
		// The switch would cut zoe off: refused with her, nothing applied.
		p := put(`{"mode": "allowlist"}`).problem(t, http.StatusConflict, "federation-cuts-members")
		affected, _ := p.Affected.([]any)
		if len(affected) != 1 || affected[0].(map[string]any)["acct"] != "zoe@127.0.0.2:4001" ||
			affected[0].(map[string]any)["association"] != "jardin" || affected[0].(map[string]any)["actor"] != "https://127.0.0.2:4001/u/zoe" {
			t.Fatalf("affected %#v", p.Affected)
		}
		e.get("/admin/federation", root).ok(t, http.StatusOK, "FederationMode", &mode)
		if mode.Mode != "open" {
			t.Fatalf("the refused switch was applied: %+v", mode)
		}
		var allow map[string]any
		r := e.post("/admin/domain-allows", root, `{"domain": "127.0.0.2", "comment": "partners"}`)
		r.ok(t, http.StatusCreated, "DomainAllow", &allow)
		if allow["domain"] != "127.0.0.2" || r.header.Get("Location") != "/api/holon/v1/admin/domain-allows/127.0.0.2" {
			t.Fatalf("allow %v %v", allow, r.header)
		}
		e.post("/admin/domain-allows", root, `{"domain": "127.0.0.2"}`).problem(t, http.StatusConflict, "domain-already-allowed")
		e.post("/admin/domain-allows", root, `{"domain": "a b"}`).problem(t, http.StatusBadRequest, "invalid-input")
		put(`{"mode": "allowlist"}`).ok(t, http.StatusOK, "FederationMode", &mode)
		if mode.Mode != "allowlist" {
			t.Fatalf("mode %+v", mode)
		}
		var allows struct {
			Items []map[string]any `json:"items"`
		}
		e.get("/admin/domain-allows", root).ok(t, http.StatusOK, "DomainAllowList", &allows)
		if len(allows.Items) != 1 || allows.Items[0]["comment"] != "partners" {
			t.Fatalf("allows %v", allows.Items)
		}
		e.del("/admin/domain-allows/127.0.0.2", root).problem(t, http.StatusConflict, "federation-cuts-members")
		e.del("/admin/domain-allows/127.0.0.2?confirm=true", root).ok(t, http.StatusNoContent, "", nil)
		e.del("/admin/domain-allows/127.0.0.2", root).problem(t, http.StatusNotFound, "domain-not-on-allowlist")

		// Blocks: severity at creation and changed.
		var b map[string]any
		e.post("/admin/domain-blocks", root, `{"domain": "loud.example", "severity": "silence"}`).ok(t, http.StatusCreated, "DomainBlock", &b)
		if b["severity"] != "silence" {
			t.Fatalf("block %v", b)
		}
		e.post("/admin/domain-blocks", root, `{"domain": "x.example", "severity": "limit"}`).problem(t, http.StatusBadRequest, "invalid-input")
		e.post("/admin/domain-blocks", root, `{"domain": "127.0.0.1"}`).problem(t, http.StatusBadRequest, "own-domain")
		e.post("/admin/domain-blocks", root, `{"domain": "127.0.0.2"}`).problem(t, http.StatusConflict, "federation-cuts-members")
		e.patch("/admin/domain-blocks/loud.example", root, `{"severity": "limit"}`).problem(t, http.StatusBadRequest, "invalid-input")
		e.patch("/admin/domain-blocks/nope.example", root, `{"severity": "suspend"}`).problem(t, http.StatusNotFound, "domain-not-blocked")
		e.patch("/admin/domain-blocks/loud.example", root, `{"severity": "suspend", "public_comment": "worse"}`).ok(t, http.StatusOK, "DomainBlock", &b)
		if b["severity"] != "suspend" || b["public_comment"] != "worse" {
			t.Fatalf("updated %v", b)
		}

		// CSV.
		imp := func(body, ct string) reply {
			return e.do(request{method: http.MethodPost, path: "/admin/domain-blocks/import", token: root, body: body, contentType: ct})
		}
		imp("x.example\n", "application/json").problem(t, http.StatusUnsupportedMediaType, "unsupported-media-type")
		p = imp("#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\na.example,suspend,false,false,,false\nb.example,limit,false,false,,false\n\"c.example\n", "text/csv").
			problem(t, http.StatusBadRequest, "invalid-input")
		if len(p.Errors) != 1 || p.Errors[0].Field != "line 4" {
			t.Fatalf("problems %+v", p.Errors)
		}
		p = imp("#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\na.example,suspend,false,false,,false\nb.example,limit,false,false,,false\n", "text/csv").
			problem(t, http.StatusBadRequest, "invalid-input")
		if len(p.Errors) != 1 || p.Errors[0].Field != "line 3" || !strings.Contains(p.Errors[0].Detail, "limit") {
			t.Fatalf("problems %+v", p.Errors)
		}
		var out map[string]int
		imp("#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\na.example,suspend,false,false,\"spam, mostly\",false\nloud.example,silence,false,false,,false\nm.example,noop,true,false,,false\n", "text/csv; charset=utf-8").
			ok(t, http.StatusOK, "DomainImport", &out)
		if out["added"] != 1 || out["unchanged"] != 1 || out["skipped"] != 1 {
			t.Fatalf("import %v", out)
		}
		imp("127.0.0.2\n", "text/plain").problem(t, http.StatusConflict, "federation-cuts-members")
		imp(strings.Repeat("a.example\n", 120000), "text/csv").problem(t, http.StatusRequestEntityTooLarge, "too-large")
		r = e.get("/admin/domain-blocks.csv", root)
		want := "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\na.example,suspend,false,false,\"spam, mostly\",false\nloud.example,suspend,false,false,worse,false\n"
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") || string(r.body) != want {
			t.Fatalf("export %d %v:\n%s", r.status, r.header, r.body)
		}
		// Every change is in the audit log, by the admin, in order; the
		// refused ones are not.
		entries, err := e.DB.AuditLog().List(context.Background(), store.AuditFilter{Scope: store.AuditInstance, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := len(entries) - 1; i >= 0; i-- {
			if entries[i].AccountName != "root" || entries[i].AccountID == nil {
				t.Errorf("entry %+v not by root", entries[i])
			}
			got = append(got, entries[i].Action+" "+entries[i].Target)
		}
		want = "domain.allow 127.0.0.2|federation.mode allowlist|domain.disallow 127.0.0.2|domain.block loud.example|domain.update loud.example|domain.import "
		if strings.Join(got, "|") != want {
			t.Errorf("audit %q\nwant %q", strings.Join(got, "|"), want)
		}
	})
}

// The configuration's federation.mode fixes the mode: the API refuses to
// change it.
func TestFederationMode_SetByTheConfiguration(t *testing.T) {
	each(t, func(c *config.Config) { c.Federation.Mode = "allowlist" }, func(t *testing.T, e env) {
		root := e.admin("root")
		var mode struct {
			Mode   string `json:"mode"`
			Locked bool   `json:"locked"`
		}
		e.get("/admin/federation", root).ok(t, http.StatusOK, "FederationMode", &mode)
		if mode.Mode != "allowlist" || !mode.Locked {
			t.Fatalf("mode %+v", mode)
		}
		p := e.do(request{method: http.MethodPut, path: "/admin/federation", token: root, body: `{"mode": "open"}`}).
			problem(t, http.StatusConflict, "federation-mode-locked")
		if !strings.Contains(p.Detail, "set by the configuration") {
			t.Errorf("detail %q", p.Detail)
		}
	})
}

// The network and tag timelines leave out the notes of a silenced domain.
func TestFederationPolicy_ViewsHideSilencedContent(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ctx := context.Background()
		root := e.admin("root")
		ada, adaToken := e.person("ada")
		now := time.Now().UTC()
		zoe := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: "https://127.0.0.2:4000/u/zoe", Kind: "Person", Username: "zoe", Host: "127.0.0.2:4000",
			KeyID: "https://127.0.0.2:4000/u/zoe#key", PublicKey: "pem", CreatedAt: now, UpdatedAt: now}
		if err := e.DB.Actors().Create(ctx, &zoe); err != nil {
			t.Fatal(err)
		}
		adaActor, err := e.Members.LocalActor(ctx, ada.Username)
		if err != nil {
			t.Fatal(err)
		}
		f := store.Follow{ID: uuid.Must(uuid.NewV7()), FollowerID: adaActor.ID, FollowedID: zoe.ID, ActivityID: adaActor.URI + "#follow-zoe",
			State: "accepted", CreatedAt: now, UpdatedAt: now}
		if err := e.DB.Follows().Save(ctx, &f); err != nil {
			t.Fatal(err)
		}
		n := store.Note{ID: uuid.Must(uuid.NewV7()), URI: zoe.URI + "/notes/1", AuthorID: zoe.ID, Content: "zoe says #commons",
			Visibility: "public", PublishedAt: now, CreatedAt: now}
		if err := e.DB.Notes().Create(ctx, &n, []string{"commons"}, nil); err != nil {
			t.Fatal(err)
		}
		e.post("/notes", adaToken, `{"content": "ada says #commons"}`).ok(t, http.StatusCreated, "Note", nil)
		read := func(path string) string {
			t.Helper()
			var tl timeline
			e.get(path, "").ok(t, http.StatusOK, "Timeline", &tl)
			return strings.Join(tl.texts(), " | ")
		}
		if got := read("/timelines/network"); !strings.Contains(got, "zoe says") || !strings.Contains(got, "ada says") {
			t.Fatalf("network before: %s", got)
		}
		e.post("/admin/domain-blocks", root, `{"domain": "127.0.0.2", "severity": "silence"}`).ok(t, http.StatusCreated, "DomainBlock", nil)
		for _, path := range []string{"/timelines/network", "/timelines/tag/commons"} {
			if got := read(path); strings.Contains(got, "zoe says") || !strings.Contains(got, "ada says") {
				t.Errorf("%s with the domain silenced: %s", path, got)
			}
		}
		// A silence keeps the follow; lifting it shows the notes again.
		e.del("/admin/domain-blocks/127.0.0.2", root).ok(t, http.StatusNoContent, "", nil)
		if got := read("/timelines/tag/commons"); !strings.Contains(got, "zoe says") {
			t.Errorf("tag after unblocking: %s", got)
		}
	})
}
