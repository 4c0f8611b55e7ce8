package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// result is what one in-process run of the command line gave.
type result struct {
	stdout, stderr string
	code           int
}

// holon runs the command line in-process with env as its whole environment
// and stdin as its standard input.
func holon(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, env, strings.NewReader(stdin), &stdout, &stderr)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// engine is a fresh, empty database on one engine, and the environment that
// points the command line at it.
type engine struct {
	driver store.Driver
	dsn    string
	env    []string
}

// eachEngine runs fn once per database engine, as a subtest, on an empty
// (not migrated) database.
func eachEngine(t *testing.T, fn func(t *testing.T, e engine)) {
	t.Helper()
	for _, d := range storetest.Drivers {
		t.Run(string(d), func(t *testing.T) {
			driver, dsn := storetest.DSN(t, d)
			fn(t, engine{driver: driver, dsn: dsn, env: []string{
				"HOLON_DATABASE_DRIVER=" + string(driver),
				"HOLON_DATABASE_DSN=" + dsn,
			}})
		})
	}
}

// members opens the engine's database, as the server would, to check what a
// command did.
func (e engine) members(t *testing.T) *membership.Service {
	t.Helper()
	db, err := store.Open(t.Context(), e.driver, e.dsn, 2)
	if err != nil {
		t.Fatalf("open %s: %v", e.driver, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate %s: %v", e.driver, err)
	}
	return membership.New(db, core.SystemClock{}, membership.Policy{})
}

func (r result) wantSuccess(t *testing.T) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit code %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

func (r result) wantFailure(t *testing.T, code int, stderrHas ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range stderrHas {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
}
