package fetch

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Accept is the Accept header of every fetch: the two media types
// ActivityPub defines for its objects.
const Accept = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// MaxRedirects is how many redirects one fetch follows; the next one is
// refused with ErrTooManyRedirects.
const MaxRedirects = 3

// Defaults used for the zero values of Options.
const (
	DefaultTimeout   = 10 * time.Second
	DefaultMaxBytes  = 1 << 20
	DefaultUserAgent = "Holon"
)

// Signer signs an outgoing GET, typically with the instance actor's key
// (draft-cavage HTTP signatures over (request-target), host, date and
// accept). It is called once per request, redirects included, after every
// other header is set, and may add headers such as Date and Signature.
type Signer interface {
	SignGET(r *http.Request) error
}

// Options configure a Client. Zero values take the defaults above.
type Options struct {
	// AllowPrivate lets the client dial private, loopback and link-local
	// addresses and fetch plain http URLs: for tests and closed networks
	// only (federation.allow_private_addresses).
	AllowPrivate bool
	// Timeout bounds a whole Get, redirects and the refetch from the
	// document's id included.
	Timeout time.Duration
	// MaxBytes is the largest body accepted; a larger one is ErrTooLarge.
	MaxBytes int64
	// UserAgent identifies the instance, e.g. "Holon/1.2 (+https://host/)".
	UserAgent string
	// Signer signs each request; nil sends them unsigned.
	Signer Signer
	// Hosts refuses the hosts the instance does not federate with (domain
	// blocks); nil refuses none. Every hop of a fetch is asked.
	Hosts HostPolicy
}

// HostPolicy tells which hosts may not be fetched from.
type HostPolicy interface {
	RefuseHost(ctx context.Context, host string) error
}

// Document is a fetched ActivityPub document, not yet interpreted.
type Document struct {
	// URL is the document's id as it wrote it, which Get has checked is the
	// URL the document was finally served from (up to the case of the
	// scheme and host, and a default port).
	URL string
	// Raw is the body as received.
	Raw []byte
	// ContentType is the Content-Type header of the answer.
	ContentType string
}

// Client fetches remote ActivityPub objects. It is safe for concurrent use
// and keeps connections open between fetches, so make one and share it.
type Client struct {
	http         *http.Client
	allowPrivate bool
	timeout      time.Duration
	maxBytes     int64
	userAgent    string
	signer       Signer
	hosts        HostPolicy
}

// New returns a Client for opts.
func New(opts Options) *Client {
	return newClient(opts, guard{}, nil)
}

