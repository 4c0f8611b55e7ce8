package delivery

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry schedule. Attempt n+1 follows attempt n by FirstRetry·2^(n-1),
// capped at MaxRetryDelay, ±20% jitter: 30 s, 1 min, 2 min … 8.5 h, 16 h,
// 16 h, 16 h. MaxAttempts attempts span about 49 hours; then the delivery
// has failed. Options.FirstRetry moves the start of the schedule (tests
// shorten it); the doubling and the cap stay.
const (
	FirstRetry    = 30 * time.Second
	MaxRetryDelay = 16 * time.Hour
	MaxAttempts   = 14
	// GiveUpAfter is when a delivery that its host's circuit keeps putting
	// off (without attempts, so MaxAttempts never comes) fails: just past
	// the end of the retry schedule.
	GiveUpAfter = 50 * time.Hour
	// MaxRetryAfter caps how long a peer's Retry-After makes us wait.
	MaxRetryAfter = 12 * time.Hour
)

// Circuit breaker. After CircuitThreshold consecutive failures of a host
// (refused connections, timeouts, 5xx, 408), its circuit opens for
// CircuitOpen, doubled with each further failure up to CircuitMaxOpen.
const (
	CircuitThreshold = 5
	CircuitOpen      = time.Minute
	CircuitMaxOpen   = 6 * time.Hour
)

// retryDelay is the wait after the attempts-th failed attempt, when the
// first retry waits first.
func retryDelay(first time.Duration, attempts int) time.Duration {
	return jitter(doubled(first, attempts-1, MaxRetryDelay))
}

// circuitOpenFor is how long a host's circuit stays open after failures
// consecutive failures (at least CircuitThreshold).
func circuitOpenFor(failures int) time.Duration {
	return doubled(CircuitOpen, failures-CircuitThreshold, CircuitMaxOpen)
}

// doubled is base·2^n, capped; overflow is capped too.
func doubled(base time.Duration, n int, limit time.Duration) time.Duration {
	n = max(n, 0)
	if n > 40 {
		return limit
	}
	d := base << n
	if d > limit || d <= 0 {
		return limit
	}
	return d
}

// jitter spreads d over ±20%, so that deliveries that failed together (a
// fan-out to a host that was down) do not retry in lockstep.
func jitter(d time.Duration) time.Duration {
	spread := int64(d) / 5
	if spread <= 0 {
		return d
	}
	return d - time.Duration(spread) + time.Duration(rand.Int64N(2*spread+1))
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date,
// as a wait from now, capped at MaxRetryAfter; 0 when absent, unreadable
// or in the past.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	secs, err := strconv.ParseInt(v, 10, 64)
	switch {
	case err == nil && secs >= int64(MaxRetryAfter/time.Second):
		return MaxRetryAfter
	case err == nil:
		d = time.Duration(secs) * time.Second
	case errors.Is(err, strconv.ErrRange):
		if secs > 0 {
			return MaxRetryAfter
		}
	default:
		if t, err := http.ParseTime(v); err == nil {
			d = t.Sub(now)
		}
	}
	return min(max(d, 0), MaxRetryAfter)
}
