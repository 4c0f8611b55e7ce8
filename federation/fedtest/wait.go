package fedtest

import (
	"testing"
	"time"
)

// Eventually calls cond until it returns nil, and fails t if it has not
// within the given time. cond's last error says what the state was; what
// says what was awaited. Polling starts fast and slows down to a few
// times a second, so that a condition met at once costs nothing.
func Eventually(t testing.TB, within time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(within)
	wait := 10 * time.Millisecond
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s; last: %v", what, within, err)
		}
		time.Sleep(wait)
		wait = min(2*wait, 250*time.Millisecond)
	}
}