// newClient lets tests replace the address guard and trust their own TLS
// certificates.
func newClient(opts Options, g guard, tlsConfig *tls.Config) *Client {
	c := &Client{
		allowPrivate: opts.AllowPrivate,
		timeout:      opts.Timeout,
		maxBytes:     opts.MaxBytes,
		userAgent:    opts.UserAgent,
		signer:       opts.Signer,
		hosts:        opts.Hosts,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxBytes
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	dialer := &net.Dialer{Timeout: c.timeout, KeepAlive: 30 * time.Second}
	if !opts.AllowPrivate {
		dialer.Control = g.control
	}
	if tlsConfig == nil {
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	c.http = &http.Client{
		Transport: &http.Transport{
			// No proxy from the environment: the guard must see the
			// address of the server itself, not of a proxy.
			Proxy:               nil,
			DialContext:         dialer.DialContext,
			TLSClientConfig:     tlsConfig,
			ForceAttemptHTTP2:   true,
			TLSHandshakeTimeout: c.timeout,
			MaxIdleConns:        100,
			MaxIdleConnsPerHost: 4,
			IdleConnTimeout:     90 * time.Second,
		},
		// Redirects are followed by fetchOnce, which checks and signs
		// each hop.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return c
}

// CloseIdleConnections closes the connections kept open between fetches.
func (c *Client) CloseIdleConnections() {
	c.http.CloseIdleConnections()
}

// Get fetches the ActivityPub object at rawURL (a fragment, as in a key id
// "…/actor#main-key", is not sent and not compared).
//
// The document's id must be the URL it was finally served from, after
// redirects. When it is not, the document is fetched again from its id, and
// that answer must satisfy the same rule; the Document returned is then the
// one from the id. This is how a key id such as ".../main-key" served as a
// stub leads to its actor. It is stricter than Mastodon, which accepts a
// document whose id is the URL it asked for, wherever redirects led: with
// that rule an open redirect on a host lets anyone publish objects in that
// host's name.
func (c *Client) Get(ctx context.Context, rawURL string) (Document, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	name := redacted(rawURL)
	doc, id, err := c.fetchOnce(ctx, rawURL)
	if err != nil {
		return Document{}, fmt.Errorf("fetch %s: %w", name, err)
	}
	if id == "" {
		return Document{}, fmt.Errorf("fetch %s: %w: the document has no id", name, ErrIDMismatch)
	}
	if sameURL(id, doc.URL) {
		doc.URL = id
		return doc, nil
	}
	// Only the host of the id can vouch for the document: ask it.
	if u, err := url.Parse(id); err != nil {
		return Document{}, fmt.Errorf("fetch %s: %w: id %s is not a URL", name, ErrIDMismatch, redacted(id))
	} else if err := c.allowed(ctx, u); err != nil {
		return Document{}, fmt.Errorf("fetch %s: %w: id %s cannot be fetched: %w", name, ErrIDMismatch, redacted(id), err)
	}
	doc, again, err := c.fetchOnce(ctx, id)
	if err != nil {
		return Document{}, fmt.Errorf("fetch %s: served with id %s, refetch from it: %w", name, id, err)
	}
	if again == "" || !sameURL(again, doc.URL) {
		return Document{}, fmt.Errorf("fetch %s: served with id %s, whose own document at %s has id %q: %w",
			name, id, doc.URL, again, ErrIDMismatch)
	}
	doc.URL = again
	return doc, nil
}

// fetchOnce follows redirects from rawURL and returns the document found at
// the end, with the id it claims.
func (c *Client) fetchOnce(ctx context.Context, rawURL string) (Document, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Document{}, "", fmt.Errorf("%w: %w", ErrURLRefused, err)
	}
	for redirects := 0; ; redirects++ {
		if err := c.allowed(ctx, u); err != nil {
			return Document{}, "", err
		}
		u.Fragment, u.RawFragment = "", ""
		resp, err := c.do(ctx, u)
		if err != nil {
			return Document{}, "", err
		}
		if !isRedirect(resp.StatusCode) {
			defer resp.Body.Close()
			return c.read(resp, u)
		}
		// Drain a little so that the connection can be reused.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		resp.Body.Close()
		location := resp.Header.Get("Location")
		if location == "" {
			return Document{}, "", fmt.Errorf("%s: redirect without Location: %w", u.Redacted(), &StatusError{Code: resp.StatusCode})
		}
		if redirects == MaxRedirects {
			return Document{}, "", fmt.Errorf("%s: %w (at most %d)", u.Redacted(), ErrTooManyRedirects, MaxRedirects)
		}
		next, err := u.Parse(location)
		if err != nil {
			return Document{}, "", fmt.Errorf("%s: redirect: %w: %w", u.Redacted(), ErrURLRefused, err)
		}
		u = next
	}
}

// allowed checks u with checkURL, then asks the host policy.
func (c *Client) allowed(ctx context.Context, u *url.URL) error {
	if err := c.checkURL(u); err != nil {
		return err
	}
	if c.hosts == nil {
		return nil
	}
	if err := c.hosts.RefuseHost(ctx, u.Host); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrHostRefused, u.Redacted(), err)
	}
	return nil
}

// checkURL accepts absolute https URLs, and http ones when private addresses
// are allowed, without user information.
func (c *Client) checkURL(u *url.URL) error {
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && c.allowPrivate:
	default:
		return fmt.Errorf("%w: %s: the scheme must be https", ErrURLRefused, u.Redacted())
	}
	if u.User != nil {
		return fmt.Errorf("%w: %s: user information is not allowed", ErrURLRefused, u.Redacted())
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return fmt.Errorf("%w: %s: no host", ErrURLRefused, u.Redacted())
	}
	return nil
}

func (c *Client) do(ctx context.Context, u *url.URL) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrURLRefused, err)
	}
	req.Host = u.Host // set, so that a signer reads what is sent
	req.Header.Set("Accept", Accept)
	req.Header.Set("User-Agent", c.userAgent)
	if c.signer != nil {
		if err := c.signer.SignGET(req); err != nil {
			return nil, fmt.Errorf("sign GET %s: %w", u, err)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err // a *url.Error, which names the method and URL
	}
	return resp, nil
}

// read checks the final answer and returns its document and id.
func (c *Client) read(resp *http.Response, u *url.URL) (Document, string, error) {
	if resp.StatusCode != http.StatusOK {
		return Document{}, "", fmt.Errorf("%s: %w", u, &StatusError{Code: resp.StatusCode})
	}
	contentType := resp.Header.Get("Content-Type")
	if !IsActivityStreams(contentType) {
		return Document{}, "", fmt.Errorf("%s: %w: %q", u, ErrContentType, contentType)
	}
	if resp.ContentLength > c.maxBytes {
		return Document{}, "", fmt.Errorf("%s: %w: %d bytes announced, at most %d", u, ErrTooLarge, resp.ContentLength, c.maxBytes)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return Document{}, "", fmt.Errorf("%s: read body: %w", u, err)
	}
	if int64(len(raw)) > c.maxBytes {
		return Document{}, "", fmt.Errorf("%s: %w: more than %d bytes", u, ErrTooLarge, c.maxBytes)
	}
	id, err := documentID(raw)
	if err != nil {
		return Document{}, "", fmt.Errorf("%s: %w", u, err)
	}
	return Document{URL: u.String(), Raw: raw, ContentType: contentType}, id, nil
}

// redacted hides the password of a URL, for messages.
func redacted(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return strconv.Quote(rawURL)
	}
	return u.Redacted()
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}
