// Package vocab is Holon's ActivityStreams vocabulary: the generated types
// of ./streams (ActivityStreams, security-v1, Mastodon's toot terms and
// Holon's extension, see generate.go) and the few hand-written functions
// that put them on the wire and take them off it.
//
// Serialize and Marshal write a document with Holon's fixed inline
// @context (see Context), never go-fed's. Parse and Resolve read what peers
// send: bounded in size, depth and width, a JSON object with a type; plain
// ActivityStreams goes straight to the generated resolver, and documents
// with prefixed or aliased terms are first compacted against Context with
// json-gold.
//
// vocab must never:
//   - fetch anything over the network: JSON-LD contexts come from the
//     preloaded copies in ./contexts, and an unknown context is treated as
//     empty;
//   - know about storage, HTTP, signatures or the domain (it is imported by
//     federation and web, and imports neither core nor store);
//   - edit the generated code in ./streams: change a specification and run
//     go generate ./vocab/... instead;
//   - re-serialise a foreign document and present it as the peer's:
//     resolution is lossy (see notes-astool.md), so callers keep the raw
//     bytes of what they received.
package vocab
