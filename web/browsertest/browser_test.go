package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/holon-network/holon/cmd/holon/holontest"
)

// chromiumPath is where Debian's chromium package installs the browser.
const chromiumPath = "/usr/bin/chromium"

// stepTimeout bounds each page load or form submission.
const stepTimeout = 20 * time.Second

// TestBrowser_FoundJoinAndListMembers is the newcomer's path through the
// pages: Alice signs up, logs in, founds an association and logs out; Bob
// signs up, logs in, joins it, and the members page lists them both.
func TestBrowser_FoundJoinAndListMembers(t *testing.T) {
	requireChromium(t)
	bin := holontest.Build(t)
	dir := t.TempDir()
	env, base := holontest.SQLiteEnv(t, dir)
	holontest.MustStart(t, bin, dir, env, base)
	browser := startBrowser(t)

	alice := newVisitor(t, browser, base, "alice")
	alice.signUp("Alice Martin")
	alice.logIn()
	alice.open("/associations/new")
	alice.fill("#new-association", map[string]string{
		"name":         "jardin",
		"display_name": "Jardin partagé",
		"summary":      "A shared garden run by its neighbours.",
		"statutes":     "Article 1. The garden belongs to everyone who tends it.",
	})
	alice.set("#new-association", "currency", "EUR")
	alice.submit("#new-association", "/associations/new")
	alice.logOut()

	bob := newVisitor(t, browser, base, "bob")
	bob.signUp("Bob Durand")
	bob.logIn()
	bob.open("/@jardin")
	bob.click("#join button")
	bob.open("/@jardin/members")
	members := bob.text("#members")
	for _, who := range []string{"@alice", "@bob"} {
		if !strings.Contains(members, who) {
			bob.failf("the members page does not list %s; #members reads:\n%s", who, members)
		}
	}
	bob.screenshot("members.png")
}

// TestBrowser_PostLikeAndSeeOnHome is a person's first note: Ada signs up,
// logs in, posts from the home page, likes her note, and finds it on her
// home timeline with its like counted.
func TestBrowser_PostLikeAndSeeOnHome(t *testing.T) {
	requireChromium(t)
	bin := holontest.Build(t)
	dir := t.TempDir()
	env, base := holontest.SQLiteEnv(t, dir)
	holontest.MustStart(t, bin, dir, env, base)
	browser := startBrowser(t)

	ada := newVisitor(t, browser, base, "ada")
	ada.signUp("Ada Lovelace")
	ada.logIn()
	ada.open("/")
	ada.fill("#compose", map[string]string{"content": "The garden opens on **Saturday** #jardin"})
	ada.set("#compose", "visibility", "public")
	ada.submit("#compose", "")
	if notice := ada.text(".notice"); !strings.Contains(notice, "Your note is posted.") {
		ada.failf("no confirmation after posting; .notice reads %q", notice)
	}
	ada.click(`.timeline form[action^="/@ada/notes/"] button`)
	timeline := ada.text(".timeline")
	for _, want := range []string{"The garden opens on Saturday #jardin", "1 like", "Unlike"} {
		if !strings.Contains(timeline, want) {
			ada.failf("the home timeline lacks %q; it reads:\n%s", want, timeline)
		}
	}
	ada.screenshot("home.png")
}

// requireChromium skips the test when Chromium is missing, except on CI.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		msg := fmt.Sprintf("browser tests need Debian's chromium at %s (apt-get install chromium): %v", chromiumPath, err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// startBrowser starts headless Chromium with a fresh profile and the flags
// that keep it off the network (this machine's network is closed; without
// them Chromium retries Google's services all the time).
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.WindowSize(1280, 900),
	)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	// The first run starts the browser; it must not carry a timeout, which
	// would end the browser with it.
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return browser
}

// visitor is one person in a browser profile of their own (a separate
// browser context, so separate cookies).
type visitor struct {
	t        *testing.T
	ctx      context.Context
	base     string
	username string
	password string
}

func newVisitor(t *testing.T, browser context.Context, base, username string) *visitor {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a browser context for %s: %v", username, err)
	}
	return &visitor{t: t, ctx: ctx, base: base, username: username, password: "a long passphrase for " + username}
}

// step runs fn with a context bounded by stepTimeout.
func (v *visitor) step(what string, fn func(ctx context.Context) error) {
	v.t.Helper()
	ctx, cancel := context.WithTimeout(v.ctx, stepTimeout)
	defer cancel()
	if err := fn(ctx); err != nil {
		v.failf("%s: %v", what, err)
	}
}

