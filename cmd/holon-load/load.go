package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// load sends GET requests to url, one every interval.
type load struct {
	client   *http.Client
	url      string
	interval time.Duration
}

// sample is one request's timing.
type sample struct {
	due, sent, done time.Time
	err             string // "" when the answer was a 200
}

// report is what a run measured; times are in milliseconds.
type report struct {
	URL          string       `json:"url"`
	Rate         float64      `json:"rate"`
	Duration     string       `json:"duration"`
	Requests     int          `json:"requests"`
	Errors       int          `json:"errors"`
	ErrorSamples []string     `json:"error_samples,omitempty"`
	Achieved     float64      `json:"achieved_rate"`
	Latency      distribution `json:"latency_ms"`
	Service      distribution `json:"service_ms"`
	MaxSendDelay float64      `json:"max_send_delay_ms"`
}

// distribution summarises durations, in milliseconds.
type distribution struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p99_9"`
	Max  float64 `json:"max"`
}

// run sends requests for warmup+measure and reports on those due after the
// warm-up. Requests still running at the end are waited for.
func (l *load) run(ctx context.Context, warmup, measure time.Duration) (report, error) {
	start := time.Now()
	counted := start.Add(warmup)
	end := counted.Add(measure)
	var (
		mu      sync.Mutex
		samples []sample
		wg      sync.WaitGroup
	)
	for i := 0; ; i++ {
		due := start.Add(time.Duration(i) * l.interval)
		if !due.Before(end) {
			break
		}
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
			s := l.do(ctx, due)
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

func (l *load) do(ctx context.Context, due time.Time) sample {
	s := sample{due: due, sent: time.Now()}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.url, nil)
	if err != nil {
		s.done, s.err = time.Now(), err.Error()
		return s
	}
	resp, err := l.client.Do(req)
	if err != nil {
		s.done, s.err = time.Now(), err.Error()
		return s
	}
	_, err = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	s.done = time.Now()
	switch {
	case err != nil:
		s.err = "read body: " + err.Error()
	case resp.StatusCode != http.StatusOK:
		s.err = resp.Status
	}
	return s
}

func summarise(samples []sample, measure time.Duration) report {
	var latency, service []time.Duration
	var maxDelay time.Duration
	seen := map[string]bool{}
	r := report{Requests: len(samples)}
	for _, s := range samples {
		latency = append(latency, s.done.Sub(s.due))
		service = append(service, s.done.Sub(s.sent))
		maxDelay = max(maxDelay, s.sent.Sub(s.due))
		if s.err != "" {
			r.Errors++
			if !seen[s.err] && len(r.ErrorSamples) < 5 {
				seen[s.err] = true
				r.ErrorSamples = append(r.ErrorSamples, s.err)
			}
		}
	}
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
