package vocab

import (
	"fmt"
	"strings"
)

// maxContextEntries bounds the @context entries of one document, so that a
// hostile peer cannot make the normaliser parse the same context thousands
// of times.
const maxContextEntries = 64

// isPlain reports whether m can go straight to the generated resolver,
// which reads bare ActivityStreams, security, toot and Holon names. It
// cannot when
//   - a key or a type names one of those terms another way: a compact IRI
//     ("as:Note", "holon:phase"), a full IRI, or a JSON-LD keyword ("@id");
//   - an inline context gives one of those terms another name (an alias
//     such as "Post": "as:Note") or aliases a keyword.
//
// Everything else stays on the fast path, including prefixed names from
// other vocabularies ("vcard:hasAddress": the resolver keeps them as
// unknown properties either way) and contexts that redefine a bare name:
// like Mastodon, Holon reads "location" as ActivityStreams' location even
// when Mobilizon's context maps it to schema.org's.
func isPlain(m map[string]any) (bool, error) {
	w := plainWalker{prefixes: documentPrefixes(m["@context"])}
	plain := w.node(m, true)
	if w.contexts > maxContextEntries {
		return false, fmt.Errorf("%w: more than %d @context entries", ErrBadContext, maxContextEntries)
	}
	return plain, nil
}

type plainWalker struct {
	prefixes map[string]any // prefix → namespace, from the top-level context
	contexts int
}

// documentPrefixes collects the definitions of the top-level inline
// contexts, whose prefixes the document's compact IRIs use.
func documentPrefixes(c any) map[string]any {
	defs := map[string]any{}
	var add func(c any)
	add = func(c any) {
		switch c := c.(type) {
		case map[string]any:
			for k, v := range c {
				defs[k] = v
			}
		case []any:
			for _, e := range c {
				if _, nested := e.([]any); !nested {
					add(e)
				}
			}
		}
	}
	add(c)
	return defs
}

// resolverName reports whether a key or type that is not a bare name
// stands for a term of the generated code.
func (w *plainWalker) resolverName(name string) bool {
	return strings.Contains(name, ":") && inResolverNamespace(expandIRI(name, w.prefixes))
}

// value walks a JSON value; read tells whether the generated resolver reads
// it (a value under a property it does not know is kept as it is, so its
// names do not matter).
func (w *plainWalker) value(v any, read bool) bool {
	switch v := v.(type) {
	case map[string]any:
		return w.node(v, read)
	case []any:
		plain := true
		for _, e := range v {
			plain = w.value(e, read) && plain
		}
		return plain
	}
	return true
}

// node checks one JSON object. It walks the whole document even once the
// answer is known, so that every @context entry is counted.
func (w *plainWalker) node(m map[string]any, read bool) bool {
	plain := true
	for k, v := range m {
		switch {
		case k == "@context":
			plain = (w.context(v) || !read) && plain
		case !read:
			w.value(v, false)
		case strings.HasPrefix(k, "@"), w.resolverName(k):
			plain = false
			w.value(v, false)
		case k == "type":
			plain = w.bareTypes(v) && plain
		default:
			_, known := knownTerms[k]
			plain = w.value(v, known) && plain
		}
	}
	return plain
}

func (w *plainWalker) bareTypes(v any) bool {
	switch t := v.(type) {
	case string:
		return !w.resolverName(t)
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok && w.resolverName(s) {
				return false
			}
		}
	}
	return true
}

func (w *plainWalker) context(v any) bool {
	switch c := v.(type) {
	case nil:
		return true
	case string:
		w.contexts++
		return true
	case map[string]any:
		w.contexts++
		return plainDefinitions(c)
	case []any:
		plain := true
		for _, e := range c {
			switch e.(type) {
			case string, map[string]any:
				plain = w.context(e) && plain
			default:
				w.contexts++
				plain = false // not valid JSON-LD: let json-gold say why
			}
		}
		return plain
	}
	return false
}

// plainDefinitions reports whether the term definitions of an inline context
// leave the resolver's names and JSON-LD's keywords alone.
func plainDefinitions(defs map[string]any) bool {
	for term, def := range defs {
		if strings.HasPrefix(term, "@") {
			continue // @vocab, @language…: the resolver does not use them
		}
		if strings.Contains(term, "://") {
			// go-fed's own context style ({"https://…": "as"}) makes the
			// resolver expect prefixed names.
			return false
		}
		iri, ok := termIRI(def)
		if !ok {
			continue
		}
		if strings.HasPrefix(iri, "@") {
			if (term == "id" && iri == "@id") || (term == "type" && iri == "@type") {
				continue
			}
			return false // a keyword alias
		}
		iri = expandIRI(iri, defs)
		if name, known := knownIRIs[iri]; known && name != term && knownTerms[term] != iri {
			return false // another name for a term the resolver knows
		}
	}
	return true
}
