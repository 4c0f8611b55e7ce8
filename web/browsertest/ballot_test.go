package browsertest

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_CastABallot is a member voting on a proposal: the
// association and a proposal in its consensus round are set up through the
// pages' forms over plain HTTP; then Bob, in Chromium, logs in, opens the
// proposal, picks "I object", says why and records his ballot; the page
// confirms it, shows his ballot and counts one objection.
func TestBrowser_CastABallot(t *testing.T) {
	base, alice := startJardin(t, nil)
	bob := newFormClient(t, base, "bob")
	bob.signUp()
	bob.post("/@jardin/join", nil)
	proposal, _, _ := strings.Cut(alice.post("/@jardin/proposals/new", url.Values{"category": {"general"},
		"title": {"Ouvrir le jardin le dimanche"}, "body": {"De dix heures à midi."}}), "?")

	browser := startBrowser(t)
	v := newVisitor(t, browser, base, "bob")
	v.logIn()
	v.open(proposal)
	v.step("pick “I object”", func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#position-object")))
	})
	v.fill("#ballot", map[string]string{"reason": "Sunday mornings are for the market."})
	v.submit("#ballot", proposal+"/ballots")
	if notice := v.text(".notice"); !strings.Contains(notice, "Your ballot is recorded.") {
		v.failf("no confirmation of the ballot; .notice reads %q", notice)
	}
	if mine := v.text("#my-ballot"); !strings.Contains(mine, "Your ballot: I object") {
		v.failf("#my-ballot reads %q", mine)
	}
	if n := v.text("#count-object"); n != "1" {
		v.failf("the live tally counts %q objections, want 1", n)
	}
	v.screenshot("ballot.png")
}
