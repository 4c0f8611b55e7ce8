package core

import (
	"net/url"
	"strings"
)

// MaxIDLength bounds the ids (URLs) of actors, activities and objects that
// Holon accepts from other servers.
const MaxIDLength = 2048

// IsHTTPURL reports whether s is an absolute http or https URL of at most
// MaxIDLength bytes: the only ids Holon accepts from the network.
func IsHTTPURL(s string) bool {
	if s == "" || len(s) > MaxIDLength {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// SameHost reports whether the URLs a and b are on the same host (and
// port). An actor speaks only for its own host: this is the check.
func SameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && strings.EqualFold(ua.Host, ub.Host)
}
