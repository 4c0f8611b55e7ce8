package vocab

import (
	"fmt"

	"github.com/piprate/json-gold/ld"
)

// normalise rewrites a document whose names are prefixed, aliased or full
// IRIs into the bare names of Context, by JSON-LD compaction with the
// offline loader. Terms that no known context defines are dropped, as
// JSON-LD expansion drops them.
func normalise(m map[string]any) (map[string]any, error) {
	if _, ok := m["@context"]; !ok {
		m = withContext(m, ActivityStreamsContext)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = offlineLoader{}
	opts.ProcessingMode = ld.JsonLd_1_1
	out, err := ld.NewJsonLdProcessor().Compact(m, Context(), opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNormalisation, err)
	}
	fixPublic(out)
	return out, nil
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
