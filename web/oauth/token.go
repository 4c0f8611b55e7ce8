package oauth

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core/membership"
)

// tokenError is RFC 6749 §5.2's error answer, as Doorkeeper writes it.
type tokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

var (
	errInvalidClient = tokenError{"invalid_client",
		"Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."}
	errInvalidGrant = tokenError{"invalid_grant",
		"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}
	errInvalidScope = tokenError{"invalid_scope", "The requested scope is invalid, unknown, or malformed."}
	errUnsupported  = tokenError{"unsupported_grant_type", "The authorization grant type is not supported by the authorization server."}
)

func invalidRequest(what string) tokenError {
	return tokenError{"invalid_request", "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed: " + what + "."}
}

// tokenJSON is the token answer; refresh_token is left out of an
// application's own token, which has none.
type tokenJSON struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	CreatedAt    int64  `json:"created_at"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// Token answers POST /oauth/token: the authorization_code (with PKCE),
// client_credentials and refresh_token grants. The client authenticates by
// HTTP Basic or client_id and client_secret in the body.
func (s *Server) Token(w http.ResponseWriter, r *http.Request) {
	v, err := params(r)
	if err != nil {
		s.bodyRefused(w, r, err)
		return
	}
	app, ok := s.client(w, r, v)
	if !ok {
		return
	}
	var g membership.Grant
	switch v.Get("grant_type") {
	case "authorization_code":
		if v.Get("code") == "" {
			tokenFail(w, r, http.StatusBadRequest, invalidRequest("code"))
			return
		}
		g, err = s.members.ExchangeCode(r.Context(), app, v.Get("code"), v.Get("redirect_uri"), v.Get("code_verifier"))
	case "client_credentials":
		scopes, perr := ParseScopes(v.Get("scope"))
		if perr != nil || !Subset(scopes, app.Scopes) {
			tokenFail(w, r, http.StatusBadRequest, errInvalidScope)
			return
		}
		g, err = s.members.AppToken(r.Context(), app, scopes)
	case "refresh_token":
		if v.Get("refresh_token") == "" {
			tokenFail(w, r, http.StatusBadRequest, invalidRequest("refresh_token"))
			return
		}
		var scopes []string // nil keeps the old token's scopes
		if v.Get("scope") != "" {
			if scopes, err = ParseScopes(v.Get("scope")); err != nil {
				tokenFail(w, r, http.StatusBadRequest, errInvalidScope)
				return
			}
		}
		g, err = s.members.Refresh(r.Context(), app, v.Get("refresh_token"), scopes, Subset)
	case "":
		tokenFail(w, r, http.StatusBadRequest, invalidRequest("grant_type"))
		return
	default:
		tokenFail(w, r, http.StatusBadRequest, errUnsupported)
		return
	}
	switch {
	case errors.Is(err, membership.ErrBadGrant):
		tokenFail(w, r, http.StatusBadRequest, errInvalidGrant)
		return
	case errors.Is(err, membership.ErrBadScope):
		tokenFail(w, r, http.StatusBadRequest, errInvalidScope)
		return
	case err != nil:
		hlog.FromRequest(r).Error().Err(err).Msg("oauth token")
		tokenFail(w, r, http.StatusInternalServerError, tokenError{"server_error", "The authorization server encountered an unexpected condition."})
		return
	}
	noStore(w)
	writeJSON(w, r, http.StatusOK, tokenJSON{AccessToken: g.AccessToken, TokenType: "Bearer", Scope: scopeText(g.Scopes),
		CreatedAt: g.CreatedAt.Unix(), RefreshToken: g.RefreshToken})
}

// Revoke answers POST /oauth/revoke (RFC 7009): the client's token (access
// or refresh) is revoked, with its pair; the answer is the same whether
// the token existed or not.
func (s *Server) Revoke(w http.ResponseWriter, r *http.Request) {
	v, err := params(r)
	if err != nil {
		s.bodyRefused(w, r, err)
		return
	}
	app, ok := s.client(w, r, v)
	if !ok {
		return
	}
	if v.Get("token") == "" {
		tokenFail(w, r, http.StatusBadRequest, invalidRequest("token"))
		return
	}
	if err := s.members.RevokeOAuthToken(r.Context(), app, v.Get("token")); err != nil {
		hlog.FromRequest(r).Error().Err(err).Msg("oauth revoke")
		tokenFail(w, r, http.StatusServiceUnavailable, tokenError{"server_error", "The token could not be revoked; try again."})
		return
	}
	noStore(w)
	writeJSON(w, r, http.StatusOK, struct{}{})
}

// client authenticates the client by HTTP Basic (RFC 6749 §2.3.1, whose
// parts are form-encoded) or by the body; it answers 401 invalid_client
// itself when that fails.
func (s *Server) client(w http.ResponseWriter, r *http.Request, v url.Values) (membership.OAuthApp, bool) {
	id, secret, basic := r.BasicAuth()
	if basic {
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		secret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			id, secret = "", ""
		}
	} else {
		id, secret = v.Get("client_id"), v.Get("client_secret")
	}
	if id == "" || secret == "" {
		s.badClient(w, r, basic)
		return membership.OAuthApp{}, false
	}
	app, err := s.members.AuthenticateClient(r.Context(), id, secret)
	if errors.Is(err, membership.ErrBadClient) {
		s.badClient(w, r, basic)
		return membership.OAuthApp{}, false
	}
	if err != nil {
		hlog.FromRequest(r).Error().Err(err).Msg("oauth client authentication")
		tokenFail(w, r, http.StatusInternalServerError, tokenError{"server_error", "The authorization server encountered an unexpected condition."})
		return membership.OAuthApp{}, false
	}
	return app, true
}

func (s *Server) badClient(w http.ResponseWriter, r *http.Request, basic bool) {
	if basic {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
	}
	tokenFail(w, r, http.StatusUnauthorized, errInvalidClient)
}

func (s *Server) bodyRefused(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errTooLarge) {
		tokenFail(w, r, http.StatusRequestEntityTooLarge, invalidRequest("the body is too large"))
		return
	}
	tokenFail(w, r, http.StatusBadRequest, invalidRequest("the body is malformed"))
}

func tokenFail(w http.ResponseWriter, r *http.Request, status int, e tokenError) {
	noStore(w)
	writeJSON(w, r, status, e)
}

// noStore keeps tokens out of caches (RFC 6749 §5.1).
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}
