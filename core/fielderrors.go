package core

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FieldErrors collects field errors so that a request is answered with
// every problem at once.
type FieldErrors []FieldError

// Add notes that field breaks the rule code.
func (f *FieldErrors) Add(field, code, detail string) {
	*f = append(*f, FieldError{Field: field, Code: code, Detail: detail})
}

// Err is nil when nothing was noted, else one invalid-input error naming
// every field.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(f...)
}

// Text trims s and checks it is valid UTF-8 of at most max characters (at
// least one when required).
func (f *FieldErrors) Text(field, s string, max int, required bool) string {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s):
		f.Add(field, "bad-encoding", "must be valid UTF-8 text")
	case required && s == "":
		f.Add(field, "required", "this field is required")
	case utf8.RuneCountInString(s) > max:
		f.Add(field, "too-long", "at most "+strconv.Itoa(max)+" characters")
	default:
		return s
	}
	return ""
}

// List checks a list of texts: at most maxCount items (at least minCount),
// each 1 to maxLen characters once trimmed.
func (f *FieldErrors) List(field string, in []string, minCount, maxCount, maxLen int) []string {
	if len(in) < minCount {
		f.Add(field, "too-few", "at least "+strconv.Itoa(minCount)+" items")
		return nil
	}
	if len(in) > maxCount {
		f.Add(field, "too-many", "at most "+strconv.Itoa(maxCount)+" items")
		return nil
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		n := len(*f)
		v := f.Text(field, s, maxLen, true)
		if len(*f) > n {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// URIs checks a list of actor or link ids: absolute http(s) URLs.
func (f *FieldErrors) URIs(field string, in []string, minCount, maxCount int) []string {
	if len(in) < minCount {
		f.Add(field, "too-few", "at least "+strconv.Itoa(minCount)+" items")
		return nil
	}
	if len(in) > maxCount {
		f.Add(field, "too-many", "at most "+strconv.Itoa(maxCount)+" items")
		return nil
	}
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if !IsHTTPURL(s) {
			f.Add(field, "not-a-url", "each item must be an http or https address")
			return nil
		}
		if u, _ := url.Parse(s); u.User != nil {
			f.Add(field, "not-a-url", "addresses may not carry credentials")
			return nil
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
