package actors

import (
	"net/http"

	"github.com/holon-network/holon/vocab"
)

// contextDocument is Holon's JSON-LD context, the same on every instance.
var contextDocument = vocab.MarshalContextDocument()

// serveContext answers /ns with Holon's JSON-LD context (vocab.ContextURL
// names the same document). Holon's documents carry it inline; this copy is
// for people and tools that look it up.
func serveContext(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", vocab.ContextMediaType)
	w.Header().Set("Cache-Control", "max-age=86400")
	// JSON-LD tools in browsers load contexts across origins.
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(contextDocument)
}
