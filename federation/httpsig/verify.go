package httpsig

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// MaxKeyBits bounds the RSA keys we verify with; fediverse keys are 2048 or 4096 bits.
const MaxKeyBits = 8192

// KeyFetcher gives the public key behind a keyId and the actor that owns it.
type KeyFetcher interface {
	// PublicKey returns the key identified by keyID and the URI of the actor that owns
	// it, as the key document states it. With refresh false it may answer from a
	// cache; with refresh true it must fetch again, bypassing the cache. Verify asks
	// for a refresh at most once per request, when the key it got does not verify, to
	// pick up a rotated key; since every forged signature asks too, implementations
	// should bound how often a refresh of one key really reaches the network.
	PublicKey(ctx context.Context, keyID string, refresh bool) (owner string, pub crypto.PublicKey, err error)
}

// Result says who signed a request.
type Result struct {
	// KeyID is the signature's keyId. It is set as soon as the header parses, on
	// refusals too, so that they can be logged with it.
	KeyID string
	// Owner is the URI of the actor owning the key, set only when the signature
	// verifies. The caller must check that it is the actor of the activity: a valid
	// signature by one actor says nothing about an activity claiming another.
	Owner string
}

// Verify checks the draft-cavage HTTP signature of r, whose body the caller has read
// (under its own size limit) into body, as of now. On success Result.Owner is the
// actor owning the signing key. Refusals wrap one of the package's sentinel errors;
// see the package documentation for the order of the checks. Verify does not modify r.
func Verify(r *http.Request, body []byte, now time.Time, keys KeyFetcher) (Result, error) {
	raw, err := signatureHeader(r)
	if err != nil {
		return Result{}, err
	}
	p, err := parseParams(raw)
	if p == nil {
		return Result{}, err
	}
	res := Result{KeyID: p.keyID}
	if err != nil {
		return res, fmt.Errorf("signature by %s: %w", p.keyID, err)
	}
	hashes, err := checkRequest(r, body, now, p)
	if err != nil {
		return res, fmt.Errorf("signature by %s: %w", p.keyID, err)
	}
	owner, err := verifyWithKey(r.Context(), keys, p, hashes)
	if err != nil {
		return res, fmt.Errorf("signature by %s: %w", p.keyID, err)
	}
	res.Owner = owner
	return res, nil
}

// checkRequest runs every check that needs no key and returns the SHA-256 of each
// signing string the signature may cover: the request-target with its query, then
// without it. Mastodon verifies both ways too: its releases before 4.x left the query
// out, and implementations still disagree.
func checkRequest(r *http.Request, body []byte, now time.Time, p *params) ([][sha256.Size]byte, error) {
	if err := checkCoverage(r.Method, p); err != nil {
		return nil, err
	}
	if err := checkTime(r, p, now); err != nil {
		return nil, err
	}
	if p.covers("digest") {
		values := r.Header.Values("Digest")
		if len(values) == 0 {
			return nil, fmt.Errorf("%w: digest", ErrSignedHeaderMissing)
		}
		if err := checkDigest(joinValues(values), body); err != nil {
			return nil, err
		}
	}
	target := requestTarget(r)
	targets := []string{target}
	if path, _, hasQuery := strings.Cut(target, "?"); hasQuery {
		targets = append(targets, path)
	}
	hashes := make([][sha256.Size]byte, 0, len(targets))
	for _, t := range targets {
		s, err := signingString(r, p, t)
		if err != nil {
			return nil, err
		}
		hashes = append(hashes, sha256.Sum256([]byte(s)))
	}
	return hashes, nil
}

// verifyWithKey verifies against the key the fetcher has, then, if that fails,
// against a freshly fetched one: the actor may have rotated its key.
func verifyWithKey(ctx context.Context, keys KeyFetcher, p *params, hashes [][sha256.Size]byte) (string, error) {
	for _, refresh := range []bool{false, true} {
		owner, pub, err := keys.PublicKey(ctx, p.keyID, refresh)
		if err != nil {
			return "", fmt.Errorf("%w (refresh %t): %w", ErrKeyFetch, refresh, err)
		}
		if owner == "" {
			return "", fmt.Errorf("%w: key has no owner", ErrKeyFetch)
		}
		key, err := rsaKey(pub)
		if err != nil {
			return "", err
		}
		for _, h := range hashes {
			if rsa.VerifyPKCS1v15(key, crypto.SHA256, h[:], p.signature) == nil {
				return owner, nil
			}
		}
	}
	return "", fmt.Errorf("%w: with the cached and the refetched key", ErrBadSignature)
}

func rsaKey(pub crypto.PublicKey) (*rsa.PublicKey, error) {
	key, ok := pub.(*rsa.PublicKey)
	switch {
	case !ok || key == nil || key.N == nil:
		return nil, fmt.Errorf("%w: %T, only RSA is accepted", ErrUnsupportedKey, pub)
	case key.N.BitLen() > MaxKeyBits:
		return nil, fmt.Errorf("%w: RSA key of %d bits, at most %d", ErrUnsupportedKey, key.N.BitLen(), MaxKeyBits)
	}
	return key, nil
}
