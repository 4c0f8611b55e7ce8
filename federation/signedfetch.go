package federation

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/federation/httpsig"
)

// FetchPolicy is what guarding fetches needs of the federation policy.
type FetchPolicy interface {
	// SignedFetchesOnly reports whether ActivityPub documents are served
	// only to servers that sign their requests from a domain the policy
	// admits (allowlist mode).
	SignedFetchesOnly(ctx context.Context) (bool, error)
	RefuseHost(ctx context.Context, host string) error
}

// GuardFetches returns a middleware that, while policy asks for it,
// answers GETs of ActivityPub documents only when they carry a valid HTTP
// signature by an actor on an admitted domain ("authorized fetch", as
// Mastodon's limited federation mode): without it an instance outside the
// allowlist could still read everything it may not receive. Pages,
// discovery and the instance actor stay open: peers fetch the instance
// actor's key to verify the signed fetches this instance makes, and a key
// that needs a signed fetch to read would lock two guarded instances out
// of each other.
func (f *Federation) GuardFetches(policy FetchPolicy) func(http.Handler) http.Handler {
	instanceActor := "/actors/" + f.cfg.Server.Host
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if (r.Method != http.MethodGet && r.Method != http.MethodHead) ||
				!actors.WantsActivityJSON(r.Header.Get("Accept")) || r.URL.Path == instanceActor || r.URL.Path == "/ns" {
				next.ServeHTTP(w, r)
				return
			}
			status, reason := f.refuseFetch(r, policy)
			if status == 0 {
				// What one signer may read, another may not: shared caches
				// must not answer for the signer.
				w.Header().Set("Cache-Control", "private, max-age=60")
				next.ServeHTTP(w, r)
				return
			}
			http.Error(w, reason, status)
		})
	}
}

// refuseFetch returns the status and reason to refuse r with, or 0.
func (f *Federation) refuseFetch(r *http.Request, policy FetchPolicy) (int, string) {
	ctx := r.Context()
	guarded, err := policy.SignedFetchesOnly(ctx)
	if err != nil {
		hlog.FromRequest(r).Error().Err(err).Msg("read the federation policy")
		return http.StatusServiceUnavailable, "the federation policy is unavailable; try again"
	}
	if !guarded {
		return 0, ""
	}
	if _, err := httpsig.KeyID(r); err != nil {
		return http.StatusUnauthorized, "this instance serves its ActivityPub documents to the servers it federates with: sign the request"
	}
	res, err := httpsig.Verify(r, nil, f.clock.Now(), f.Resolver)
	if err == nil {
		var owner *url.URL
		if owner, err = url.Parse(res.Owner); err == nil {
			err = policy.RefuseHost(ctx, owner.Host)
		}
	}
	switch {
	case err == nil:
		return 0, ""
	case core.KindOf(err) == core.KindForbidden:
		return http.StatusForbidden, "this instance does not federate with your domain"
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "request cancelled"
	default:
		hlog.FromRequest(r).Info().Err(err).Str("key_id", res.KeyID).Msg("refused an unverified fetch")
		return http.StatusUnauthorized, "the request's signature does not verify"
	}
}
