// Package vocab is Holon's ActivityStreams vocabulary: the generated types
// of ./streams (ActivityStreams, security-v1, Mastodon's toot terms,
// schema.org's and Mobilizon's terms and Holon's extension, see
// generate.go) and the hand-written functions that put them on the wire and
// take them off it. docs/vocabulary.md describes the vocabulary for other
// software.
//
// The builders (NewProject, NewTask, NewReservation, NewSubmission,
// NewTransaction, NewProposal, NewBallot, NewDelegation, NewMembership,
// NewEvent, NewActivity, NewJoin, NewLeave) are what the domain's
// federation code calls: they check their input and set what every object
// must carry (name, summary, url, the core type Mastodon renders).
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
//     bytes of what they received, and read natural-language text from them
//     (TextOf): the generated code takes "Note: bring gloves" for an IRI.
package vocab
