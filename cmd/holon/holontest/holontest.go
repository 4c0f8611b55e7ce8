// Package holontest builds the real holon binary and runs `holon serve` as a
// child process, on loopback, for end-to-end tests, browser tests and
// start-up benchmarks.
//
// It never fakes the server: what it starts is what an operator runs. The
// child gets the test's environment without the HOLON_<SECTION>_<KEY>
// variables of the developer's shell (HOLON_TEST_* stay), plus those the
// test gives, so a test decides the whole configuration.
package holontest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Package is the import path of the binary.
const Package = "github.com/holon-network/holon/cmd/holon"

// Build compiles the holon binary into a temporary folder of tb and returns
// its path. It is built as the Dockerfile builds it: without cgo.
func Build(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "holon")
	if err := BuildTo(bin); err != nil {
		tb.Fatal(err)
	}
	return bin
}

// BuildTo compiles the holon binary to the file bin, as Build does, for
// callers that share one binary between tests.
//
// It also reads every file of the module first. `go test` caches a passing
// result until a file the test opened changes; it cannot see what a
// `go build` child reads, so without this a change to, say, a template would
// leave the cached result of a browser test standing.
func BuildTo(bin string) error {
	if err := readModule(); err != nil {
		return fmt.Errorf("read the module's files: %w", err)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("the go tool is not on PATH, needed to build %s: %w", Package, err)
	}
	cmd := exec.Command(goTool, "build", "-o", bin, Package)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", Package, err, out)
	}
	return nil
}

// readModule reads every file of the module that holds the working
// directory, but for hidden folders such as .git.
func readModule() error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return errors.New("no go.mod above the working directory")
		}
		root = parent
	}
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			_, err = os.ReadFile(path)
		}
		return err
	})
}

// Env returns the environment for a child holon: this process's own without
// any HOLON_ setting (HOLON_TEST_* excepted), followed by extra
// ("KEY=value").
func Env(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "HOLON_") && !strings.HasPrefix(kv, "HOLON_TEST_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// FreeAddr returns a loopback address with a port nobody listens on now.
func FreeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// SQLiteEnv is the environment of an instance on a fresh SQLite file in dir,
// served and addressed on a free loopback port.
func SQLiteEnv(tb testing.TB, dir string) (env []string, baseURL string) {
	tb.Helper()
	addr := FreeAddr(tb)
	return Env(
		"HOLON_DATABASE_DRIVER=sqlite",
		"HOLON_DATABASE_DSN="+filepath.Join(dir, "holon.db"),
		"HOLON_SERVER_LISTEN="+addr,
		"HOLON_SERVER_HOST="+addr,
		"HOLON_LOG_LEVEL=warn",
	), "http://" + addr
}

// Server is a running `holon serve` process.
type Server struct {
	// URL is the instance's base URL, without a trailing slash.
	URL string
	// Started is when the process was started.
	Started time.Time

	cmd    *exec.Cmd
	stdout lockedBuffer
	stderr lockedBuffer
	done   chan struct{}
	err    error // set before done is closed
}

// Start runs `bin serve` in dir with env and returns at once; baseURL is
// where it will answer. The process is killed when tb ends if it still
// runs.
func Start(tb testing.TB, bin, dir string, env []string, baseURL string) *Server {
	tb.Helper()
	s := &Server{URL: strings.TrimSuffix(baseURL, "/"), done: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Dir = dir
	s.cmd.Env = env
	s.cmd.Stdout = &s.stdout
	s.cmd.Stderr = &s.stderr
	s.Started = time.Now()
	if err := s.cmd.Start(); err != nil {
		tb.Fatalf("start %s serve: %v", bin, err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	tb.Cleanup(func() {
		select {
		case <-s.done:
		default:
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
	return s
}

// WaitHealthy polls /healthz until it answers 200 and returns how long after
// the start it did. It fails if the process exits first or timeout passes.
func (s *Server) WaitHealthy(timeout time.Duration) (time.Duration, error) {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-s.done:
			return 0, fmt.Errorf("holon serve exited before it was healthy (%v)\nstdout:\n%s\nstderr:\n%s", s.err, s.Stdout(), s.Stderr())
		default:
		}
		resp, err := client.Get(s.URL + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(s.Started), nil
			}
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("holon serve was not healthy within %s (last: %v)\nstdout:\n%s\nstderr:\n%s", timeout, err, s.Stdout(), s.Stderr())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// MustStart starts the server and waits until it is healthy, failing tb
// otherwise.
func MustStart(tb testing.TB, bin, dir string, env []string, baseURL string) *Server {
	tb.Helper()
	s := Start(tb, bin, dir, env, baseURL)
	if _, err := s.WaitHealthy(15 * time.Second); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Stop sends SIGTERM and waits up to timeout for the process to end. It
// returns the exit code, or an error if the process had to be killed.
func (s *Server) Stop(timeout time.Duration) (int, error) {
	select {
	case <-s.done:
		return s.exitCode(), nil
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return -1, fmt.Errorf("send SIGTERM: %w", err)
	}
	select {
	case <-s.done:
		return s.exitCode(), nil
	case <-time.After(timeout):
		_ = s.cmd.Process.Kill()
		<-s.done
		return -1, fmt.Errorf("holon serve did not exit within %s of SIGTERM; killed", timeout)
	}
}

func (s *Server) exitCode() int {
	var exit *exec.ExitError
	if errors.As(s.err, &exit) {
		return exit.ExitCode()
	}
	if s.err != nil {
		return -1
	}
	return 0
}

// Pid is the process id.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// RSS returns the resident set size of the process, in bytes, from
// /proc/<pid>/status (Linux only).
func (s *Server) RSS() (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.Pid()))
	if err != nil {
		return 0, fmt.Errorf("read the process status: %w", err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parse VmRSS %q: %w", rest, err)
			}
			return kb << 10, nil
		}
	}
	return 0, errors.New("no VmRSS in /proc/<pid>/status")
}

// Stdout is what the process printed on standard output so far.
func (s *Server) Stdout() string { return s.stdout.String() }

// Stderr is what the process printed on standard error (its logs) so far.
func (s *Server) Stderr() string { return s.stderr.String() }

// Run runs `bin args…` in dir with env and stdin, and returns its standard
// output, standard error and exit code.
func Run(ctx context.Context, bin, dir string, env []string, stdin string, args ...string) (stdout, stderr string, code int, err error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), errOut.String(), exit.ExitCode(), nil
	}
	if err != nil {
		return out.String(), errOut.String(), -1, fmt.Errorf("run %s %s: %w", bin, strings.Join(args, " "), err)
	}
	return out.String(), errOut.String(), 0, nil
}

// lockedBuffer is a bytes.Buffer safe for the process's writer goroutine
// and the test's readers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
