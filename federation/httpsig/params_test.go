package httpsig

import (
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestParseParams(t *testing.T) {
	const sig = "c2lnbmF0dXJl" // base64 of "signature"
	tests := []struct {
		name        string
		raw         string
		wantErr     error
		wantKeyID   string
		wantAlg     string
		wantHeaders []string
	}{
		{
			name:      "Mastodon's form",
			raw:       `keyId="https://a.example/u#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="` + sig + `"`,
			wantKeyID: "https://a.example/u#main-key", wantAlg: "rsa-sha256",
			wantHeaders: []string{"(request-target)", "host", "date", "digest"},
		},
		{
			name:      "any order, spaces around = and ,",
			raw:       `signature = "` + sig + `" , headers="Host Date",	keyId ="k"`,
			wantKeyID: "k", wantAlg: "hs2019", wantHeaders: []string{"host", "date"},
		},
		{
			name:      "parameter names in any case",
			raw:       `KEYID="k",Algorithm="RSA-SHA256",SIGNATURE="` + sig + `"`,
			wantKeyID: "k", wantAlg: "rsa-sha256", wantHeaders: []string{"date"},
		},
		{
			name:      "escaped quote in a quoted string",
			raw:       `keyId="a\"b",signature="` + sig + `"`,
			wantKeyID: `a"b`, wantAlg: "hs2019", wantHeaders: []string{"(created)"},
		},
		{
			name:      "unquoted created and expires, unknown parameter, trailing comma",
			raw:       `keyId="k",created=1402170695,expires=1402170699,nonce="x",signature="` + sig + `",`,
			wantKeyID: "k", wantAlg: "hs2019", wantHeaders: []string{"(created)"},
		},
		{
			name:      "signature without padding",
			raw:       `keyId="k",signature="c2lnbmF0dXJlcw"`,
			wantKeyID: "k", wantAlg: "hs2019", wantHeaders: []string{"(created)"},
		},
		{name: "keyId missing", raw: `signature="` + sig + `"`, wantErr: ErrMalformedSignature},
		{name: "signature missing", raw: `keyId="k"`, wantErr: ErrMalformedSignature},
		{name: "signature not base64", raw: `keyId="k",signature="@@@"`, wantErr: ErrMalformedSignature},
		{name: "repeated parameter", raw: `keyId="k",keyId="l",signature="` + sig + `"`, wantErr: ErrMalformedSignature},
		{name: "unterminated quote", raw: `keyId="k,signature="` + sig, wantErr: ErrMalformedSignature},
		{name: "no value", raw: `keyId,signature="` + sig + `"`, wantErr: ErrMalformedSignature},
		{name: "missing comma", raw: `keyId="k" signature="` + sig + `"`, wantErr: ErrMalformedSignature},
		{name: "empty headers", raw: `keyId="k",headers="",signature="` + sig + `"`, wantErr: ErrMalformedSignature},
		{name: "unknown algorithm", raw: `keyId="k",algorithm="ed25519",signature="` + sig + `"`, wantErr: ErrUnsupportedAlgorithm},
		{name: "garbage", raw: `Bearer abc.def`, wantErr: ErrMalformedSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseParams(tt.raw)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("parseParams: %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			if p.keyID != tt.wantKeyID || p.algorithm != tt.wantAlg || !slices.Equal(p.headers, tt.wantHeaders) {
				t.Errorf("got keyId %q algorithm %q headers %q", p.keyID, p.algorithm, p.headers)
			}
		})
	}
}

func TestSignatureHeader(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		want    string
		wantErr error
	}{
		{name: "Signature", headers: map[string]string{"Signature": ` keyId="k" `}, want: `keyId="k"`},
		{name: "Authorization", headers: map[string]string{"Authorization": `Signature keyId="k"`}, want: `keyId="k"`},
		{name: "Authorization scheme in any case", headers: map[string]string{"Authorization": `signature keyId="k"`}, want: `keyId="k"`},
		{name: "node-http-signature's prefix", headers: map[string]string{"Signature": `Signature keyId="k"`}, want: `keyId="k"`},
		{name: "Signature wins over Authorization", headers: map[string]string{"Signature": `keyId="s"`, "Authorization": `Signature keyId="a"`}, want: `keyId="s"`},
		{name: "Bearer is not a signature", headers: map[string]string{"Authorization": `Bearer xyz`}, wantErr: ErrNotSigned},
		{name: "empty", headers: map[string]string{"Signature": ` `}, wantErr: ErrNotSigned},
		{name: "none", wantErr: ErrNotSigned},
		{name: "too large", headers: map[string]string{"Signature": strings.Repeat("a", MaxSignatureBytes+1)}, wantErr: ErrSignatureTooLarge},
		{name: "RFC 9421", headers: map[string]string{"Signature-Input": `sig1=()`, "Signature": `sig1=:YQ==:`}, wantErr: ErrMessageSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			got, err := signatureHeader(r)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("signatureHeader: %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
