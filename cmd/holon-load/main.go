// Command holon-load measures a running Holon server from outside, as
// another server or a browser would reach it.
//
// Without a mode it sends HTTP GET requests at a fixed rate, open loop, and
// reports latency percentiles: what wrk2 does, which Debian does not ship
// (its wrk is closed loop: it waits for each answer before the next request,
// so a slow server gets fewer requests and its tail latency hides).
//
//	holon-load -url http://127.0.0.1:8080/@jardin -rate 200 -duration 30s
//
// Request i is due at start + i/rate whatever happened before. Its latency
// runs from when it was due, not from when it was sent, so a client that
// falls behind counts its own delay instead of hiding the server's (the
// "coordinated omission" correction of wrk2). Requests of the warm-up are
// sent but not counted. Any status other than 200 is an error.
//
// Two modes play remote ActivityPub servers (see their -h):
//
//	holon-load inbox ...   signed activities to the shared inbox (inbox.go)
//	holon-load fanout ...  a post delivered to followers on many hosts (fanout.go)
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "holon-load:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "inbox":
			return runInbox(ctx, args[1:], stdout)
		case "fanout":
			return runFanout(ctx, args[1:], stdout)
		}
	}
	return runGet(ctx, args, stdout)
}

func runGet(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("holon-load", flag.ContinueOnError)
	var (
		target   = fs.String("url", "", "URL to GET (required)")
		rate     = fs.Float64("rate", 200, "requests per second")
		duration = fs.Duration("duration", 30*time.Second, "how long to measure")
		warmup   = fs.Duration("warmup", 3*time.Second, "how long to send requests before measuring")
		timeout  = fs.Duration("timeout", 10*time.Second, "limit of one request")
		conns    = fs.Int("connections", 64, "most keep-alive connections to the server")
		asJSON   = fs.Bool("json", false, "print the report as JSON")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *target == "" || *rate <= 0 || *duration <= 0 {
		return fmt.Errorf("-url, a positive -rate and a positive -duration are required")
	}
	client := newClient(*timeout, *conns)
	get := func(ctx context.Context, _ int) string {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, *target, nil)
		if err != nil {
			return err.Error()
		}
		resp, err := client.Do(req)
		return statusOf(resp, err, http.StatusOK)
	}
	l := &load{interval: interval(*rate), send: get}
	rep, err := l.run(ctx, *warmup, *duration)
	if err != nil {
		return err
	}
	rep.URL, rep.Rate, rep.Duration = *target, *rate, duration.String()
	if *asJSON {
		return writeJSON(stdout, rep)
	}
	rep.print(stdout, fmt.Sprintf("GET %s at %.0f requests/s for %s (open loop, %d CPUs)", rep.URL, rep.Rate, rep.Duration, runtime.NumCPU()))
	return nil
}

// newClient returns a client keeping up to conns connections to the server
// open, which never follows redirects.
func newClient(timeout time.Duration, conns int) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			IdleConnTimeout:     time.Minute,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func interval(rate float64) time.Duration { return time.Duration(float64(time.Second) / rate) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
