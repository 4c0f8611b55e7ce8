package fedtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/holon-network/holon/cmd/holon/holontest"
	"github.com/holon-network/holon/store"
)

// Timeouts of the process's life.
const (
	readyWithin = 30 * time.Second // start, migrations included
	stopWithin  = 15 * time.Second // graceful stop after SIGTERM
	cliWithin   = 30 * time.Second // one `holon admin` command
)

// Instance is one `holon serve` process, its address and its database.
// It may be stopped, killed and started again on the same address and
// database.
type Instance struct {
	Name string
	// Listen is the address the process listens on; URL is http://Listen,
	// where the tests call its API.
	Listen, URL string
	// Host is the public host[:port] of the instance's ids: Listen, or
	// its Front's address; BaseURL is http://Host.
	Host, BaseURL string
	// Front records what peers POST to the instance; nil unless started
	// WithFront.
	Front *Front
	// Driver and DSN name the database.
	Driver store.Driver
	DSN    string
	// LogPath is the file the process writes its logs and output to,
	// across restarts.
	LogPath string

	cluster *Cluster
	dir     string
	env     []string

	mu     sync.Mutex
	proc   *process
	starts int

	dbOnce sync.Once
	db     *store.DB
	dbErr  error
}

// process is one run of `holon serve`.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // set before done is closed
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Start runs `holon serve` for the instance and waits until it answers
// /readyz. It fails t if the instance already runs, if the process exits
// first, or if it is not ready in time.
func (in *Instance) Start(t testing.TB) {
	t.Helper()
	in.launch(t)
	in.WaitReady(t)
}

