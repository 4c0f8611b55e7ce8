package vocab

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/piprate/json-gold/ld"
)

//go:embed contexts/*.jsonld
var contextFiles embed.FS

// preloaded maps each context URL Holon knows, in every spelling peers use,
// to its parsed document.
var preloaded = mustPreload(map[string][]string{
	"contexts/activitystreams.jsonld": {
		"https://www.w3.org/ns/activitystreams",
		"http://www.w3.org/ns/activitystreams",
		"https://www.w3.org/ns/activitystreams.jsonld",
		"http://www.w3.org/ns/activitystreams.jsonld",
	},
	"contexts/security-v1.jsonld": {
		"https://w3id.org/security/v1",
		"http://w3id.org/security/v1",
	},
	"contexts/security-v2.jsonld": {
		"https://w3id.org/security/v2",
		"http://w3id.org/security/v2",
	},
	"contexts/multikey-v1.jsonld": {
		"https://w3id.org/security/multikey/v1",
		"http://w3id.org/security/multikey/v1",
	},
	"contexts/toot.jsonld": {
		"http://joinmastodon.org/ns",
		"https://joinmastodon.org/ns",
	},
	"contexts/schema-org.jsonld": {
		"https://schema.org",
		"http://schema.org",
		"https://schema.org/docs/jsonldcontext.json",
		"http://schema.org/docs/jsonldcontext.json",
	},
}, map[string]any{
	// Holon's own context, at its published URL. Instances also serve it
	// at /ns, but another host's /ns may be anything: only the stable URL
	// is trusted.
	ContextURL:              ContextDocument(),
	"http://w3id.org/holon": ContextDocument(),
})

func mustPreload(files map[string][]string, built map[string]any) map[string]any {
	docs := make(map[string]any)
	for u, doc := range built {
		docs[u] = doc
	}
	for name, urls := range files {
		b, err := contextFiles.ReadFile(name)
		if err != nil {
			panic(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			panic(fmt.Sprintf("%s: %v", name, err))
		}
		for _, u := range urls {
			docs[u] = doc
		}
	}
	return docs
}

// offlineLoader is json-gold's document loader for Holon: it answers from
// the preloaded contexts and never touches the network. A context it does
// not know loads as an empty context, so the terms it would define are
// dropped instead of the whole document being refused (peers' private
// contexts are common and rarely matter to Holon).
type offlineLoader struct{}

var _ ld.DocumentLoader = offlineLoader{}

func (offlineLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	key := strings.TrimSuffix(u, "/")
	if doc, ok := preloaded[key]; ok {
		return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: map[string]any{"@context": map[string]any{}}}, nil
}
