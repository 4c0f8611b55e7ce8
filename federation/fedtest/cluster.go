package fedtest

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/holon-network/holon/cmd/holon/holontest"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// settings are the HOLON_ variables every instance gets, before its own
// (address, database) and the test's.
var settings = []string{
	"HOLON_FEDERATION_ALLOW_PRIVATE_ADDRESSES=true",
	"HOLON_FEDERATION_FETCH_TIMEOUT=5s",
	// Retries and a killed process's claims come back within seconds:
	// its claims are held 4·2s + 2·1s = 10s.
	"HOLON_FEDERATION_DELIVERY_TIMEOUT=2s",
	"HOLON_FEDERATION_DELIVERY_FIRST_RETRY=1s",
	"HOLON_FEDERATION_CLOCK_SKEW=1s",
	"HOLON_SERVER_SHUTDOWN_TIMEOUT=5s",
	"HOLON_LOG_LEVEL=debug",
}

// postgresConns caps each process's PostgreSQL connections: several
// clusters run at once against one server, next to other packages' tests.
const postgresConns = "4"

// Cluster is a set of holon instances started for one test, on one
// database engine. Its instances are killed and their databases dropped
// when the test ends; if it failed, the end of each instance's log is
// written to the test's output.
type Cluster struct {
	t      testing.TB
	Driver store.Driver
	bin    string
	root   string

	mu        sync.Mutex
	instances []*Instance
	nextIP    int
}

// New returns an empty cluster on driver. It skips the test with -short,
// and builds the holon binary if no test has yet.
func New(t testing.TB, driver store.Driver) *Cluster {
	t.Helper()
	if testing.Short() {
		t.Skip("fedtest: the multi-process federation tests are left out with -short")
	}
	c := &Cluster{t: t, Driver: driver, bin: Binary(t), root: t.TempDir(), nextIP: 2}
	t.Cleanup(c.showLogsOnFailure)
	return c
}

// Option changes how an instance is started.
type Option func(*instanceSpec)

type instanceSpec struct {
	front bool
	delay time.Duration
	env   []string
	share *Instance
}

// WithFront puts a recording Front before the instance: its public host is
// the front's address, so every request of its peers goes through it.
func WithFront() Option { return func(s *instanceSpec) { s.front = true } }

// WithSlowInbox puts a recording Front before the instance that holds
// every inbox POST for delay before passing it on: a slow peer.
func WithSlowInbox(delay time.Duration) Option {
	return func(s *instanceSpec) { s.front, s.delay = true, delay }
}

// WithEnv adds HOLON_<SECTION>_<KEY>=value settings, which override the
// cluster's.
func WithEnv(kv ...string) Option { return func(s *instanceSpec) { s.env = append(s.env, kv...) } }

// SharingDatabaseWith makes the instance a second `holon serve` process of
// other: the same database and the same public host (other's address, or
// its front), listening on an address of its own. PostgreSQL only.
func SharingDatabaseWith(other *Instance) Option {
	return func(s *instanceSpec) { s.share = other }
}

// Start starts a new instance called name (a label for logs and folders)
// on the next loopback address, waits until it is ready, and returns it.
// Like StartAll, it fails the test that made the cluster: call it from that
// test's goroutine, not from a subtest.
func (c *Cluster) Start(name string, opts ...Option) *Instance {
	c.t.Helper()
	in := c.launch(name, opts...)
	in.WaitReady(c.t)
	return in
}

// StartAll starts one instance per name, each with opts, all at once, and
// returns them once all are ready.
func (c *Cluster) StartAll(names []string, opts ...Option) []*Instance {
	c.t.Helper()
	out := make([]*Instance, len(names))
	for i, name := range names {
		out[i] = c.launch(name, opts...)
	}
	for _, in := range out {
		in.WaitReady(c.t)
	}
	return out
}

