package vocab

import "strings"

// Terms the generated resolver understands, by the bare name it expects and
// the IRI the name stands for. Built once from the preloaded ActivityStreams
// and security contexts and from Context.
var (
	knownTerms = map[string]string{} // name → IRI
	knownIRIs  = map[string]string{} // IRI → name
)

// resolverNamespaces are the vocabularies of the generated code; a term
// from any other vocabulary is kept by the resolver as an unknown property
// whatever its name, so it never needs normalising.
var resolverNamespaces = []string{activityStreamsNamespace, securityNamespace, tootNamespace, schemaNamespace, mobilizonNamespace, Namespace}

// defaultPrefixes resolve compact IRIs when a peer's context uses a prefix
// without defining it (relying on the ActivityStreams context for "as").
var defaultPrefixes = map[string]string{
	"as":     activityStreamsNamespace,
	"sec":    securityNamespace,
	"toot":   tootNamespace,
	"holon":  Namespace,
	"schema": schemaNamespace,
	"mz":     mobilizonNamespace,
}

func init() {
	for _, url := range []string{ActivityStreamsContext, SecurityV1Context} {
		doc := preloaded[url].(map[string]any)
		addTerms(doc["@context"].(map[string]any))
	}
	addTerms(Context()[2].(map[string]any))
}

func addTerms(defs map[string]any) {
	for term, def := range defs {
		iri, ok := termIRI(def)
		if !ok || strings.HasPrefix(iri, "@") || strings.HasPrefix(term, "@") {
			continue
		}
		iri = expandIRI(iri, defs)
		if !inResolverNamespace(iri) || strings.HasSuffix(iri, "#") || strings.HasSuffix(iri, "/") {
			continue // another vocabulary, or a prefix rather than a term
		}
		knownTerms[term] = iri
		// Several names may share an IRI (orderedItems and items): keep one
		// that names it exactly, so that aliases can still be spotted.
		if _, dup := knownIRIs[iri]; !dup || strings.HasSuffix(iri, "#"+term) {
			knownIRIs[iri] = term
		}
	}
}

// termIRI returns the IRI (or keyword, or compact IRI) a term definition
// maps to.
func termIRI(def any) (string, bool) {
	switch d := def.(type) {
	case string:
		return d, true
	case map[string]any:
		id, ok := d["@id"].(string)
		return id, ok
	}
	return "", false
}

// expandIRI turns a compact IRI ("as:Note") into a full one with the
// prefixes of defs, then Holon's defaults, and spells the ActivityStreams
// namespace with https as its context does.
func expandIRI(iri string, defs map[string]any) string {
	if prefix, local, ok := strings.Cut(iri, ":"); ok && !strings.HasPrefix(local, "//") {
		if ns, ok := defs[prefix].(string); ok && prefix != ns {
			iri = ns + local
		} else if ns, ok := defaultPrefixes[prefix]; ok {
			iri = ns + local
		}
	}
	if rest, ok := strings.CutPrefix(iri, "http://www.w3.org/ns/activitystreams#"); ok {
		iri = activityStreamsNamespace + rest
	}
	return iri
}

func inResolverNamespace(iri string) bool {
	for _, ns := range resolverNamespaces {
		if strings.HasPrefix(iri, ns) {
			return true
		}
	}
	return false
}
