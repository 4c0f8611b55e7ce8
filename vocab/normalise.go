package vocab

import (
	"fmt"
	"strings"
	"sync"

	"github.com/piprate/json-gold/ld"
)

// normalise rewrites a document whose names are prefixed, aliased or full
// IRIs into the bare names of Context, by JSON-LD expansion and compaction
// with the offline loader. Terms that no known context defines are dropped,
// as JSON-LD expansion drops them.
func normalise(m map[string]any) (map[string]any, error) {
	if _, ok := m["@context"]; !ok {
		m = withContext(m, ActivityStreamsContext)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = offlineLoader{}
	opts.ProcessingMode = ld.JsonLd_1_1
	expanded, err := ld.NewJsonLdProcessor().Expand(m, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNormalisation, err)
	}
	canonicalNamespaces(expanded)
	compacted, err := ld.NewJsonLdApi().Compact(compactionContext(), "", expanded, true)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNormalisation, err)
	}
	out, ok := compacted.(map[string]any)
	if !ok {
		// Several top-level nodes (a @graph): not one activity or object.
		return nil, fmt.Errorf("%w: the document holds %T, not one object", ErrNormalisation, compacted)
	}
	out["@context"] = Context()
	fixPublic(out)
	return out, nil
}

// compactionContext is Context processed once, with its inverse built: the
// inverse costs more than the rest of normalising, and building it is the
// only write json-gold makes to a context, so the result can be shared by
// concurrent normalisations.
var compactionContext = sync.OnceValue(func() *ld.Context {
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = offlineLoader{}
	opts.ProcessingMode = ld.JsonLd_1_1
	c, err := ld.NewContext(nil, opts).Parse(Context())
	if err != nil {
		panic(fmt.Sprintf("vocab: Context does not process: %v", err))
	}
	c.GetInverse()
	return c
})

// namespaceSpellings are the other spellings peers give the namespaces of
// Context. schema.org's own context says "http://schema.org/", Mastodon and
// Mobilizon say "http://schema.org#", FEP-8a8e's examples
// "https://schema.org/": they all mean the same terms.
var namespaceSpellings = []struct{ from, to string }{
	{"http://schema.org/", schemaNamespace},
	{"https://schema.org/", schemaNamespace},
	{"https://schema.org#", schemaNamespace},
	{"http://www.w3.org/ns/activitystreams#", activityStreamsNamespace},
}

// canonicalNamespaces rewrites, in an expanded document, the property and
// type IRIs spelt another way into the spelling of Context, so that
// compaction gives them their bare names.
func canonicalNamespaces(v any) {
	switch n := v.(type) {
	case []any:
		for i, e := range n {
			if s, ok := e.(string); ok {
				n[i] = canonicalIRI(s)
				continue
			}
			canonicalNamespaces(e)
		}
	case map[string]any:
		for k, e := range n {
			if t, ok := e.(string); ok && k == "@type" {
				n[k] = canonicalIRI(t)
			}
			canonicalNamespaces(e)
			if c := canonicalIRI(k); c != k {
				delete(n, k)
				if prev, ok := n[c].([]any); ok {
					if add, ok := e.([]any); ok {
						e = append(prev, add...)
					}
				}
				n[c] = e
			}
		}
	}
}

func canonicalIRI(iri string) string {
	for _, s := range namespaceSpellings {
		if rest, ok := strings.CutPrefix(iri, s.from); ok && rest != "" {
			return s.to + rest
		}
	}
	return iri
}

// withContext returns a shallow copy of m with its @context set to c.
func withContext(m map[string]any, c any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out["@context"] = c
	return out
}

// audienceProperties hold the addressing of an object or activity.
var audienceProperties = []string{"to", "cc", "bto", "bcc", "audience"}

// fixPublic restores the full IRI of the public collection, which
// compaction shortens to "as:Public" and which every peer and Holon's own
// code compare as a full IRI.
func fixPublic(v any) {
	switch n := v.(type) {
	case []any:
		for _, e := range n {
			fixPublic(e)
		}
	case map[string]any:
		for _, p := range audienceProperties {
			switch a := n[p].(type) {
			case string:
				if a == "as:Public" || a == "Public" {
					n[p] = PublicAudience
				}
			case []any:
				for i, e := range a {
					if e == "as:Public" || e == "Public" {
						a[i] = PublicAudience
					}
				}
			}
		}
		for k, e := range n {
			if k != "@context" {
				fixPublic(e)
			}
		}
	}
}
