package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
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
