package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// sender makes the i-th request of a run and returns "" when the answer was
// the expected one, or what went wrong (a status line, an error).
type sender func(ctx context.Context, i int) string

// load sends requests at a fixed rate, one every interval.
type load struct {
	interval time.Duration
	send     sender
}

// sample is one request's timing.
type sample struct {
	due, sent, done time.Time
	err             string // "" when the answer was the expected one
}

// report is what a run measured; times are in milliseconds.
type report struct {
	URL      string         `json:"url"`
	Rate     float64        `json:"rate,omitempty"`        // open loop
	Conns    int            `json:"connections,omitempty"` // closed loop
	Duration string         `json:"duration"`
	Requests int            `json:"requests"`
	Errors   int            `json:"errors"`
	ErrorsBy map[string]int `json:"errors_by,omitempty"` // by status line or error, the first few kinds
	Achieved float64        `json:"achieved_rate"`
	Latency  distribution   `json:"latency_ms"`
	Service  distribution   `json:"service_ms"`
	// MaxSendDelay is how late the latest request was sent (open loop).
	MaxSendDelay float64 `json:"max_send_delay_ms"`
}

// distribution summarises durations, in milliseconds.
type distribution struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p99_9"`
	Max  float64 `json:"max"`
}

// count is how many requests run sends over warmup+measure.
func (l *load) count(warmup, measure time.Duration) int {
	total := warmup + measure
	return int((total + l.interval - 1) / l.interval)
}

// run sends requests for warmup+measure and reports on those due after the
// warm-up. Requests still running at the end are waited for.
func (l *load) run(ctx context.Context, warmup, measure time.Duration) (report, error) {
	start := time.Now()
	counted := start.Add(warmup)
	n := l.count(warmup, measure)
	var (
		mu      sync.Mutex
		samples []sample
		wg      sync.WaitGroup
	)
	for i := range n {
		due := start.Add(time.Duration(i) * l.interval)
		if d := time.Until(due); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return report{}, ctx.Err()
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := sample{due: due, sent: time.Now()}
			s.err = l.send(ctx, i)
			s.done = time.Now()
			if due.Before(counted) {
				return
			}
			mu.Lock()
			samples = append(samples, s)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(samples) == 0 {
		return report{}, fmt.Errorf("no request was measured")
	}
	return summarise(samples, measure), nil
}

// runClosed sends n requests over conns connections, each waiting for its
// answer before the next (closed loop): the rate it achieves is the
// capacity. A request's latency is its service time.
func runClosed(ctx context.Context, conns, n int, send sender) (report, error) {
	var (
		next    atomic.Int64
		mu      sync.Mutex
		samples = make([]sample, 0, n)
		wg      sync.WaitGroup
	)
	start := time.Now()
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				s := sample{sent: time.Now()}
				s.due = s.sent
				s.err = send(ctx, i)
				s.done = time.Now()
				mu.Lock()
				samples = append(samples, s)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return report{}, err
	}
	if len(samples) == 0 {
		return report{}, fmt.Errorf("no request was measured")
	}
	r := summarise(samples, time.Since(start))
	r.Conns = conns
	return r, nil
}

// maxErrorKinds bounds the kinds of errors a report tells apart.
const maxErrorKinds = 10

func summarise(samples []sample, measure time.Duration) report {
	var latency, service []time.Duration
	var maxDelay time.Duration
	r := report{Requests: len(samples), ErrorsBy: map[string]int{}}
	for _, s := range samples {
		latency = append(latency, s.done.Sub(s.due))
		service = append(service, s.done.Sub(s.sent))
		maxDelay = max(maxDelay, s.sent.Sub(s.due))
		if s.err != "" {
			r.Errors++
			kind := s.err
			if _, ok := r.ErrorsBy[kind]; !ok && len(r.ErrorsBy) >= maxErrorKinds {
				kind = "other"
			}
			r.ErrorsBy[kind]++
		}
	}
	r.Duration = measure.Round(time.Millisecond).String()
	r.Achieved = float64(len(samples)) / measure.Seconds()
	r.Latency = distributionOf(latency)
	r.Service = distributionOf(service)
	r.MaxSendDelay = ms(maxDelay)
	return r
}

// distributionOf returns the nearest-rank percentiles of ds.
func distributionOf(ds []time.Duration) distribution {
	slices.Sort(ds)
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(ds))+0.999999) - 1
		return ds[min(max(i, 0), len(ds)-1)]
	}
	return distribution{P50: ms(rank(0.50)), P90: ms(rank(0.90)), P99: ms(rank(0.99)), P999: ms(rank(0.999)), Max: ms(ds[len(ds)-1])}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// print writes the report for people; what is the first line.
func (r report) print(w io.Writer, what string) {
	fmt.Fprintln(w, what)
	fmt.Fprintf(w, "  requests %d, errors %d, achieved %.1f requests/s\n", r.Requests, r.Errors, r.Achieved)
	if len(r.ErrorsBy) > 0 {
		kinds := make([]string, 0, len(r.ErrorsBy))
		for k := range r.ErrorsBy {
			kinds = append(kinds, k)
		}
		sort.Slice(kinds, func(i, j int) bool { return r.ErrorsBy[kinds[i]] > r.ErrorsBy[kinds[j]] })
		var parts []string
		for _, k := range kinds {
			parts = append(parts, fmt.Sprintf("%s ×%d", k, r.ErrorsBy[k]))
		}
		fmt.Fprintf(w, "  errors seen: %s\n", strings.Join(parts, "; "))
	}
	if r.Conns == 0 {
		fmt.Fprintf(w, "  latency from when each request was due (ms):\n")
		fmt.Fprintf(w, "    p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.P999, r.Latency.Max)
	}
	fmt.Fprintf(w, "  service time, from when it was sent (ms):\n")
	fmt.Fprintf(w, "    p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", r.Service.P50, r.Service.P90, r.Service.P99, r.Service.P999, r.Service.Max)
	if r.Conns == 0 {
		fmt.Fprintf(w, "  most late a request was sent: %.2f ms\n", r.MaxSendDelay)
	}
}

// statusOf reads and closes resp and returns "" when its status is want,
// else the status line.
func statusOf(resp *http.Response, err error, want int) string {
	if err != nil {
		return err.Error()
	}
	_, err = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	switch {
	case err != nil:
		return "read body: " + err.Error()
	case resp.StatusCode != want:
		return resp.Status
	}
	return ""
}
