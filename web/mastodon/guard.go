package mastodon

import (
	"net/http"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
	"github.com/holon-network/holon/web/oauth"
)

// Mastodon's answers to a request without a usable token, and to one whose
// token lacks the scope the route needs.
const (
	errTokenInvalid = "The access token is invalid"
	errOutsideScope = "This action is outside the authorized scopes"
)

// authorized returns the account of a request whose token grants scope
// (web/oauth scope names: "read:statuses", "write", …). Otherwise it
// answers as Mastodon does, 401 without a token and 403 outside the
// token's scopes, and ok is false.
func authorized(w http.ResponseWriter, r *http.Request, scope string) (acc membership.Account, ok bool) {
	id, found := auth.From(r.Context())
	if !found {
		writeJSON(w, r, http.StatusUnauthorized, errorJSON{Error: errTokenInvalid})
		return membership.Account{}, false
	}
	if !oauth.Allows(id.Scopes, scope) {
		writeJSON(w, r, http.StatusForbidden, errorJSON{Error: errOutsideScope})
		return membership.Account{}, false
	}
	return id.Account, true
}

// viewer returns the account of the request when it has one whose token
// may read (scope), nil for a visitor: public routes answer both, and a
// token that may not read is treated as no token.
func viewer(r *http.Request, scope string) *membership.Account {
	id, found := auth.From(r.Context())
	if !found || !oauth.Allows(id.Scopes, scope) {
		return nil
	}
	return &id.Account
}
