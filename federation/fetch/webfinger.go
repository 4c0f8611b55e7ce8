package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// ErrNoActor is returned when WebFinger knows the account but names no
// ActivityPub actor for it.
var ErrNoActor = errors.New("WebFinger names no ActivityPub actor")

// maxJRD bounds a WebFinger answer.
const maxJRD = 64 << 10

// WebFinger finds the actor id of the account name@host (RFC 7033), with
// the same guards as Get (SSRF, timeout). It asks over https; when private
// addresses are allowed (tests, closed networks) it falls back to http.
// Redirects are not followed.
func (c *Client) WebFinger(ctx context.Context, acct string) (string, error) {
	acct = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(acct), "acct:"), "@")
	name, host, ok := strings.Cut(acct, "@")
	if !ok || name == "" || host == "" || strings.ContainsAny(host, "/?#@ ") || len(acct) > 512 {
		return "", fmt.Errorf("%q is not an account name@host: %w", acct, ErrURLRefused)
	}
	schemes := []string{"https"}
	if c.allowPrivate {
		schemes = append(schemes, "http")
	}
	var lastErr error
	for _, scheme := range schemes {
		u := &url.URL{Scheme: scheme, Host: host, Path: "/.well-known/webfinger",
			RawQuery: "resource=" + url.QueryEscape("acct:"+name+"@"+host)}
		actor, err := c.webfinger(ctx, u)
		if err == nil {
			return actor, nil
		}
		lastErr = err
	}
	return "", fmt.Errorf("webfinger %s: %w", acct, lastErr)
}

func (c *Client) webfinger(ctx context.Context, u *url.URL) (string, error) {
	if err := c.allowed(ctx, u); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/jrd+json, application/json")
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return "", ErrNotFound
	case resp.StatusCode == http.StatusGone:
		return "", ErrGone
	case resp.StatusCode != http.StatusOK:
		return "", &StatusError{Code: resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJRD+1))
	if err != nil {
		return "", err
	}
	if len(body) > maxJRD {
		return "", ErrTooLarge
	}
	var jrd struct {
		Links []struct {
			Rel, Type, Href string
		} `json:"links"`
	}
	if err := json.Unmarshal(body, &jrd); err != nil {
		return "", fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && IsActivityStreams(l.Type) && l.Href != "" {
			return l.Href, nil
		}
	}
	return "", ErrNoActor
}
