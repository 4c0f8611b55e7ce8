package vocab

// IDOf returns the id of a property's value as peers send it: a bare id
// string, or an embedded object with an "id". Anything else gives "".
func IDOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		id, _ := t["id"].(string)
		return id
	}
	return ""
}

// FirstType returns a "type" value's first name: the string itself, or the
// first of a list (Holon puts its own type first, e.g. ["Task", "Page"]).
func FirstType(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		if len(t) > 0 {
			s, _ := t[0].(string)
			return s
		}
	}
	return ""
}

// TextOf returns a natural-language value (name, summary, content) as a peer
// sent it: the string itself, or the first string of a list. Read such text
// from the document rather than from the generated types: they take any
// string that starts like a URL scheme ("Note: bring gloves") for an IRI and
// lower-case that word when writing it back.
func TextOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				return s
			}
		}
	}
	return ""
}
