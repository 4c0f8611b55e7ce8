// Package actors reads remote actors' documents and keeps what this instance
// needs of them (inboxes, public key, profile) through the membership
// service. Its Resolver is the key fetcher of HTTP signature verification:
// it answers from what is stored and fetches (signed, SSRF-guarded) only
// when a key is unknown or must be refreshed after a key rotation.
//
// It never trusts a document for another host than the one that served it:
// a key belongs to an actor only when both name each other and share the
// host.
package actors
