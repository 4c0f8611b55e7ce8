package delivery

import (
	"context"
	"crypto/rsa"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/federation/httpsig"
	"github.com/holon-network/holon/store"
)

// ContentType is the Content-Type of every delivery, as Mastodon sends it.
const ContentType = "application/activity+json"

// maxDrain is how much of an answer's body is read (and discarded) so that
// the connection can serve the next delivery to the same host.
const maxDrain = 64 << 10

// poster POSTs deliveries: one HTTP client shared by the workers, keeping
// connections open between deliveries to the same host.
type poster struct {
	http         *http.Client
	allowPrivate bool
	timeout      time.Duration
	userAgent    string
}

func newPoster(opts Options) *poster {
	dialer := &net.Dialer{Timeout: opts.Timeout, KeepAlive: 30 * time.Second}
	if !opts.AllowPrivate {
		// Checked once the name is resolved, for each address dialled: DNS
		// rebinding cannot lead a delivery to the services next to us.
		dialer.Control = fetch.DialControl
	}
	return &poster{
		http: &http.Client{
			Transport: &http.Transport{
				// No proxy from the environment: the guard must see the
				// address of the peer itself.
				Proxy:                 nil,
				DialContext:           dialer.DialContext,
				TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
				ForceAttemptHTTP2:     true,
				TLSHandshakeTimeout:   opts.Timeout,
				ResponseHeaderTimeout: opts.Timeout,
				MaxIdleConns:          256,
				MaxIdleConnsPerHost:   opts.Workers,
				IdleConnTimeout:       90 * time.Second,
			},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		allowPrivate: opts.AllowPrivate,
		timeout:      opts.Timeout,
		userAgent:    opts.UserAgent,
	}
}

// post signs d's body with key and POSTs it to d's inbox.
func (s *poster) post(ctx context.Context, d store.Delivery, keyID string, key *rsa.PrivateKey, now time.Time) outcome {
	if err := s.checkURL(d.Inbox); err != nil {
		return judgeError(err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Inbox, nil)
	if err != nil {
		return judgeError(fmt.Errorf("%w: %w", errRefused, err))
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("User-Agent", s.userAgent)
	if err := httpsig.SignPOST(req, []byte(d.Body), keyID, key, now); err != nil {
		return outcome{verdict: verdictRetry, reason: err.Error()}
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return judgeError(err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	_ = resp.Body.Close()
	return judgeAnswer(resp.StatusCode, retryAfter(resp.Header, now))
}

// checkURL refuses an inbox that is not https (http only with
// AllowPrivate), before any connection.
func (s *poster) checkURL(inbox string) error {
	u, err := url.Parse(inbox)
	switch {
	case err != nil:
		return fmt.Errorf("%w: inbox %q is not a URL", errRefused, inbox)
	case u.Scheme == "https", u.Scheme == "http" && s.allowPrivate:
	default:
		return fmt.Errorf("%w: inbox %s: the scheme must be https", errRefused, u.Redacted())
	}
	return nil
}
