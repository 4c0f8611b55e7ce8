package delivery

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/holon-network/holon/federation/fetch"
)

func TestRetryAfter_SecondsOrDateCapped(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		header string
		want   time.Duration
	}{
		{"", 0},
		{"120", 120 * time.Second},
		{" 7 ", 7 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"99999999999999999999", MaxRetryAfter},
		{"86400", MaxRetryAfter},
		{now.Add(10 * time.Minute).Format(http.TimeFormat), 10 * time.Minute},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{now.Add(72 * time.Hour).Format(http.TimeFormat), MaxRetryAfter},
		{"soon", 0},
	}
	for _, tc := range cases {
		t.Run(tc.header, func(t *testing.T) {
			if got := retryAfter(http.Header{"Retry-After": {tc.header}}, now); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// The schedule the issue asks for: first retry within a minute, at least
// 12 attempts, about two days in all, whatever the jitter draws.
func TestRetrySchedule_FirstWithinAMinuteAboutTwoDaysInAll(t *testing.T) {
	if MaxAttempts < 12 {
		t.Fatalf("MaxAttempts %d, want at least 12", MaxAttempts)
	}
	for range 200 {
		var total time.Duration
		for attempt := 1; attempt < MaxAttempts; attempt++ {
			d := retryDelay(FirstRetry, attempt)
			if attempt == 1 && (d <= 0 || d > time.Minute) {
				t.Fatalf("first retry after %s", d)
			}
			total += d
		}
		if total < 36*time.Hour || total > 60*time.Hour {
			t.Fatalf("%d attempts span %s, want about two days", MaxAttempts, total)
		}
		if total > GiveUpAfter*6/5 {
			t.Fatalf("schedule of %s runs well past GiveUpAfter %s", total, GiveUpAfter)
		}
	}
}

func TestCircuitOpenFor_GrowsThenCaps(t *testing.T) {
	prev := time.Duration(0)
	for f := CircuitThreshold; f < CircuitThreshold+30; f++ {
		d := circuitOpenFor(f)
		if d < prev || d > CircuitMaxOpen {
			t.Fatalf("after %d failures: %s (before: %s)", f, d, prev)
		}
		prev = d
	}
	if circuitOpenFor(CircuitThreshold) != CircuitOpen || prev != CircuitMaxOpen {
		t.Fatalf("from %s to %s", circuitOpenFor(CircuitThreshold), prev)
	}
}

func TestJudge_StatusesAndErrors(t *testing.T) {
	cases := []struct {
		name      string
		got       outcome
		verdict   verdict
		hostFault bool
		wait      time.Duration
	}{
		{"200", judgeAnswer(200, 0), verdictDelivered, false, 0},
		{"202", judgeAnswer(202, 0), verdictDelivered, false, 0},
		{"204", judgeAnswer(204, 0), verdictDelivered, false, 0},
		{"301", judgeAnswer(301, 0), verdictDrop, false, 0},
		{"400", judgeAnswer(400, 0), verdictDrop, false, 0},
		{"401", judgeAnswer(401, 0), verdictDrop, false, 0},
		{"403", judgeAnswer(403, 0), verdictDrop, false, 0},
		{"404", judgeAnswer(404, 0), verdictDrop, false, 0},
		{"408", judgeAnswer(408, 0), verdictRetry, true, 0},
		{"410", judgeAnswer(410, 0), verdictDrop, false, 0},
		{"413", judgeAnswer(413, 0), verdictDrop, false, 0},
		{"429 without Retry-After", judgeAnswer(429, 0), verdictRetry, false, FirstRetry},
		{"429 with Retry-After", judgeAnswer(429, time.Hour), verdictRetry, false, time.Hour},
		{"500", judgeAnswer(500, 0), verdictRetry, true, 0},
		{"503 with Retry-After", judgeAnswer(503, time.Minute), verdictRetry, true, time.Minute},
		{"refused connection", judgeError(errors.New("dial tcp: connection refused")), verdictRetry, true, 0},
		{"private address", judgeError(fmt.Errorf("dial: %w", fetch.ErrPrivateAddress)), verdictDrop, false, 0},
		{"refused URL", judgeError(fmt.Errorf("%w: ftp", errRefused)), verdictDrop, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got.verdict != tc.verdict || tc.got.hostFault != tc.hostFault || tc.got.wait != tc.wait {
				t.Fatalf("got %+v", tc.got)
			}
			if tc.verdict != verdictDelivered && tc.got.reason == "" {
				t.Fatal("no reason for last_error")
			}
		})
	}
}

func TestNormalizeInbox(t *testing.T) {
	cases := []struct {
		in, inbox, host string
		bad             bool
	}{
		{in: "https://Mastodon.Example/inbox", inbox: "https://mastodon.example/inbox", host: "mastodon.example"},
		{in: "HTTPS://mastodon.example:443/inbox#x", inbox: "https://mastodon.example/inbox", host: "mastodon.example"},
		{in: "http://127.0.0.2:8080/inbox", inbox: "http://127.0.0.2:8080/inbox", host: "127.0.0.2:8080"},
		{in: "https://[2001:db8::1]:443/inbox", inbox: "https://[2001:db8::1]/inbox", host: "[2001:db8::1]"},
		{in: "https://host.example", inbox: "https://host.example/", host: "host.example"},
		{in: "https://host.example/users/a/inbox?x=1", inbox: "https://host.example/users/a/inbox?x=1", host: "host.example"},
		{in: "ftp://host.example/inbox", bad: true},
		{in: "/inbox", bad: true},
		{in: "https://user:pw@host.example/inbox", bad: true},
		{in: "mailto:a@b", bad: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			inbox, host, err := normalizeInbox(tc.in)
			if tc.bad {
				if err == nil || host != "" {
					t.Fatalf("accepted: %s %s", inbox, host)
				}
				return
			}
			if err != nil || inbox != tc.inbox || host != tc.host {
				t.Fatalf("got %q %q %v", inbox, host, err)
			}
		})
	}
}
