package mastodon

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
)

// maxFormBytes bounds the body of a status's create or edit: the text
// (news.MaxSourceLength characters, up to 4 bytes each), a content
// warning, a poll's options and media ids fit well within it.
const maxFormBytes = 256 << 10

// params are a request's parameters as Mastodon clients send them: an
// HTML form (urlencoded or multipart, lists as name[]), or a JSON object,
// and the query string.
type params struct {
	form url.Values
	json map[string]any
}

// paramsOf reads r's body; an unreadable body is an error (422).
func paramsOf(w http.ResponseWriter, r *http.Request) (params, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return params{}, fmt.Errorf("read JSON body: %w", err)
		}
		return params{form: r.URL.Query(), json: m}, nil
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxFormBytes); err != nil {
			return params{}, fmt.Errorf("read form: %w", err)
		}
	default:
		if err := r.ParseForm(); err != nil {
			return params{}, fmt.Errorf("read form: %w", err)
		}
	}
	return params{form: r.Form}, nil
}

// has tells whether the parameter name was sent.
func (p params) has(name string) bool {
	if _, ok := p.json[name]; ok {
		return true
	}
	_, ok := p.form[name]
	return ok
}

// get is the parameter name as text ("" when absent or not a scalar).
func (p params) get(name string) string {
	if v, ok := p.json[name]; ok {
		switch v := v.(type) {
		case string:
			return v
		case bool:
			return strconv.FormatBool(v)
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		return ""
	}
	return p.form.Get(name)
}

// list is the list parameter name: name[] in a form, an array in JSON.
func (p params) list(name string) []string {
	if v, ok := p.json[name].([]any); ok {
		out := make([]string, 0, len(v))
		for _, x := range v {
			switch x := x.(type) {
			case string:
				out = append(out, x)
			case float64:
				out = append(out, strconv.FormatFloat(x, 'f', -1, 64))
			}
		}
		return out
	}
	if l, ok := p.form[name+"[]"]; ok {
		return l
	}
	return p.form[name]
}
