// Package discovery answers the questions another server asks before it
// talks to this one: WebFinger (who is name@host, and where is its actor),
// host-meta (where is WebFinger, for older software) and NodeInfo (what
// software is this, and how big).
//
// It only reads: it never creates actors nor fetches anything.
package discovery
