package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// authRequest is an authorization request once checked.
type authRequest struct {
	app                membership.OAuthApp
	redirectURI, state string
	challenge, method  string
	lang               string
	scopes             []string
	forceLogin         bool
}

// refusal is why a request cannot go on: either an error page (when the
// app or its redirect URI cannot be trusted, RFC 6749 §4.1.2.1 forbids
// redirecting), or an OAuth error sent back to the app's redirect URI.
type refusal struct {
	page     string // message key of the error page
	code     string // OAuth error code for the redirect
	describe string
}

// readAuthRequest checks the parameters of GET and POST /oauth/authorize
// alike: the POST is checked again, never trusted from the form.
func (s *Server) readAuthRequest(ctx context.Context, v url.Values) (authRequest, *refusal, error) {
	app, err := s.members.AppByClientID(ctx, v.Get("client_id"))
	if errors.Is(err, membership.ErrNoSuchApp) {
		return authRequest{}, &refusal{page: "error.client"}, nil
	}
	if err != nil {
		return authRequest{}, nil, err
	}
	req := authRequest{app: app, redirectURI: v.Get("redirect_uri"), state: v.Get("state"),
		challenge: v.Get("code_challenge"), method: v.Get("code_challenge_method"), lang: v.Get("lang")}
	if req.redirectURI == "" && len(app.RedirectURIs) == 1 {
		req.redirectURI = app.RedirectURIs[0] // as Doorkeeper: the only one registered
	}
	if !redirectAllowed(app, req.redirectURI) {
		return req, &refusal{page: "error.redirect"}, nil
	}
	req.forceLogin, _ = strconv.ParseBool(v.Get("force_login"))
	if v.Get("response_type") != "code" {
		return req, &refusal{page: "error.request", code: "unsupported_response_type",
			describe: "The authorization server does not support this response type."}, nil
	}
	req.scopes, err = ParseScopes(v.Get("scope"))
	if err != nil || !Subset(req.scopes, app.Scopes) {
		return req, &refusal{page: "error.request", code: "invalid_scope",
			describe: "The requested scope is invalid, unknown, or malformed."}, nil
	}
	if err := membership.CheckPKCEChallenge(req.challenge, req.method); err != nil {
		return req, &refusal{page: "error.request", code: "invalid_request",
			describe: "Only the S256 code challenge method is supported, with a valid code challenge."}, nil
	}
	return req, nil, nil
}

// AuthorizeForm answers GET /oauth/authorize: the consent page, with the
// log-in fields when no one is logged in (or the app asked force_login).
func (s *Server) AuthorizeForm(w http.ResponseWriter, r *http.Request) {
	req, ref, err := s.readAuthRequest(r.Context(), r.URL.Query())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if ref != nil {
		s.refuse(w, r, req, ref)
		return
	}
	acc := sessionAccount(r)
	if req.forceLogin {
		acc = nil
	}
	if acc != nil {
		// As Mastodon: a person who already let this app in, through this
		// very redirect URI, with scopes at least as wide, and who still
		// holds a live token of it, is not asked again.
		again, err := s.members.PreviouslyAuthorized(r.Context(), req.app, *acc, req.redirectURI, req.scopes, Subset)
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		if again {
			s.grant(w, r, req, *acc)
			return
		}
	}
	s.render(w, r, http.StatusOK, s.consentPage(r, req, acc, "", ""))
}

// Authorize answers POST /oauth/authorize, the consent form: decision
// "deny" sends access_denied back; "allow" logs in first when the form
// carries a username and a password, then issues a code. One POST may
// therefore log in and authorise at once (doc.go).
func (s *Server) Authorize(w http.ResponseWriter, r *http.Request) {
	v, err := params(r)
	if err != nil {
		s.tooLargeOrBad(w, r, err)
		return
	}
	req, ref, err := s.readAuthRequest(r.Context(), v)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if ref != nil {
		s.refuse(w, r, req, ref)
		return
	}
	switch v.Get("decision") {
	case "deny":
		if req.redirectURI == membership.OOBRedirect {
			s.render(w, r, http.StatusOK, &page{Kind: "denied", Title: "title.denied", Lang: s.cat.choose(req.lang, nil, r.Header.Get("Accept-Language"))})
			return
		}
		redirectTo(w, req.redirectURI, url.Values{"error": {"access_denied"},
			"error_description": {"The resource owner or authorization server denied the request."}}, req.state)
		return
	case "allow":
	default:
		s.render(w, r, http.StatusBadRequest, s.consentPage(r, req, sessionAccount(r), "", ""))
		return
	}
	var acc *membership.Account
	if username := v.Get("username"); username != "" || v.Get("password") != "" {
		a, err := s.members.LogIn(r.Context(), username, v.Get("password"), auth.ClientIP(r, s.cfg.Server.TrustProxy))
		if err != nil {
			s.loginFailed(w, r, req, username, err)
			return
		}
		secret, expires, err := s.members.StartSession(r.Context(), a)
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		auth.SetSessionCookie(w, secret, expires, s.cfg.Server.Protocol == config.ProtocolHTTPS)
		acc = &a
	} else if !req.forceLogin {
		acc = sessionAccount(r)
	}
	if acc == nil {
		s.render(w, r, http.StatusUnauthorized, s.consentPage(r, req, nil, "", ""))
		return
	}
	s.grant(w, r, req, *acc)
}