func (c *Cluster) launch(name string, opts ...Option) *Instance {
	c.t.Helper()
	var spec instanceSpec
	for _, o := range opts {
		o(&spec)
	}
	c.mu.Lock()
	ip := fmt.Sprintf("127.0.0.%d", c.nextIP)
	c.nextIP++
	c.mu.Unlock()

	in := &Instance{Name: name, cluster: c, Driver: c.Driver, dir: filepath.Join(c.root, name)}
	if err := os.MkdirAll(in.dir, 0o755); err != nil {
		c.t.Fatal(err)
	}
	in.LogPath = filepath.Join(in.dir, "holon.log")
	in.Listen = freeAddr(c.t, ip)
	in.URL = "http://" + in.Listen
	switch {
	case spec.share != nil:
		if c.Driver != store.Postgres {
			c.t.Fatalf("fedtest: %s cannot share %s's database: only PostgreSQL serves several processes", name, spec.share.Name)
		}
		in.Host, in.DSN = spec.share.Host, spec.share.DSN
	case spec.front:
		in.Front = startFront(c.t, c, ip, in.Listen, spec.delay)
		in.Host = in.Front.Addr
	default:
		in.Host = in.Listen
	}
	if in.DSN == "" {
		if c.Driver == store.SQLite {
			in.DSN = filepath.Join(in.dir, "holon.db")
		} else {
			_, in.DSN = storetest.DSN(c.t, c.Driver)
		}
	}
	in.BaseURL = "http://" + in.Host
	own := []string{
		"HOLON_DATABASE_DRIVER=" + string(c.Driver),
		"HOLON_DATABASE_DSN=" + in.DSN,
		"HOLON_SERVER_LISTEN=" + in.Listen,
		"HOLON_SERVER_HOST=" + in.Host,
		"HOLON_INSTANCE_NAME=" + name,
	}
	if c.Driver == store.Postgres {
		own = append(own, "HOLON_DATABASE_MAX_OPEN_CONNS="+postgresConns)
	}
	in.env = holontest.Env(merge(settings, own, spec.env)...)

	c.mu.Lock()
	c.instances = append(c.instances, in)
	c.mu.Unlock()
	c.t.Cleanup(in.kill)
	in.launch(c.t)
	return in
}

// merge joins lists of KEY=value settings; a later list overrides a key of
// an earlier one.
func merge(lists ...[]string) []string {
	var out []string
	at := map[string]int{}
	for _, list := range lists {
		for _, kv := range list {
			k, _, _ := strings.Cut(kv, "=")
			if i, ok := at[k]; ok {
				out[i] = kv
				continue
			}
			at[k] = len(out)
			out = append(out, kv)
		}
	}
	return out
}

// freeAddr returns ip:port with a port nobody listens on now.
func freeAddr(t testing.TB, ip string) string {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("find a free port on %s: %v", ip, err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// logTail is how many lines of each log a failed test shows.
const logTail = 60

func (c *Cluster) showLogsOnFailure() {
	if !c.t.Failed() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, in := range c.instances {
		c.t.Logf("--- %s (%s, %s): last %d lines of %s ---\n%s", in.Name, in.Host, c.Driver, logTail, in.LogPath, tail(in.LogPath, logTail))
		if in.Front != nil {
			c.t.Logf("--- %s: front received %d inbox POSTs ---", in.Name, len(in.Front.Received()))
		}
	}
}

// tail returns the last n lines of the file at path.
func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"… " + strconv.Itoa(len(lines)-n) + " lines before"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// processOf returns the name of the instance whose running process holds
// the local end of a connection from addr, or "".
func (c *Cluster) processOf(addr string) string {
	c.mu.Lock()
	names := map[int]string{}
	var pids []int
	for _, in := range c.instances {
		if p := in.running(); p != nil {
			names[p.cmd.Process.Pid] = in.Name
			pids = append(pids, p.cmd.Process.Pid)
		}
	}
	c.mu.Unlock()
	return names[socketOwner(addr, pids)]
}
