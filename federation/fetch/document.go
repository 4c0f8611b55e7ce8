package fetch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/url"
	"slices"
	"strings"
)

// activityStreamsProfile is the profile that makes application/ld+json an
// ActivityStreams document.
const activityStreamsProfile = "https://www.w3.org/ns/activitystreams"

// IsActivityStreams reports whether a Content-Type header announces an
// ActivityStreams document: application/activity+json, or
// application/ld+json whose profile parameter (a space-separated list)
// includes the ActivityStreams namespace. Parameters such as charset are
// ignored.
//
// Plain application/json is refused, as Mastodon (since 4.2.5) and Misskey
// refuse it: a JSON answer that does not say it is ActivityStreams
// may be any file a user could upload to the remote host, and accepting it
// would let that user publish objects in the host's name.
func IsActivityStreams(contentType string) bool {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mediaType {
	case "application/activity+json":
		return true
	case "application/ld+json":
		return slices.Contains(strings.Fields(params["profile"]), activityStreamsProfile)
	}
	return false
}

// documentID returns the top-level id of raw, which must be exactly one JSON
// object; it is "" when the object has no id or a non-string one. An object
// with several id keys ("id" twice, "id" and "@id", or "ID", which Go's
// encoding/json would read as "id") is refused: two parsers could read two
// different ids.
func documentID(raw []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", ErrMalformed
	}
	var id string
	keys := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return "", fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if key != "@id" && !strings.EqualFold(key, "id") {
			continue
		}
		if key != "id" && key != "@id" {
			return "", fmt.Errorf("%w: key %q could be read as its id", ErrMalformed, key)
		}
		if keys++; keys > 1 {
			return "", fmt.Errorf("%w: several ids", ErrMalformed)
		}
		if err := json.Unmarshal(value, &id); err != nil {
			id = ""
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", fmt.Errorf("%w: data after the object", ErrMalformed)
	}
	return id, nil
}

// sameURL reports whether an id names the URL a document was served from
// (which has no fragment): equal once the case of the scheme and host, a
// default port and an empty path are set aside.
func sameURL(id, served string) bool {
	a, err := url.Parse(id)
	if err != nil {
		return false
	}
	if a.User != nil || a.Opaque != "" {
		return false
	}
	b, err := url.Parse(served)
	if err != nil {
		return false
	}
	return canonical(a) == canonical(b)
}

func canonical(u *url.URL) string {
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	c := u.Scheme + "://" + host + path
	if u.ForceQuery || u.RawQuery != "" {
		c += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		c += "#" + u.EscapedFragment()
	}
	return c
}
