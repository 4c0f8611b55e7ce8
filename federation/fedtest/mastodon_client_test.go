package fedtest_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/holon-network/holon/federation/fedtest"
	"github.com/holon-network/holon/store"
)

// mastojsDir holds the JavaScript scenario and its one dependency, masto.js.
var mastojsDir = filepath.Join("..", "..", "web", "mastodon", "mastojs")

// npmInstall installs masto.js from the registry, once per test run, as the
// lockfile pins it.
var npmInstall = sync.OnceValue(func() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = mastojsDir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("npm ci in %s: %w\n%s", mastojsDir, err, out)
	}
	return nil
})

// requireNode skips the test when Node.js is missing, except on CI, where
// the scenario must run.
func requireNode(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is needed for the masto.js scenario: %v", tool, err)
			}
			t.Skipf("%s is missing: the masto.js scenario needs Node.js and npm", tool)
		}
	}
}

// The Mastodon client API's "done when": masto.js, a Mastodon client library,
// drives a running instance A as an app does (web/mastodon/mastojs/
// scenario.mjs). It registers apps and logs ada, mia and sam in with PKCE,
// pages ada's home timeline, posts a status with a poll and votes in it,
// votes in garden's proposal as mia (a member: counted) and as sam (not a
// member: not counted), finds orchard on B by @name@host and follows it,
// reads ada's notifications and gets one live from her stream. The test
// then checks through Holon's own API that the tally counted mia alone.
func TestMastodonClient_MastoJS(t *testing.T) {
	t.Parallel()
	requireNode(t)
	if testing.Short() {
		t.Skip("the masto.js scenario runs real instances")
	}
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		if err := npmInstall(); err != nil {
			t.Fatal(err)
		}
		lap := stopwatch(t)
		c := fedtest.New(t, driver)
		in := c.StartAll([]string{"a", "b"})
		a, b := in[0], in[1]
		users := fedtest.NewUsers(t, fedtest.Account{In: a, Name: "ada"}, fedtest.Account{In: a, Name: "mia"},
			fedtest.Account{In: a, Name: "sam"}, fedtest.Account{In: b, Name: "bob"})
		ada, mia, bob := users[0], users[1], users[3]
		call(t, ada, "POST", "/associations", object{"name": "garden"}, http.StatusCreated)
		call(t, ada, "PATCH", "/associations/garden", object{"probation_period": "0s",
			"debate_period": "0s", "consensus_period": "1h"}, http.StatusOK)
		call(t, mia, "POST", "/associations/garden/members", nil, http.StatusCreated)
		call(t, bob, "POST", "/associations", object{"name": "orchard"}, http.StatusCreated)
		proposal := call(t, ada, "POST", "/associations/garden/proposals", object{"category": "general",
			"title": "Plant a hedge along the north side", "body": "Hawthorn and hazel."}, http.StatusCreated)
		proposalID, _ := proposal["id"].(string)
		phaseBecomes(t, ada, proposalID, "consensus")
		lap("two instances, garden with a proposal in consensus, orchard")

		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "node", "scenario.mjs")
		cmd.Dir = mastojsDir
		cmd.Env = append(os.Environ(), "HOLON_A_URL="+a.BaseURL, "HOLON_B_HOST="+b.Host,
			"HOLON_PASSWORD="+fedtest.Password, "HOLON_PROPOSAL_ID="+proposalID)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		t.Logf("masto.js scenario:\n%s", out.String())
		if err != nil {
			t.Fatalf("the masto.js scenario failed: %v", err)
		}
		lap("masto.js scenario")

		tally := call(t, ada, "GET", "/proposals/"+proposalID+"/tally", nil, http.StatusOK)
		count, _ := tally["count"].(map[string]any)
		outside, _ := tally["outside"].(map[string]any)
		if count["participants"] != 1.0 || outside["agree"] != 1.0 {
			t.Fatalf("the tally after mia's and sam's poll votes: %v", tally)
		}
	})
}
