package oauth

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/membership"
)

// Deps is what the authorization server is built from.
type Deps struct {
	Config  config.Config
	Members *membership.Service
	// Stylesheet is the address of the pages' stylesheet, which the
	// authorization page uses too.
	Stylesheet string
}

// Server answers the OAuth endpoints and the Mastodon app registration.
type Server struct {
	cfg        config.Config
	members    *membership.Service
	baseURL    string
	stylesheet string
	cat        *catalogue
}

// New returns the authorization server; it parses its templates and
// catalogue at once, so that a broken one stops the start-up.
func New(d Deps) (*Server, error) {
	cat, err := loadCatalogue(d.Config.Instance.DefaultLocale)
	if err != nil {
		return nil, err
	}
	return &Server{cfg: d.Config, members: d.Members, baseURL: d.Config.BaseURL(), stylesheet: d.Stylesheet, cat: cat}, nil
}

// CORS lets browser apps on other origins (Phanpy, Elk's web build) call
// the token, revocation and metadata endpoints, as Mastodon's rack-cors
// does. These endpoints never read cookies.
func CORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			h.Set("Access-Control-Max-Age", "7200")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Scopes lists every scope Holon knows, top-level first, as the metadata
// document advertises them.
func Scopes() []string {
	out := []string{ScopeRead, ScopeWrite, ScopePush, ScopeFollow, ScopeProfile}
	for _, top := range []string{ScopeRead, ScopeWrite} {
		for _, sub := range subScopes[top] {
			out = append(out, top+":"+sub)
		}
	}
	return out
}

// Metadata answers GET /.well-known/oauth-authorization-server (RFC 8414)
// as Mastodon 4.3 does, so that apps discover the endpoints and PKCE.
func (s *Server) Metadata(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, map[string]any{
		"issuer":                                s.baseURL + "/",
		"service_documentation":                 "https://docs.joinmastodon.org/",
		"authorization_endpoint":                s.baseURL + "/oauth/authorize",
		"token_endpoint":                        s.baseURL + "/oauth/token",
		"revocation_endpoint":                   s.baseURL + "/oauth/revoke",
		"app_registration_endpoint":             s.baseURL + "/api/v1/apps",
		"scopes_supported":                      Scopes(),
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query"},
		"grant_types_supported":                 []string{"authorization_code", "client_credentials", "refresh_token"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"code_challenge_methods_supported":      []string{membership.PKCEMethodS256},
	})
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		hlog.FromRequest(r).Error().Err(err).Msg("oauth: encode")
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"server_error"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// scopeText joins scopes as OAuth writes them.
func scopeText(scopes []string) string { return strings.Join(scopes, " ") }

// redirectAllowed reports whether uri is one app registered, compared
// exactly: a prefix or a normalised match would let an attacker's path on
// the same host receive the code.
func redirectAllowed(app membership.OAuthApp, uri string) bool {
	return slices.Contains(app.RedirectURIs, uri)
}

// Preflight answers an OPTIONS request that CORS did not (one without
// Access-Control-Request-Method).
func Preflight(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }
