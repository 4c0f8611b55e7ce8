package oauth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// appJSON is Mastodon's Application entity (GET
// /api/v1/apps/verify_credentials).
type appJSON struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Website      *string  `json:"website"`
	Scopes       []string `json:"scopes"`
	RedirectURI  string   `json:"redirect_uri"`
	RedirectURIs []string `json:"redirect_uris"`
	VapidKey     string   `json:"vapid_key"`
}

// credentialAppJSON is Mastodon's CredentialApplication entity, answered
// once at registration with the client secret.
type credentialAppJSON struct {
	appJSON
	ClientID              string `json:"client_id"`
	ClientSecret          string `json:"client_secret"`
	ClientSecretExpiresAt int64  `json:"client_secret_expires_at"`
}

func appEntity(a membership.OAuthApp) appJSON {
	j := appJSON{ID: a.ID.String(), Name: a.Name, Scopes: a.Scopes, RedirectURI: strings.Join(a.RedirectURIs, "\n"),
		RedirectURIs: a.RedirectURIs}
	if a.Website != "" {
		j.Website = &a.Website
	}
	if j.Scopes == nil {
		j.Scopes = []string{}
	}
	return j
}

// mastodonError is Mastodon's error entity.
type mastodonError struct {
	Error string `json:"error"`
}

// CreateApp answers POST /api/v1/apps: client_name, redirect_uris (a
// string of URIs separated by white space, or an array), scopes (default
// "read"), website; as a form, a multipart form or JSON.
func (s *Server) CreateApp(w http.ResponseWriter, r *http.Request) {
	v, err := params(r)
	if errors.Is(err, errTooLarge) {
		writeJSON(w, r, http.StatusRequestEntityTooLarge, mastodonError{"Request body too large"})
		return
	}
	if err != nil {
		writeJSON(w, r, http.StatusBadRequest, mastodonError{"Malformed request: " + err.Error()})
		return
	}
	var uris []string
	for _, u := range v["redirect_uris"] {
		uris = append(uris, strings.Fields(u)...)
	}
	if len(uris) > membership.MaxRedirectURIs {
		uris = uris[:membership.MaxRedirectURIs+1] // reported as too many, without keeping them all
	}
	scopes, err := ParseScopes(v.Get("scopes"))
	if err != nil {
		writeJSON(w, r, http.StatusUnprocessableEntity, mastodonError{"Validation failed: Scopes doesn't match configured on the server."})
		return
	}
	app, secret, err := s.members.RegisterApp(r.Context(), membership.AppRegistration{Name: v.Get("client_name"),
		Website: v.Get("website"), RedirectURIs: uris, Scopes: scopes})
	if e, ok := core.As(err); ok && e.Kind == core.KindInvalid {
		writeJSON(w, r, http.StatusUnprocessableEntity, mastodonError{validationFailed(e)})
		return
	}
	if err != nil {
		hlog.FromRequest(r).Error().Err(err).Msg("register oauth app")
		writeJSON(w, r, http.StatusInternalServerError, mastodonError{"Internal server error"})
		return
	}
	noStore(w)
	writeJSON(w, r, http.StatusOK, credentialAppJSON{appJSON: appEntity(app), ClientID: app.ClientID, ClientSecret: secret})
}

// validationFailed writes the field errors as Rails does ("Validation
// failed: Name can't be blank, Redirect URI …"), which apps show.
func validationFailed(e *core.Error) string {
	names := map[string]string{"client_name": "Name", "website": "Website", "redirect_uris": "Redirect URI", "scopes": "Scopes"}
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		name := names[f.Field]
		if name == "" {
			name = f.Field
		}
		detail := f.Detail
		switch f.Code {
		case "required":
			detail = "can't be blank"
		case "too-long":
			detail = "is too long"
		}
		parts = append(parts, name+" "+detail)
	}
	return "Validation failed: " + strings.Join(parts, ", ")
}

// VerifyApp answers GET /api/v1/apps/verify_credentials: the application
// of the bearer token, whether it acts for a person or for the app.
func (s *Server) VerifyApp(w http.ResponseWriter, r *http.Request) {
	c, ok := auth.App(r.Context())
	if !ok {
		writeJSON(w, r, http.StatusUnauthorized, mastodonError{"The access token is invalid"})
		return
	}
	writeJSON(w, r, http.StatusOK, appEntity(c.App))
}
