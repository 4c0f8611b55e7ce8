package httpsig

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// Bounds on what a peer can make us parse.
const (
	// MaxSignatureBytes bounds the Signature header. A 4096-bit RSA signature with a
	// long keyId and the usual headers takes well under 1 KiB.
	MaxSignatureBytes = 8 << 10
	// MaxSignedHeaders bounds the headers parameter; peers sign four to six.
	MaxSignedHeaders = 32
)

// The algorithm names we accept. hs2019 means "derive it from the key": for the RSA
// keys of the fediverse that is RSA PKCS#1 v1.5 with SHA-256.
const (
	algRSASHA256 = "rsa-sha256"
	algHS2019    = "hs2019"
)

// params is a parsed Signature header.
type params struct {
	keyID     string
	algorithm string   // lower case; hs2019 when absent, as in draft 12 and Mastodon
	headers   []string // lower case, in the signer's order
	signature []byte
	created   string // as sent, "" when absent
	expires   string
}

func (p *params) covers(name string) bool {
	for _, h := range p.headers {
		if h == name {
			return true
		}
	}
	return false
}

// signatureHeader returns the raw signature parameters of r, from the Signature
// header or, failing that, from "Authorization: Signature …".
func signatureHeader(r *http.Request) (string, error) {
	if r.Header.Get("Signature-Input") != "" {
		return "", ErrMessageSignature
	}
	values := r.Header.Values("Signature")
	if len(values) == 0 {
		scheme, rest, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		if strings.EqualFold(scheme, "Signature") {
			values = []string{rest}
		}
	}
	switch {
	case len(values) == 0:
		return "", ErrNotSigned
	case len(values) > 1:
		return "", fmt.Errorf("%w: %d Signature headers", ErrMalformedSignature, len(values))
	case len(values[0]) > MaxSignatureBytes:
		return "", fmt.Errorf("%w: %d bytes, at most %d", ErrSignatureTooLarge, len(values[0]), MaxSignatureBytes)
	}
	raw := strings.TrimSpace(values[0])
	// Old versions of node-http-signature prefix the header with the scheme name;
	// Mastodon tolerates it, so do we.
	if len(raw) > len("Signature ") && strings.EqualFold(raw[:len("Signature ")], "Signature ") {
		raw = strings.TrimSpace(raw[len("Signature "):])
	}
	if raw == "" {
		return "", ErrNotSigned
	}
	return raw, nil
}

// parseParams parses the comma-separated auth-params of a Signature header
// (RFC 7235: token BWS "=" BWS ( token / quoted-string )) in any order. Names are
// case-insensitive; unknown ones are ignored; a repeated one is an error. Once the
// keyId is known it is returned with any later error, for the caller's logs.
func parseParams(raw string) (*params, error) {
	fields, err := splitParams(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedSignature, err)
	}
	p := &params{keyID: fields["keyid"]}
	if p.keyID == "" {
		return nil, fmt.Errorf("%w: keyId missing", ErrMalformedSignature)
	}
	sig := fields["signature"]
	if sig == "" {
		return p, fmt.Errorf("%w: signature missing", ErrMalformedSignature)
	}
	if p.signature, err = decodeBase64(sig); err != nil {
		return p, fmt.Errorf("%w: signature is not base64", ErrMalformedSignature)
	}
	p.algorithm = strings.ToLower(fields["algorithm"])
	if p.algorithm == "" {
		p.algorithm = algHS2019
	}
	if p.algorithm != algRSASHA256 && p.algorithm != algHS2019 {
		return p, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, p.algorithm)
	}
	p.created, p.expires = fields["created"], fields["expires"]
	list, listed := fields["headers"]
	if !listed {
		// The defaults of draft 12, as Mastodon applies them per algorithm.
		list = "date"
		if p.algorithm == algHS2019 {
			list = "(created)"
		}
	}
	p.headers = strings.Fields(strings.ToLower(list))
	switch {
	case len(p.headers) == 0:
		return p, fmt.Errorf("%w: empty headers parameter", ErrMalformedSignature)
	case len(p.headers) > MaxSignedHeaders:
		return p, fmt.Errorf("%w: %d, at most %d", ErrTooManySignedHeaders, len(p.headers), MaxSignedHeaders)
	}
	return p, nil
}

// splitParams returns the parameters of raw by lower-cased name.
func splitParams(raw string) (map[string]string, error) {
	fields := make(map[string]string, 6)
	i := 0
	for {
		i = skipSpace(raw, i)
		if i == len(raw) {
			return fields, nil
		}
		if raw[i] == ',' { // empty list element, allowed by RFC 7230 #rule
			i++
			continue
		}
		start := i
		for i < len(raw) && isTokenChar(raw[i]) {
			i++
		}
		if i == start {
			return nil, fmt.Errorf("unexpected %q at %d", raw[i], i)
		}
		name := strings.ToLower(raw[start:i])
		i = skipSpace(raw, i)
		if i == len(raw) || raw[i] != '=' {
			return nil, fmt.Errorf("parameter %q has no value", name)
		}
		i = skipSpace(raw, i+1)
		var value string
		var err error
		if value, i, err = paramValue(raw, i); err != nil {
			return nil, fmt.Errorf("parameter %q: %w", name, err)
		}
		if _, dup := fields[name]; dup {
			return nil, fmt.Errorf("parameter %q repeated", name)
		}
		fields[name] = value
		i = skipSpace(raw, i)
		if i < len(raw) && raw[i] != ',' {
			return nil, fmt.Errorf("unexpected %q after parameter %q", raw[i], name)
		}
	}
}

// paramValue reads a quoted-string or, leniently, any run of characters up to the
// next comma or space (base64 and URLs are not tokens, and some peers skip quotes).
func paramValue(raw string, i int) (string, int, error) {
	if i < len(raw) && raw[i] == '"' {
		var b strings.Builder
		for i++; i < len(raw); i++ {
			switch c := raw[i]; c {
			case '"':
				return b.String(), i + 1, nil
			case '\\':
				if i+1 == len(raw) {
					return "", i, fmt.Errorf("unterminated quoted string")
				}
				i++
				b.WriteByte(raw[i])
			default:
				b.WriteByte(c)
			}
		}
		return "", i, fmt.Errorf("unterminated quoted string")
	}
	start := i
	for i < len(raw) && raw[i] != ',' && raw[i] != '"' && !isSpace(raw[i]) {
		i++
	}
	if i == start {
		return "", i, fmt.Errorf("empty value")
	}
	return raw[start:i], i, nil
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// isTokenChar reports whether c is a tchar of RFC 7230.
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// decodeBase64 accepts standard base64 with or without padding.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// KeyID returns the keyId of r's signature without verifying anything, so
// that a receiver can refuse a blocked sender before fetching its key.
func KeyID(r *http.Request) (string, error) {
	raw, err := signatureHeader(r)
	if err != nil {
		return "", err
	}
	p, err := parseParams(raw)
	if p != nil && p.keyID != "" {
		return p.keyID, nil
	}
	return "", err
}
