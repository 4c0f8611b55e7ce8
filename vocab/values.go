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
