package httpsig

import (
	"fmt"
	"net/http"
	"net/textproto"
	"strings"
)

// signingString builds what draft-cavage signs: one "name: value" line per covered
// header, in the signer's order, joined by "\n". target is the request-target, path
// and query as they travel on the wire. Signing and verifying share this function.
func signingString(r *http.Request, p *params, target string) (string, error) {
	var b strings.Builder
	b.Grow(256)
	for i, name := range p.headers {
		if i > 0 {
			b.WriteByte('\n')
		}
		value, err := coveredValue(r, p, name, target)
		if err != nil {
			return "", err
		}
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
	}
	return b.String(), nil
}

func coveredValue(r *http.Request, p *params, name, target string) (string, error) {
	switch name {
	case "(request-target)":
		return strings.ToLower(r.Method) + " " + target, nil
	case "(created)", "(expires)":
		// Draft 12 §2.3: only algorithms that do not name a hash may carry these;
		// Mastodon refuses them with rsa-sha256 too.
		if p.algorithm != algHS2019 {
			return "", fmt.Errorf("%w: %s with algorithm %s", ErrMalformedSignature, name, p.algorithm)
		}
		v := p.created
		if name == "(expires)" {
			v = p.expires
		}
		if v == "" {
			return "", fmt.Errorf("%w: %s signed but its parameter is missing", ErrMalformedSignature, name)
		}
		return v, nil
	case "host":
		// Go's server moves the Host header into r.Host; clients send r.Host.
		if r.Host != "" {
			return r.Host, nil
		}
	}
	if strings.HasPrefix(name, "(") {
		return "", fmt.Errorf("%w: unknown pseudo-header %s", ErrMalformedSignature, name)
	}
	values := r.Header[textproto.CanonicalMIMEHeaderKey(name)]
	if len(values) == 0 {
		return "", fmt.Errorf("%w: %s", ErrSignedHeaderMissing, name)
	}
	return joinValues(values), nil
}

// joinValues joins repeated header fields with ", " in the order received (draft 12
// §2.3), trimming each.
func joinValues(values []string) string {
	if len(values) == 1 {
		return strings.TrimSpace(values[0])
	}
	trimmed := make([]string, len(values))
	for i, v := range values {
		trimmed[i] = strings.TrimSpace(v)
	}
	return strings.Join(trimmed, ", ")
}

// requestTarget is the path and query as the peer sent them. r.RequestURI keeps the
// raw bytes of the request line; r.URL.RequestURI() re-encodes, which may differ.
func requestTarget(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}
