package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/cmd/holon/holontest"
)

// TestServe_Binary runs the built binary as an operator would: a fresh
// SQLite file, the first start prints the administrator's credentials once,
// SIGTERM ends it cleanly, and a second start prints no credentials.
func TestServe_Binary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := holontest.Build(t)
	dir := t.TempDir()
	env, url := holontest.SQLiteEnv(t, dir)
	env = append(env, "HOLON_LOG_LEVEL=info", "HOLON_SERVER_SHUTDOWN_TIMEOUT=5s")

	first := holontest.MustStart(t, bin, dir, env, url)
	resp, err := http.Get(first.URL + "/readyz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET /readyz = %v, %v; want 200", resp, err)
	}
	if resp != nil {
		_ = resp.Body.Close()
	}
	stopCleanly(t, first)

	out := first.Stdout()
	if n := strings.Count(out, credentialsBanner); n != 2 {
		t.Errorf("the credentials block's banner appears %d times on stdout, want 2 (one block):\n%s", n, out)
	}
	password := regexp.MustCompile(`(?m)^    password    (\S+)$`).FindStringSubmatch(out)
	if password == nil {
		t.Fatalf("no password line on stdout:\n%s", out)
	}
	if !strings.Contains(out, "Holon is serving "+url) {
		t.Errorf("stdout does not give the URL %s:\n%s", url, out)
	}
	logs := first.Stderr()
	if strings.Contains(logs, password[1]) {
		t.Errorf("the logs show the administrator's password:\n%s", logs)
	}
	checkJSONLogs(t, logs, "first administrator account created; its credentials are printed on standard output", "serving", "stopped")

	second := holontest.MustStart(t, bin, dir, env, url)
	stopCleanly(t, second)
	if strings.Contains(second.Stdout(), credentialsBanner) || strings.Contains(second.Stdout(), "password") {
		t.Errorf("the second start printed credentials again:\n%s", second.Stdout())
	}
}

func TestServe_BusyPortFailsBeforeCreatingTheAdministrator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := holontest.Build(t)
	dir := t.TempDir()
	env, url := holontest.SQLiteEnv(t, dir)
	running := holontest.MustStart(t, bin, dir, env, url)

	// A second instance on another file but the same port must fail, and
	// must not have created (and lost) an administrator.
	otherDir := t.TempDir()
	otherEnv := append(env, "HOLON_DATABASE_DSN="+otherDir+"/holon.db")
	stdout, stderr, code, err := holontest.Run(t.Context(), bin, otherDir, otherEnv, "", "serve")
	if err != nil {
		t.Fatal(err)
	}
	if code != exitFailure || !strings.Contains(stderr, "cannot listen on") {
		t.Errorf("serve on a busy port: exit %d, stderr %q; want %d and \"cannot listen on\"", code, stderr, exitFailure)
	}
	if strings.Contains(stdout, credentialsBanner) {
		t.Errorf("serve on a busy port printed credentials:\n%s", stdout)
	}
	stdout, _, code, err = holontest.Run(t.Context(), bin, otherDir, otherEnv, goodPassword+"\n",
		"admin", "account", "create", "--username", "admin", "--email", "admin@example.org", "--password-stdin")
	if err != nil || code != 0 {
		t.Errorf("the name admin is not free on the second database: %v, exit %d, %s", err, code, stdout)
	}
	stopCleanly(t, running)
}

func stopCleanly(t *testing.T, s *holontest.Server) {
	t.Helper()
	start := time.Now()
	code, err := s.Stop(10 * time.Second)
	if err != nil || code != 0 {
		t.Fatalf("after SIGTERM: exit code %d, %v; want 0\nstderr:\n%s", code, err, s.Stderr())
	}
	t.Logf("stopped %s after SIGTERM", time.Since(start).Round(time.Millisecond))
}

// checkJSONLogs checks that every line of logs is a JSON object and that the
// messages want appear in order.
func checkJSONLogs(t *testing.T, logs string, want ...string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var line struct {
			Level   string `json:"level"`
			Message string `json:"message"`
			Time    string `json:"time"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil || line.Level == "" || line.Time == "" {
			t.Errorf("log line is not zerolog JSON: %q", sc.Text())
			continue
		}
		if len(want) > 0 && line.Message == want[0] {
			want = want[1:]
		}
	}
	if len(want) > 0 {
		t.Errorf("logs lack, in order, %q:\n%s", want, logs)
	}
}

// TestServe_InProcessOnBothEngines runs serve through run, as main does, on
// each database: the first start creates the administrator, a cancelled
// context (what SIGTERM does in main) ends it with exit code 0, and a second
// start creates nobody.
func TestServe_InProcessOnBothEngines(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		for _, wantCredentials := range []bool{true, false} {
			addr := holontest.FreeAddr(t)
			env := append(e.env, "HOLON_SERVER_LISTEN="+addr, "HOLON_SERVER_HOST="+addr, "HOLON_LOG_LEVEL=warn")
			ctx, cancel := context.WithCancel(t.Context())
			var stdout, stderr syncBuffer
			code := make(chan int, 1)
			go func() { code <- run(ctx, []string{"serve"}, env, strings.NewReader(""), &stdout, &stderr) }()

			healthy := false
			for deadline := time.Now().Add(10 * time.Second); !healthy && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
					healthy = resp.StatusCode == http.StatusOK
					_ = resp.Body.Close()
				}
			}
			cancel()
			select {
			case c := <-code:
				if c != 0 {
					t.Errorf("serve ended with exit code %d\nstderr:\n%s", c, stderr.String())
				}
			case <-time.After(15 * time.Second):
				t.Fatal("serve did not end after its context was cancelled")
			}
			if !healthy {
				t.Fatalf("serve never answered /healthz\nstderr:\n%s", stderr.String())
			}
			if got := strings.Count(stdout.String(), credentialsBanner) == 2; got != wantCredentials {
				t.Errorf("credentials printed: %v, want %v\nstdout:\n%s", got, wantCredentials, stdout.String())
			}
		}
	})
}
