// Command holon-load sends HTTP GET requests at a fixed rate, open loop, and
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
	"strings"
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
	client := &http.Client{
		Timeout: *timeout,
		Transport: &http.Transport{
			MaxIdleConns:        *conns,
			MaxIdleConnsPerHost: *conns,
			MaxConnsPerHost:     *conns,
			IdleConnTimeout:     time.Minute,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	l := &load{client: client, url: *target, interval: time.Duration(float64(time.Second) / *rate)}
	rep, err := l.run(ctx, *warmup, *duration)
	if err != nil {
		return err
	}
	rep.URL, rep.Rate, rep.Duration = *target, *rate, duration.String()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.print(stdout)
	return nil
}

// print writes the report for people.
func (r report) print(w io.Writer) {
	fmt.Fprintf(w, "GET %s at %.0f requests/s for %s (open loop, %d CPUs)\n", r.URL, r.Rate, r.Duration, runtime.NumCPU())
	fmt.Fprintf(w, "  requests %d, errors %d, achieved %.1f requests/s\n", r.Requests, r.Errors, r.Achieved)
	if len(r.ErrorSamples) > 0 {
		fmt.Fprintf(w, "  errors seen: %s\n", strings.Join(r.ErrorSamples, "; "))
	}
	fmt.Fprintf(w, "  latency from when each request was due (ms):\n")
	fmt.Fprintf(w, "    p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.P999, r.Latency.Max)
	fmt.Fprintf(w, "  service time, from when it was sent (ms):\n")
	fmt.Fprintf(w, "    p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", r.Service.P50, r.Service.P90, r.Service.P99, r.Service.P999, r.Service.Max)
	fmt.Fprintf(w, "  most late a request was sent: %.2f ms\n", r.MaxSendDelay)
}