// launch starts the process and returns at once.
func (in *Instance) launch(t testing.TB) {
	t.Helper()
	in.mu.Lock()
	if in.proc != nil && !in.proc.exited() {
		in.mu.Unlock()
		t.Fatalf("fedtest: %s is already running", in.Name)
	}
	in.starts++
	log, err := os.OpenFile(in.LogPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		in.mu.Unlock()
		t.Fatalf("open the log of %s: %v", in.Name, err)
	}
	fmt.Fprintf(log, "=== fedtest: start #%d of %s at %s ===\n", in.starts, in.Name, time.Now().Format(time.RFC3339Nano))
	p := &process{cmd: exec.Command(in.cluster.bin, "serve"), done: make(chan struct{})}
	p.cmd.Dir = in.dir
	p.cmd.Env = in.env
	p.cmd.Stdout, p.cmd.Stderr = log, log
	err = p.cmd.Start()
	_ = log.Close() // the child has its own descriptor
	if err != nil {
		in.mu.Unlock()
		t.Fatalf("start holon serve for %s: %v", in.Name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	in.proc = p
	in.mu.Unlock()
}

// WaitReady waits until the instance's process answers /readyz; it fails t
// if the process exits first or is not ready in time.
func (in *Instance) WaitReady(t testing.TB) {
	t.Helper()
	in.mu.Lock()
	p := in.proc
	in.mu.Unlock()
	if p == nil {
		t.Fatalf("fedtest: %s was never started", in.Name)
	}
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(readyWithin)
	for {
		if p.exited() {
			t.Fatalf("%s: holon serve exited before it was ready (%v); log:\n%s", in.Name, p.err, tail(in.LogPath, logTail))
		}
		resp, err := client.Get(in.URL + "/readyz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not ready within %s (last: %v); log:\n%s", in.Name, readyWithin, err, tail(in.LogPath, logTail))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// running returns the current process, or nil if none runs.
func (in *Instance) running() *process {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.proc == nil || in.proc.exited() {
		return nil
	}
	return in.proc
}

// Running reports whether the instance's process runs.
func (in *Instance) Running() bool { return in.running() != nil }

// Stop ends the instance gracefully (SIGTERM) and waits for the process to
// exit; it fails t if the process does not exit in time or exits with an
// error.
func (in *Instance) Stop(t testing.TB) {
	t.Helper()
	p := in.running()
	if p == nil {
		t.Fatalf("fedtest: %s is not running", in.Name)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("stop %s: %v", in.Name, err)
	}
	select {
	case <-p.done:
	case <-time.After(stopWithin):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("%s did not exit within %s of SIGTERM; killed", in.Name, stopWithin)
	}
	if p.err != nil {
		t.Fatalf("%s exited with %v after SIGTERM; log:\n%s", in.Name, p.err, tail(in.LogPath, logTail))
	}
}

// Kill ends the instance with SIGKILL, as a crash would: nothing runs after
// the signal, no claim is given back. It waits for the process to be gone.
func (in *Instance) Kill(t testing.TB) {
	t.Helper()
	p := in.running()
	if p == nil {
		t.Fatalf("fedtest: %s is not running", in.Name)
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill %s: %v", in.Name, err)
	}
	<-p.done
}

// kill ends the process, if it runs, when the test ends.
func (in *Instance) kill() {
	if p := in.running(); p != nil {
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// Admin runs `holon args…` on the instance's configuration and database,
// with stdin as standard input, and returns its standard output. It fails t
// if the command fails.
func (in *Instance) Admin(t testing.TB, stdin string, args ...string) string {
	t.Helper()
	out, err := in.run(stdin, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// run is Admin for any goroutine.
func (in *Instance) run(stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cliWithin)
	defer cancel()
	stdout, stderr, code, err := holontest.Run(ctx, in.cluster.bin, in.dir, in.env, stdin, args...)
	if err != nil || code != 0 {
		return stdout, fmt.Errorf("%s: holon %s: exit %d, %v\nstdout: %s\nstderr: %s", in.Name, strings.Join(args, " "), code, err, stdout, stderr)
	}
	return stdout, nil
}

// RotateKey runs `holon admin key rotate --actor NAME` on the instance and
// returns what it printed.
func (in *Instance) RotateKey(t testing.TB, actor string) string {
	t.Helper()
	return in.Admin(t, "", "admin", "key", "rotate", "--actor", actor)
}

// Password is the password of the accounts NewUser creates.
const Password = "fedtest password"

// NewUser creates the account name with `holon admin account create` and
// a token for it with `holon admin token create`.
func (in *Instance) NewUser(t testing.TB, name string) *User {
	t.Helper()
	u, err := in.createUser(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// NewAdmin is NewUser for an administrator of the instance.
func (in *Instance) NewAdmin(t testing.TB, name string) *User {
	t.Helper()
	u, err := in.createUser(name, "--admin")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (in *Instance) createUser(name string, flags ...string) (*User, error) {
	args := append([]string{"admin", "account", "create", "--username", name, "--email", name + "@example.org", "--password-stdin"}, flags...)
	if _, err := in.run(Password+"\n", args...); err != nil {
		return nil, err
	}
	out, err := in.run("", "admin", "token", "create", "--username", name, "--label", "fedtest")
	if err != nil {
		return nil, err
	}
	token := strings.TrimSpace(out)
	if token == "" {
		return nil, fmt.Errorf("%s: holon admin token create printed no token", in.Name)
	}
	return &User{In: in, Name: name, Token: token}, nil
}

// Account names an account to create on an instance.
type Account struct {
	In   *Instance
	Name string
}

// NewUsers creates the accounts as NewUser does, in the order given on each
// instance and at the same time on different instances, and returns them
// in the order given.
func NewUsers(t testing.TB, accounts ...Account) []*User {
	t.Helper()
	users := make([]*User, len(accounts))
	byInstance := map[*Instance][]int{}
	for i, a := range accounts {
		byInstance[a.In] = append(byInstance[a.In], i)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for in, indexes := range byInstance {
		wg.Go(func() {
			for _, i := range indexes {
				u, err := in.createUser(accounts[i].Name)
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				users[i] = u
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return users
}

// ActorURI is the id of the local actor name.
func (in *Instance) ActorURI(name string) string { return in.BaseURL + "/actors/" + name }