// open loads path and requires a 200.
func (v *visitor) open(path string) {
	v.t.Helper()
	v.step("open "+path, func(ctx context.Context) error {
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(v.base+path))
		if err != nil {
			return err
		}
		if resp.Status != 200 {
			return fmt.Errorf("status %d %s", resp.Status, resp.StatusText)
		}
		return nil
	})
}

// fill types values into the named fields of form.
func (v *visitor) fill(form string, values map[string]string) {
	v.t.Helper()
	for name, value := range values {
		v.step("type into "+form+" "+name, func(ctx context.Context) error {
			return chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(fieldSelector(form, name)), value))
		})
	}
}

// set sets the value of a field that is not typed into, such as a select.
func (v *visitor) set(form, name, value string) {
	v.t.Helper()
	v.step("set "+form+" "+name, func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(fieldSelector(form, name)), value))
	})
}

func fieldSelector(form, name string) string {
	return fmt.Sprintf(`%s [name="%s"]`, form, name)
}

// submit submits form, waits for the page it leads to and requires that
// the answer is not an error and that the browser left from (a form that
// failed is shown again at its own address).
func (v *visitor) submit(form, from string) {
	v.t.Helper()
	v.step("submit "+form, func(ctx context.Context) error {
		resp, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS(form)))
		if err != nil {
			return err
		}
		return landed(resp, from)
	})
}

// click clicks a button that submits a form and waits for the next page.
func (v *visitor) click(button string) {
	v.t.Helper()
	v.step("click "+button, func(ctx context.Context) error {
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
		if err != nil {
			return err
		}
		return landed(resp, "")
	})
}

func landed(resp *network.Response, from string) error {
	if resp.Status >= 400 {
		return fmt.Errorf("answered %d %s at %s", resp.Status, resp.StatusText, resp.URL)
	}
	u, err := url.Parse(resp.URL)
	if err != nil {
		return fmt.Errorf("landed on %q: %w", resp.URL, err)
	}
	if from != "" && u.Path == from {
		return fmt.Errorf("still on %s after submitting: the form was refused", from)
	}
	return nil
}

func (v *visitor) signUp(displayName string) {
	v.t.Helper()
	v.open("/signup")
	v.fill("#signup", map[string]string{
		"username":     v.username,
		"display_name": displayName,
		"email":        v.username + "@example.org",
		"password":     v.password,
	})
	v.set("#signup", "locale", "en")
	v.submit("#signup", "/signup")
}

// logIn logs in from a browser without cookies, so that it is the log-in
// form, not the sign-up, that opens the session.
func (v *visitor) logIn() {
	v.t.Helper()
	v.step("clear cookies", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{})
		return err
	})
	v.open("/login")
	v.fill("#login", map[string]string{"username": v.username, "password": v.password})
	v.submit("#login", "/login")
}

// logOut submits the log-out form of the current page (POST /logout) and
// checks that the page it leads to offers no log-out any more.
func (v *visitor) logOut() {
	v.t.Helper()
	const logout = `form[action="/logout"]`
	v.submit(logout, "")
	v.step("check the session ended", func(ctx context.Context) error {
		still, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('`+logout+`') !== null`))
		if err != nil {
			return err
		}
		if still {
			return fmt.Errorf("the page after logging out still offers to log out")
		}
		return nil
	})
}

// text returns the visible text of the element sel.
func (v *visitor) text(sel string) string {
	v.t.Helper()
	var text string
	v.step("read "+sel, func(ctx context.Context) error {
		var err error
		text, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		return err
	})
	return text
}

// screenshot saves a PNG of the whole page in the test's temporary folder
// (and in HOLON_TEST_SCREENSHOTS when set) and logs where.
func (v *visitor) screenshot(name string) {
	v.t.Helper()
	ctx, cancel := context.WithTimeout(v.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		v.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	dirs := []string{v.t.TempDir()}
	if keep := os.Getenv("HOLON_TEST_SCREENSHOTS"); keep != "" {
		dirs = append(dirs, keep)
	}
	for _, dir := range dirs {
		path := filepath.Join(dir, v.t.Name()[strings.LastIndex(v.t.Name(), "/")+1:]+"-"+v.username+"-"+name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			v.t.Errorf("write screenshot: %v", err)
			continue
		}
		v.t.Logf("screenshot: %s", path)
	}
}

// failf ends the test with what the browser shows: the address, the text of
// the page and a screenshot.
func (v *visitor) failf(format string, args ...any) {
	v.t.Helper()
	ctx, cancel := context.WithTimeout(v.ctx, 5*time.Second)
	defer cancel()
	where, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	v.screenshot("failure.png")
	v.t.Fatalf("%s (as %s)\npage %s reads:\n%s", fmt.Sprintf(format, args...), v.username, where, body)
}
