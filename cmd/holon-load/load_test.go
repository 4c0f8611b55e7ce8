package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestDistributionOf_NearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 1000; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := distributionOf(ds)
	want := distribution{P50: 500, P90: 900, P99: 990, P999: 999, Max: 1000}
	if got != want {
		t.Errorf("distributionOf(1..1000 ms) = %+v, want %+v", got, want)
	}
	if one := distributionOf([]time.Duration{3 * time.Millisecond}); one.P50 != 3 || one.Max != 3 {
		t.Errorf("distributionOf(3 ms) = %+v", one)
	}
}

func TestRun_SendsAtTheRateAndCountsErrors(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1)%10 == 0 {
			http.Error(w, "every tenth fails", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()

	var out bytes.Buffer
	err := run(t.Context(), []string{"-url", srv.URL, "-rate", "200", "-duration", "1s", "-warmup", "0s"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if n := hits.Load(); n != 200 {
		t.Errorf("server saw %d requests, want 200 (200/s for 1 s)", n)
	}
	for _, want := range []string{"requests 200, errors 20", "500 Internal Server Error", "p99"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunClosed_SendsEachRequestOnceOverTheConnections(t *testing.T) {
	var inFlight, most atomic.Int64
	seen := make([]atomic.Int32, 300)
	send := func(_ context.Context, i int) string {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		seen[i].Add(1)
		time.Sleep(time.Millisecond)
		if i%100 == 0 {
			return "418 I'm a teapot"
		}
		return ""
	}
	rep, err := runClosed(t.Context(), 4, len(seen), send)
	if err != nil {
		t.Fatal(err)
	}
	for i := range seen {
		if n := seen[i].Load(); n != 1 {
			t.Fatalf("request %d sent %d times", i, n)
		}
	}
	if m := most.Load(); m > 4 || m < 2 {
		t.Errorf("%d requests at once, want up to 4 (and more than one)", m)
	}
	if rep.Requests != 300 || rep.Errors != 3 || rep.ErrorsBy["418 I'm a teapot"] != 3 || rep.Conns != 4 {
		t.Errorf("report %+v", rep)
	}
}

func TestReadProc_ThisProcess(t *testing.T) {
	p, err := readProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if p.RSS <= 0 || p.HWM < p.RSS {
		t.Errorf("RSS %d, peak %d", p.RSS, p.HWM)
	}
	// Burn CPU until /proc counts 50 ms more of it (a few seconds at most,
	// however busy the machine).
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		later, err := readProc(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if later.CPU-p.CPU >= 50*time.Millisecond {
			return
		}
		for range 1_000_000 {
			p.RSS ^= 1
		}
	}
	t.Errorf("CPU time stayed near %s over 5 s of work", p.CPU)
}
