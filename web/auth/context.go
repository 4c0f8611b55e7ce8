package auth

import "context"

// NewContext returns ctx carrying the identity id, as the middleware
// leaves it for the handlers: for adapters that authenticate otherwise
// and for their tests (an OAuth token's scopes, for one).
func NewContext(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}
