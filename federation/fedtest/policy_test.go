package fedtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/federation/fedtest"
	"github.com/holon-network/holon/store"
)

// The federation-policy issue's "done when", on three running instances.
// A switches to allowlist mode with only B allowed, once its admin has
// seen and confirmed the remote member it cuts off (carol, on C). Then A
// and B federate both ways while C is refused both ways: C's delivery to
// A is answered 403, A delivers nothing to C, A fetches nothing from C
// and C fetches nothing from A. A report made on B about ada reaches A's
// queue as a Flag; A's admin resolves it with a warning, and the
// resolution is in A's audit log. Last, a block of B's domain on A stops
// B's posts at A's inbox and takes those A had from its views.
func TestFederationPolicy_AcrossRunningInstances(t *testing.T) {
	t.Parallel()
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		lap := stopwatch(t)
		c := fedtest.New(t, driver)
		in := c.StartAll([]string{"a", "b", "c"})
		a, b, cc := in[0], in[1], in[2]
		root := a.NewAdmin(t, "root")
		users := fedtest.NewUsers(t, fedtest.Account{In: a, Name: "ada"}, fedtest.Account{In: b, Name: "bob"},
			fedtest.Account{In: b, Name: "bea"}, fedtest.Account{In: cc, Name: "carol"})
		ada, bob, bea, carol := users[0], users[1], users[2], users[3]
		lap("three instances")

		// Before the switch: ada follows bob and carol, they follow her,
		// and carol is a member of garden, on A.
		fedtest.FollowAccepted(t, within, bob.Acct(), ada)
		fedtest.FollowAccepted(t, within, carol.Acct(), ada)
		fedtest.FollowAccepted(t, within, ada.Acct(), bob, carol)
		call(t, ada, "POST", "/associations", object{"name": "garden"}, http.StatusCreated)
		garden := "garden@" + a.Host
		call(t, carol, "POST", "/associations/"+garden+"/members", nil, http.StatusAccepted)
		fedtest.Eventually(t, within, "carol is a member of garden", func() error {
			got := call(t, carol, "GET", "/accounts/me/memberships", nil, http.StatusOK)
			for _, m := range list(got, "items") {
				if m["association"] == garden && m["status"] == "active" {
					return nil
				}
			}
			return fmt.Errorf("memberships %v", got)
		})
		lap("follows both ways, carol a member of garden")

		// The switch to allowlist names carol before it cuts her off, and
		// changes nothing until confirmed.
		call(t, root, "POST", "/admin/domain-allows", object{"domain": domainOf(b), "comment": "partner network"}, http.StatusCreated)
		status, raw := root.Call(t, "PUT", "/admin/federation", object{"mode": "allowlist"}, nil)
		if status != http.StatusConflict || !strings.Contains(raw, "federation-cuts-members") || !strings.Contains(raw, carol.URI()) {
			t.Fatalf("switch to allowlist without confirmation: HTTP %d %s", status, raw)
		}
		if mode := call(t, root, "GET", "/admin/federation", nil, http.StatusOK); mode["mode"] != "open" {
			t.Fatalf("after the refused switch: %v", mode)
		}
		if mode := call(t, root, "PUT", "/admin/federation", object{"mode": "allowlist", "confirm": true}, http.StatusOK); mode["mode"] != "allowlist" {
			t.Fatalf("after the confirmed switch: %v", mode)
		}
		lap("allowlist mode, B allowed, carol's loss confirmed")

		// Deliveries: B's post reaches A; A's post reaches B and not C;
		// C's post is refused at A's inbox.
		fromB := bob.Post(t, "Hello from B")
		arrived(t, a, fromB.URI)
		fromA := ada.Post(t, "Hello from A")
		arrived(t, b, fromA.URI)
		fromC := carol.Post(t, "Hello from C")
		fedtest.Eventually(t, within, "A refuses C's delivery", func() error {
			for _, d := range cc.DeliveriesOf(t, "Create", fromC.URI) {
				if strings.HasPrefix(d.Inbox, a.BaseURL) && d.LastStatus == http.StatusForbidden {
					return nil
				}
			}
			return fmt.Errorf("C's deliveries of its note: %+v", cc.DeliveriesOf(t, "Create", fromC.URI))
		})
		for _, d := range a.DeliveriesOf(t, "Create", fromA.URI) {
			if strings.HasPrefix(d.Inbox, cc.BaseURL) && d.State == "delivered" {
				t.Errorf("A delivered its note to C: %+v", d)
			}
		}
		if _, ok := cc.NoteByURI(t, fromA.URI); ok {
			t.Error("C has A's note")
		}
		if _, ok := a.NoteByURI(t, fromC.URI); ok {
			t.Error("A has C's note")
		}
		lap("deliveries: A and B both ways, C refused both ways")

		// Fetches: A resolves a new account on B, not one on C; C cannot
		// fetch a new account of A.
		newOnB, newOnC := b.NewUser(t, "bert"), cc.NewUser(t, "cleo")
		ada.Resolve(t, newOnB.Acct())
		if status, raw := ada.Call(t, "GET", "/resolve?q="+url.QueryEscape(newOnC.Acct()), nil, nil); status == http.StatusOK {
			t.Errorf("A fetched %s in allowlist mode: %s", newOnC.Acct(), raw)
		}
		newOnA := a.NewUser(t, "abel")
		bob.Resolve(t, newOnA.Acct()) // B, allowed, may fetch from A
		if status, raw := carol.Call(t, "GET", "/resolve?q="+url.QueryEscape(newOnA.Acct()), nil, nil); status == http.StatusOK {
			t.Errorf("C fetched %s from A in allowlist mode: %s", newOnA.Acct(), raw)
		}
		lap("fetches: B allowed, C refused both ways")

		// A report from B reaches A's queue; its resolution is audited.
		call(t, bea, "POST", "/reports", object{"target": ada.Acct(), "notes": []string{fromA.URI},
			"comment": "spam from A", "forward": true}, http.StatusCreated)
		var report object
		fedtest.Eventually(t, within, "the report from B is in A's queue", func() error {
			got := call(t, root, "GET", "/reports?state=open", nil, http.StatusOK)
			for _, r := range list(got, "items") {
				if r["target"] == ada.URI() && r["local"] == false {
					report = r
					return nil
				}
			}
			return fmt.Errorf("A's open reports: %v", got)
		})
		id, _ := report["id"].(string)
		resolved := call(t, root, "POST", "/reports/"+id+"/resolve", object{"action": "warn", "comment": "first warning"}, http.StatusOK)
		if resolved["state"] != "resolved" {
			t.Fatalf("the resolved report: %v", resolved)
		}
		audit := call(t, root, "GET", "/admin/audit?action=report.resolve", nil, http.StatusOK)
		if entries := list(audit, "items"); len(entries) != 1 || !strings.Contains(fmt.Sprint(entries[0]), id) {
			t.Fatalf("A's audit log of report resolutions: %v", audit)
		}
		warnings := call(t, ada, "GET", "/accounts/me/warnings", nil, http.StatusOK)
		if len(list(warnings, "items")) != 1 {
			t.Errorf("ada's warnings: %v", warnings)
		}
		lap("B's report in A's queue, resolved with a warning, audited")

		// A block of B's domain: B's posts leave A's views, and new ones
		// are refused at A's inbox.
		if !inNetwork(t, ada, fromB.URI) {
			t.Fatalf("before the block, A's network timeline lacks %s", fromB.URI)
		}
		call(t, root, "POST", "/admin/domain-blocks", object{"domain": domainOf(b), "severity": "suspend",
			"public_comment": "spam"}, http.StatusCreated)
		if inNetwork(t, ada, fromB.URI) {
			t.Errorf("after the block, A's network timeline still shows %s", fromB.URI)
		}
		after := bob.Post(t, "Still there?")
		fedtest.Eventually(t, within, "A refuses B's delivery after the block", func() error {
			for _, d := range b.DeliveriesOf(t, "Create", after.URI) {
				if strings.HasPrefix(d.Inbox, a.BaseURL) && d.LastStatus == http.StatusForbidden {
					return nil
				}
			}
			return fmt.Errorf("B's deliveries of its note: %+v", b.DeliveriesOf(t, "Create", after.URI))
		})
		if _, ok := a.NoteByURI(t, after.URI); ok {
			t.Error("A stored B's note after the block")
		}
		blocks := call(t, root, "GET", "/admin/audit?action=domain.", nil, http.StatusOK)
		if len(list(blocks, "items")) < 2 {
			t.Errorf("A's audit log of domain decisions: %v", blocks)
		}
		lap("block of B: its posts out of A's views and inbox")
	})
}

// domainOf is an instance's domain as a policy names it: its host
// without the port.
func domainOf(in *fedtest.Instance) string {
	host := in.Host
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return host
}

// inNetwork reports whether u's network timeline (its first page) shows
// the note uri.
func inNetwork(t *testing.T, u *fedtest.User, uri string) bool {
	t.Helper()
	var page struct {
		Items []json.RawMessage `json:"items"`
	}
	if status, raw := u.Call(t, "GET", "/timelines/network?limit=40", nil, &page); status != http.StatusOK {
		t.Fatalf("network timeline: HTTP %d %s", status, raw)
	}
	for _, it := range page.Items {
		if strings.Contains(string(it), `"`+uri+`"`) {
			return true
		}
	}
	return false
}
