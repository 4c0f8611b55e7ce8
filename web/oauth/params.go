package oauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
)

// Bounds of what a request may carry, beneath the server's body cap.
const (
	maxParams      = 64
	maxValueLength = 4096
	maxFormMemory  = 64 << 10
)

// errTooLarge means the body was over the server's cap.
var errTooLarge = errors.New("request body too large")

// params reads a request's parameters as Mastodon (Rails) does: from a
// JSON object, a urlencoded or a multipart form body, then the query
// string for what the body does not give. A JSON array becomes several
// values (redirect_uris may be an array).
func params(r *http.Request) (url.Values, error) {
	out := url.Values{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch ct {
	case "application/json":
		err = jsonParams(r, out)
	case "multipart/form-data":
		if err = r.ParseMultipartForm(maxFormMemory); err == nil {
			for k, v := range r.MultipartForm.Value {
				out[k] = v
			}
		}
	case "application/x-www-form-urlencoded":
		if err = r.ParseForm(); err == nil {
			for k, v := range r.PostForm {
				out[k] = v
			}
		}
	}
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errTooLarge
		}
		return nil, fmt.Errorf("malformed body: %w", err)
	}
	for k, v := range r.URL.Query() {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	if len(out) > maxParams {
		return nil, errors.New("too many parameters")
	}
	for _, vs := range out {
		if len(vs) > maxParams {
			return nil, errors.New("too many values")
		}
		for _, v := range vs {
			if len(v) > maxValueLength {
				return nil, errors.New("a parameter is too long")
			}
		}
	}
	return out, nil
}

func jsonParams(r *http.Request, out url.Values) error {
	var obj map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&obj); err != nil {
		return err
	}
	for k, raw := range obj {
		var s string
		var list []any
		var v any
		switch {
		case json.Unmarshal(raw, &s) == nil:
			out.Set(k, s)
		case json.Unmarshal(raw, &list) == nil:
			for _, e := range list {
				if str, ok := e.(string); ok {
					out.Add(k, str)
				}
			}
		case json.Unmarshal(raw, &v) == nil:
			switch t := v.(type) {
			case bool:
				out.Set(k, strconv.FormatBool(t))
			case float64:
				out.Set(k, strconv.FormatFloat(t, 'f', -1, 64))
			}
		}
	}
	return nil
}
