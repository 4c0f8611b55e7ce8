package vocab

// The generated universe in ./streams (ActivityStreams, security-v1, toot and
// Holon's extension) comes from the OWL2 specifications beside this file:
// activitystreams.jsonld, security-v1.jsonld and toot.jsonld are copied
// unchanged from go-fed/activity v1.0.0's astool folder; holon.jsonld is
// Holon's. After changing a specification, regenerate and commit the result:
//
//	go generate ./vocab/...
//
// Never edit ./streams by hand. What astool can and cannot do is written
// down in notes-astool.md, beside DESIGN.md.

//go:generate go run ./internal/regen
