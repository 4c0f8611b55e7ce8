package oauth

import (
	"fmt"
	"slices"
	"strings"
)

// The top-level scopes of Mastodon's OAuth, and what each grants. A token
// granted a top-level scope holds every sub-scope under it ("read" holds
// "read:statuses"); "follow" is Mastodon's legacy scope, which holds the
// relationship sub-scopes; "profile" holds only the reading of one's own
// account (verify_credentials).
const (
	ScopeRead    = "read"
	ScopeWrite   = "write"
	ScopeFollow  = "follow"
	ScopePush    = "push"
	ScopeProfile = "profile"
)

var subScopes = map[string][]string{
	ScopeRead: {"accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes",
		"notifications", "search", "statuses"},
	ScopeWrite: {"accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows", "lists",
		"media", "mutes", "notifications", "reports", "statuses"},
}

// followGrants are what the legacy "follow" scope holds.
var followGrants = []string{"read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes"}

// Valid reports whether s names a scope Holon knows.
func Valid(s string) bool {
	switch s {
	case ScopeRead, ScopeWrite, ScopeFollow, ScopePush, ScopeProfile:
		return true
	}
	top, sub, ok := strings.Cut(s, ":")
	return ok && slices.Contains(subScopes[top], sub)
}

// ParseScopes reads a space-separated list of scopes (clients also send
// them joined by '+', which a form decodes as spaces); empty means "read",
// as in Mastodon. An unknown scope is an error naming it.
func ParseScopes(s string) ([]string, error) {
	fields := strings.Fields(strings.ReplaceAll(s, "+", " "))
	if len(fields) == 0 {
		return []string{ScopeRead}, nil
	}
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		if !Valid(f) {
			return nil, fmt.Errorf("unknown scope %q", f)
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// Allows reports whether a token granted the scopes granted may do what
// needs the scope need (a top-level scope or a sub-scope). A nil granted
// list is a browser session or a native API token, which may do anything
// its account may.
func Allows(granted []string, need string) bool {
	if granted == nil {
		return true
	}
	top, _, _ := strings.Cut(need, ":")
	for _, g := range granted {
		switch {
		case g == need, g == top:
			return true
		case g == ScopeFollow && slices.Contains(followGrants, need):
			return true
		case need == ScopeProfile && (g == ScopeRead || g == "read:accounts"):
			return true
		}
	}
	return false
}

// Subset reports whether every scope of asked is allowed by granted: a
// token may be asked only for scopes its application registered.
func Subset(asked, granted []string) bool {
	for _, s := range asked {
		if !Allows(granted, s) {
			return false
		}
	}
	return true
}
