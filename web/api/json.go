package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/web/problem"
)

// errMediaType is returned by decode for a body that is not JSON; it is the
// one client error with no core kind (415).
type errMediaType struct{ got string }

func (e errMediaType) Error() string { return "unsupported content type " + strconv.Quote(e.got) }

// fail answers err as application/problem+json. Unexpected errors are
// logged here, with the request id, and never shown.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	var mt errMediaType
	if errors.As(err, &mt) {
		problem.Write(w, problem.Problem{Type: problem.TypePrefix + "unsupported-media-type", Title: http.StatusText(http.StatusUnsupportedMediaType),
			Status: http.StatusUnsupportedMediaType, Detail: "the request body must be JSON, sent with Content-Type: application/json", Code: "unsupported-media-type"})
		return
	}
	p := problem.From(err)
	var np needsProposal
	if errors.As(err, &np) {
		p.Proposal = np.proposal
	}
	if affected, ok := domains.AffectedOf(err); ok {
		p.Affected = affected
	}
	if p.Status >= 500 {
		hlog.FromRequest(r).Error().Err(err).Str("path", r.URL.Path).Msg("api request failed")
	}
	problem.Write(w, p)
}

// writeJSON renders v to a buffer first, so that an encoding failure is
// still answered with a clean 500 rather than half a document.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		fail(w, r, fmt.Errorf("encode %T: %w", v, err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// created answers 201 with the new resource and where it lives.
func created(w http.ResponseWriter, r *http.Request, location string, v any) {
	w.Header().Set("Location", Prefix+location)
	writeJSON(w, r, http.StatusCreated, v)
}

func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// badRequest is a 400 about the body as a whole.
func badRequest(code, detail string) error {
	return &core.Error{Kind: core.KindInvalid, Code: code, Detail: detail}
}

// badField is a 400 about one field of the body, written as core.Invalid
// writes its single-field details ("field: what is wrong").
func badField(code, field, detail string) error {
	return &core.Error{Kind: core.KindInvalid, Code: code, Detail: field + ": " + detail,
		Fields: []core.FieldError{{Field: field, Code: code, Detail: detail}}}
}

// decode reads the request's JSON object into v, a pointer to a struct
// whose json tags name every accepted field. It refuses, with an error that
// says what and where: another content type (415), a body over the limit
// (413), an empty body, malformed JSON, anything but an object, unknown or
// repeated fields, a field of the wrong type, and data after the object.
func decode(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("empty-body", "a JSON object is required as the request body")
	}
	return decodeBytes(body, v)
}

// decodeOptional is decode for requests whose body may be left out: an
// empty body leaves v as it is.
func decodeOptional(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		return err
	}
	return decodeBytes(body, v)
}

func readBody(r *http.Request) ([]byte, error) {
	// web.limitBody has wrapped the body with http.MaxBytesReader.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, core.New(core.KindTooLarge, "too-large", fmt.Sprintf("the request body is over the limit of %d bytes", tooLarge.Limit))
		}
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if len(body) == 0 && r.Header.Get("Content-Type") == "" {
		return body, nil // nothing sent, nothing to label
	}
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return nil, errMediaType{got: ct}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, errMediaType{got: ct}
	}
	return body, nil
}

func decodeBytes(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(body, err)
	}
	if rest := bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		line, col := position(body, len(body)-len(rest))
		return badRequest("trailing-data", fmt.Sprintf("unexpected data after the JSON object at line %d, column %d", line, col))
	}
	return checkKeys(body, v)
}

func decodeError(body []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, col := position(body, int(syntax.Offset)-1)
		return badRequest("malformed-json", fmt.Sprintf("malformed JSON at line %d, column %d: %s", line, col, syntax.Error()))
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := position(body, len(body))
		return badRequest("malformed-json", fmt.Sprintf("malformed JSON: the body ends at line %d, column %d before the JSON value is complete", line, col))
	case errors.As(err, &typ) && typ.Field == "":
		return badRequest("not-an-object", "the request body must be a JSON object, not "+article(typ.Value))
	case errors.As(err, &typ):
		return badField("wrong-type", typ.Field, fmt.Sprintf("must be %s, not %s", kindOf(typ.Type), article(typ.Value)))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for this one.
		field, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return unknownField(field)
	}
	return badRequest("malformed-json", "malformed JSON: "+err.Error())
}

func unknownField(field string) error {
	return badField("unknown-field", field, "unknown field; see the request schema in "+Prefix+"/openapi.json")
}

// checkKeys refuses what encoding/json lets through: a field named in
// another case ({"Name": …} would fill name), a field given twice (the last
// would silently win), and null for the whole body. body is valid JSON that
// decoded into v.
func checkKeys(body []byte, v any) error {
	known := jsonNames(reflect.TypeOf(v).Elem())
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	if err != nil {
		return decodeError(body, err)
	}
	if tok != json.Delim('{') {
		// Only null gets here: encoding/json decodes it into a struct as nothing.
		return badRequest("not-an-object", "the request body must be a JSON object, not null")
	}
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return decodeError(body, err)
		}
		key, _ := tok.(string)
		if !known[key] {
			return unknownField(key)
		}
		if seen[key] {
			return badField("repeated-field", key, "given more than once")
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return decodeError(body, err)
		}
	}
	return nil
}

func jsonNames(t reflect.Type) map[string]bool {
	names := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names[name] = true
		}
	}
	return names
}

// position returns the 1-based line and column of the byte at offset off
// (counted from 0) of body.
func position(body []byte, off int) (line, col int) {
	off = max(0, min(off, len(body)))
	before := body[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}

// kindOf says in words what JSON value a Go type takes.
func kindOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// article turns encoding/json's name of a JSON value ("number", "array")
// into a phrase.
func article(v string) string {
	switch v {
	case "array", "object":
		return "an " + v
	case "bool":
		return "true or false"
	}
	return "a " + v
}

// timestamp writes t in RFC 3339, in UTC, to the microsecond: the precision
// both databases keep, so that a resource reads the same when created and
// when fetched again.
func timestamp(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
}

func optTimestamp(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := timestamp(*t)
	return &s
}

// optString renders an empty string as null.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
