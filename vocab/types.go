package vocab

import streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"

// Type is any generated ActivityStreams value (an object, a link or an
// activity). It is the generated interface itself, so that callers need not
// import two packages named vocab.
type Type = streamsvocab.Type
