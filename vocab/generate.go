package vocab

// The generated universe in ./streams comes from the OWL2 specifications
// beside this file, in this order (a specification may only refer to the
// ones before it):
//
//   - activitystreams.jsonld, security-v1.jsonld, toot.jsonld: copied from
//     go-fed/activity v1.0.0's astool folder. activitystreams.jsonld has
//     five members added at the end of its objectTypes and properties
//     sections, the ActivityStreams terms Mastodon uses and the W3C
//     vocabulary lacks: Hashtag, sensitive, manuallyApprovesFollowers,
//     alsoKnownAs, movedTo. (They must live in that file: astool refuses a
//     second specification with the same namespace.) endpoints and
//     sharedInbox are not there: their value has no type, which the
//     generated code cannot represent; write them as plain JSON.
//   - schema.jsonld: the schema.org terms Holon reads and writes (money,
//     addresses, event capacity, category, licence, PropertyValue), in the
//     namespace Mastodon and Mobilizon use, http://schema.org#.
//   - mobilizon.jsonld: Mobilizon's event terms (timezone, joinMode,
//     participantCount, isOnline).
//   - holon.jsonld: Holon's extension, https://w3id.org/holon#.
//
// The JSON-LD context (context.go) must define every term these
// specifications add; docs/vocabulary.md explains them. After changing a
// specification, regenerate and commit the result:
//
//	go generate ./vocab/...
//
// Never edit ./streams by hand. What astool can and cannot do is written
// down in notes-astool.md, beside DESIGN.md; in short: ranges xsd:string,
// nonNegativeInteger, float, boolean, dateTime, duration, anyURI and
// classes; no xsd:integer or decimal (hence money as a decimal string, see
// Amount); an example's type must not be a schema.org IRI once schema.jsonld
// is loaded (astool then looks for it there and panics).

//go:generate go run ./internal/regen
