package delivery

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/holon-network/holon/federation/fetch"
)

// verdict is what becomes of a delivery after one attempt.
type verdict int

const (
	verdictDelivered verdict = iota + 1
	verdictDrop              // never retried
	verdictRetry             // retried on the schedule, then failed
	verdictAborted           // the worker is stopping: not an attempt
)

// outcome is what one attempt produced and what follows from it.
type outcome struct {
	verdict verdict
	status  int    // HTTP status, 0 when there was no answer
	reason  string // for last_error; empty when delivered
	// hostFault says the host, not the delivery, failed: it counts towards
	// the host's circuit breaker.
	hostFault bool
	// wait is the peer's Retry-After: the least wait before this delivery
	// and the host's others are tried again.
	wait time.Duration
}

// errRefused is a delivery refused before any connection, by policy.
var errRefused = errors.New("refused")

// judgeError classifies an attempt that got no answer.
func judgeError(err error) outcome {
	switch {
	case errors.Is(err, fetch.ErrPrivateAddress), errors.Is(err, errRefused):
		// Retrying cannot help: the address or URL is refused by policy.
		return outcome{verdict: verdictDrop, reason: err.Error()}
	}
	return outcome{verdict: verdictRetry, reason: err.Error(), hostFault: true}
}

// judgeAnswer classifies an attempt by the status it was answered with;
// wait is the answer's Retry-After.
func judgeAnswer(status int, wait time.Duration) outcome {
	o := outcome{status: status, reason: fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))}
	switch {
	case status >= 200 && status < 300:
		return outcome{verdict: verdictDelivered, status: status}
	case status >= 300 && status < 400:
		// Following a redirect with a signed POST would send the activity
		// somewhere its sender did not address; the inbox URL is wrong.
		o.verdict, o.reason = verdictDrop, o.reason+": redirects are not followed for deliveries"
	case status == http.StatusTooManyRequests:
		// The host is well but wants us slower: hold its deliveries, do not
		// count a failure.
		o.verdict, o.wait = verdictRetry, wait
		if o.wait == 0 {
			o.wait = FirstRetry
		}
	case status == http.StatusRequestTimeout:
		o.verdict, o.hostFault = verdictRetry, true
	case status == http.StatusGone:
		o.verdict, o.reason = verdictDrop, o.reason+": the recipient is gone"
	case status >= 400 && status < 500:
		o.verdict = verdictDrop
	case status == http.StatusServiceUnavailable:
		o.verdict, o.hostFault, o.wait = verdictRetry, true, wait
	default: // 5xx and anything unexpected
		o.verdict, o.hostFault = verdictRetry, true
	}
	return o
}
