package httpsig

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
)

// digestHeader is the RFC 3230 Digest value we send: "SHA-256=" and the base64 sum.
func digestHeader(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

// checkDigest compares an RFC 3230 Digest header with the body. The header may list
// several digests, algorithm names in any case; the SHA-256 one must match, or the
// SHA-512 one when no SHA-256 is offered. Others are ignored.
func checkDigest(header string, body []byte) error {
	var sha256Value, sha512Value string
	var offered []string
	for _, part := range strings.Split(header, ",") {
		alg, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		alg = strings.ToLower(strings.TrimSpace(alg))
		offered = append(offered, alg)
		switch alg {
		case "sha-256":
			sha256Value = value
		case "sha-512":
			sha512Value = value
		}
	}
	switch {
	case sha256Value != "":
		sum := sha256.Sum256(body)
		return compareDigest("SHA-256", sha256Value, sum[:])
	case sha512Value != "":
		sum := sha512.Sum512(body)
		return compareDigest("SHA-512", sha512Value, sum[:])
	}
	return fmt.Errorf("%w: offered %q", ErrUnsupportedDigest, offered)
}

func compareDigest(alg, given string, computed []byte) error {
	got, err := decodeBase64(given)
	if err != nil || len(got) != len(computed) {
		return fmt.Errorf("%w: %s value %q is not a base64 %s sum", ErrMalformedDigest, alg, given, alg)
	}
	if subtle.ConstantTimeCompare(got, computed) != 1 {
		return fmt.Errorf("%w: computed %s %s, given %s", ErrDigestMismatch, alg,
			base64.StdEncoding.EncodeToString(computed), strings.TrimSpace(given))
	}
	return nil
}
