package browsertest

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/holon-network/holon/cmd/holon/holontest"
)

// TestBrowser_ReserveATask is a professional reserving paid work: the
// association, its accepted project and its funded task are set up through
// the pages' forms over plain HTTP; then Bob, in Chromium, logs in, opens
// the task, picks the last day the date picker allows and reserves it.
func TestBrowser_ReserveATask(t *testing.T) {
	base, alice := startJardin(t, url.Values{"debate_period": {"72h"}, "board_may_evaluate_projects": {"on"}})
	tom := newFormClient(t, base, "tom")
	tom.signUp()
	tom.post("/@jardin/join", nil)
	alice.post("/@jardin/members/tom", url.Values{"action": {"role"}, "role": {"treasurer"}})
	project := strings.TrimPrefix(alice.post("/@jardin/projects/new", url.Values{"project_name": {"Potager"}, "licence": {"CC-BY-SA-4.0"},
		"architecture": {"decentralised"}}), "/projects/")
	project, _, _ = strings.Cut(project, "?")
	alice.post("/projects/"+project+"/evaluation", url.Values{"verdict": {"accept"}})
	task := strings.TrimPrefix(alice.post("/projects/"+project+"/tasks/new", url.Values{"task_name": {"Bêcher les planches"},
		"category": {"other"}, "done_criteria": {"Trois planches bêchées"}, "budget": {"80.00"}, "max_reservation": {"240h"},
		"reviewers": {"@alice"}}), "/tasks/")
	task, _, _ = strings.Cut(task, "?")
	tom.post("/@jardin/donations", url.Values{"amount": {"80.00"}, "target": {"general"}, "reference": {"VIR-1"}})
	tom.post("/tasks/"+task+"/allocations", url.Values{"amount": {"80.00"}, "from": {"general"}})
	newFormClient(t, base, "bob").signUp()

	browser := startBrowser(t)
	bob := newVisitor(t, browser, base, "bob")
	bob.logIn()
	bob.open("/tasks/" + task)
	var min, max string
	bob.step("read the date picker", func(ctx context.Context) error {
		lo, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#until"), "min"))
		if err != nil {
			return err
		}
		hi, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#until"), "max"))
		min, max = lo.Value, hi.Value
		return err
	})
	now := time.Now().UTC()
	if min != now.Format("2006-01-02") || max != now.Add(240*time.Hour).Format("2006-01-02") {
		bob.failf("the date picker runs from %q to %q, want today to ten days from now", min, max)
	}
	bob.set("#reserve", "until", max)
	bob.submit("#reserve", "")
	if notice := bob.text(".notice"); !strings.Contains(notice, "The task is reserved for you.") {
		bob.failf("no confirmation of the reservation; .notice reads %q", notice)
	}
	if status := bob.text("#reserved-by"); !strings.Contains(status, "Reserved by @bob") || !strings.Contains(status, max) {
		bob.failf("the task does not show bob's reservation until %s; #reserved-by reads %q", max, status)
	}
	bob.screenshot("reserved.png")
}

// formClient posts the pages' forms as a person would, without a browser,
// to set the scene of a browser test quickly.
type formClient struct {
	t        *testing.T
	base     string
	username string
	c        *http.Client
}

// startJardin runs the holon binary on a fresh SQLite file, with Chromium
// at hand, and returns its address and alice, who created the association
// jardin through the forms: its settings are the defaults below, changed
// by settings.
func startJardin(t *testing.T, settings url.Values) (base string, alice *formClient) {
	t.Helper()
	requireChromium(t)
	bin := holontest.Build(t)
	dir := t.TempDir()
	env, base := holontest.SQLiteEnv(t, dir)
	holontest.MustStart(t, bin, dir, env, base)
	alice = newFormClient(t, base, "alice")
	alice.signUp()
	alice.post("/associations/new", url.Values{"name": {"jardin"}, "display_name": {"Jardin partagé"}, "currency": {"EUR"}})
	form := url.Values{"display_name": {"Jardin partagé"}, "currency": {"EUR"}, "join_mode": {"free"},
		"visibility": {"public"}, "probation_period": {"0s"}, "debate_period": {"0s"}, "consensus_period": {"168h"},
		"value_vote_period": {"168h"}, "max_reservation_period": {"720h"}, "board_may_allocate_up_to": {"500.00"}}
	for k, v := range settings {
		form[k] = v
	}
	alice.post("/@jardin/settings", form)
	return base, alice
}

func newFormClient(t *testing.T, base, username string) *formClient {
	jar, _ := cookiejar.New(nil)
	return &formClient{t: t, base: base, username: username, c: &http.Client{Jar: jar, Timeout: stepTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// post sends form to path and returns where the 303 answer leads.
func (f *formClient) post(path string, form url.Values) string {
	f.t.Helper()
	resp, err := f.c.PostForm(f.base+path, form)
	if err != nil {
		f.t.Fatalf("POST %s: %v", path, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("POST %s as %s: %d, want 303", path, f.username, resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// signUp creates the account with the password visitor.logIn types.
func (f *formClient) signUp() {
	f.t.Helper()
	f.post("/signup", url.Values{"username": {f.username}, "display_name": {f.username}, "email": {f.username + "@example.org"},
		"password": {"a long passphrase for " + f.username}, "locale": {"en"}})
}