// grant issues a code of req for acc and hands it to the app: by redirect,
// or on a page for the out-of-band URN.
func (s *Server) grant(w http.ResponseWriter, r *http.Request, req authRequest, acc membership.Account) {
	code, err := s.members.IssueCode(r.Context(), req.app, acc, membership.CodeRequest{RedirectURI: req.redirectURI,
		Scopes: req.scopes, Challenge: req.challenge, Method: req.method})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if req.redirectURI == membership.OOBRedirect {
		s.render(w, r, http.StatusOK, &page{Kind: "code", Title: "title.code", Code: code,
			Lang: s.cat.choose(req.lang, &acc, r.Header.Get("Accept-Language"))})
		return
	}
	redirectTo(w, req.redirectURI, url.Values{"code": {code}}, req.state)
}

// sessionAccount is the account of the browser session; a bearer token
// never authorises an app on a person's behalf.
func sessionAccount(r *http.Request) *membership.Account {
	id, ok := auth.From(r.Context())
	if !ok || id.ByToken {
		return nil
	}
	return &id.Account
}

func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, req authRequest, username string, err error) {
	status, key := http.StatusUnauthorized, "login.failed"
	switch core.KindOf(err) {
	case core.KindUnauthenticated:
	case core.KindRateLimited:
		status, key = http.StatusTooManyRequests, "login.too_many"
		w.Header().Set("Retry-After", strconv.Itoa(int(membership.LoginWindow.Seconds())))
	case core.KindForbidden:
		status, key = http.StatusForbidden, "login.refused"
	default:
		s.failPage(w, r, err)
		return
	}
	if len(username) > 64 {
		username = ""
	}
	s.render(w, r, status, s.consentPage(r, req, nil, username, key))
}

// consentPage is the authorization form; acc nil asks to log in.
func (s *Server) consentPage(r *http.Request, req authRequest, acc *membership.Account, username, loginError string) *page {
	lang := s.cat.choose(req.lang, acc, r.Header.Get("Accept-Language"))
	p := &page{Kind: "authorize", Title: "title.authorize", Lang: lang, AppName: req.app.Name,
		NeedLogin: acc == nil, Username: username, LoginError: loginError}
	if u, err := url.Parse(req.app.Website); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		p.Website = req.app.Website
	}
	if acc != nil {
		p.Account = acc.Username
	}
	for _, sc := range req.scopes {
		top, sub, ok := strings.Cut(sc, ":")
		if ok {
			p.Scopes = append(p.Scopes, s.cat.t(lang, "scope."+top+"_sub", sub))
		} else {
			p.Scopes = append(p.Scopes, s.cat.t(lang, "scope."+top))
		}
	}
	p.Hidden = []hidden{{"response_type", "code"}, {"client_id", req.app.ClientID}, {"redirect_uri", req.redirectURI},
		{"scope", scopeText(req.scopes)}, {"state", req.state}, {"code_challenge", req.challenge},
		{"code_challenge_method", req.method}, {"lang", req.lang}}
	if req.forceLogin {
		p.Hidden = append(p.Hidden, hidden{"force_login", "true"})
	}
	return p
}

// refuse answers a request that cannot go on: an error page when the app
// or its redirect URI is not trusted, or for the out-of-band URN; else the
// OAuth error at the app's redirect URI.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, req authRequest, ref *refusal) {
	if ref.code == "" || req.redirectURI == membership.OOBRedirect {
		s.render(w, r, http.StatusBadRequest, &page{Kind: "error", Title: "title.error", Message: ref.page,
			Lang: s.cat.choose(r.URL.Query().Get("lang"), sessionAccount(r), r.Header.Get("Accept-Language"))})
		return
	}
	redirectTo(w, req.redirectURI, url.Values{"error": {ref.code}, "error_description": {ref.describe}}, req.state)
}

// redirectTo sends the browser to the app's redirect URI with extra
// query parameters (and state, when the app gave one), keeping the URI's
// own query.
func redirectTo(w http.ResponseWriter, redirectURI string, extra url.Values, state string) {
	u, err := url.Parse(redirectURI)
	if err != nil { // registered URIs parsed at registration
		http.Error(w, "bad redirect URI", http.StatusInternalServerError)
		return
	}
	q := u.Query()
	for k, vs := range extra {
		q[k] = vs
	}
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Location", u.String())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusFound)
}

func (s *Server) failPage(w http.ResponseWriter, r *http.Request, err error) {
	hlog.FromRequest(r).Error().Err(err).Msg("oauth authorize")
	http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
}

func (s *Server) tooLargeOrBad(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errTooLarge) {
		http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
		return
	}
	s.render(w, r, http.StatusBadRequest, &page{Kind: "error", Title: "title.error", Message: "error.request",
		Lang: s.cat.choose("", nil, r.Header.Get("Accept-Language"))})
}
