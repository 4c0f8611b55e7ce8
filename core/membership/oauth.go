package membership

// The persistence rules of the OAuth 2 authorization server that Mastodon
// apps log in through (the protocol is web/oauth's): applications and their
// client secrets, authorization codes (single use, short-lived, bound to a
// redirect URI and a PKCE challenge), access and refresh tokens (refresh
// rotates), revocation. Scope names are web/oauth's; here scopes are plain
// strings that web/oauth has checked.

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// OOBRedirect is the redirect URI of apps that cannot receive a redirect:
// the code is shown to the person, who copies it into the app.
const OOBRedirect = "urn:ietf:wg:oauth:2.0:oob"

// Bounds of the OAuth server.
const (
	// CodeLifetime is how long an authorization code may be exchanged, as
	// in Mastodon (Doorkeeper's default).
	CodeLifetime = 10 * time.Minute
	// MaxRedirectURIs and MaxRedirectURILength bound a registration.
	MaxRedirectURIs      = 10
	MaxRedirectURILength = 2000
	MaxAppNameLength     = 255
	MaxWebsiteLength     = 2000
	// MaxScopesLength bounds the scopes text an app or a token keeps.
	MaxScopesLength = 1000
)

// PKCEMethodS256 is the only PKCE method accepted: "plain" would hand the
// verifier to whoever sees the authorization request.
const PKCEMethodS256 = "S256"

// Errors of the OAuth server, which web/oauth maps to RFC 6749's codes.
var (
	// ErrNoSuchApp: unknown client_id (invalid_client).
	ErrNoSuchApp = core.New(core.KindNotFound, "oauth-app-not-found", "no such application")
	// ErrBadClient: unknown client or wrong secret (invalid_client).
	ErrBadClient = core.New(core.KindUnauthenticated, "oauth-bad-client", "client authentication failed")
	// ErrBadGrant: the code or refresh token is unknown, used, expired,
	// revoked, of another application or redirect URI, or the PKCE
	// verifier does not match (invalid_grant).
	ErrBadGrant = core.New(core.KindInvalid, "oauth-bad-grant",
		"the provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client")
	// ErrBadRedirect: the redirect URI is not one the application registered.
	ErrBadRedirect = core.New(core.KindInvalid, "oauth-bad-redirect", "the redirect URI is not one the application registered")
	// ErrBadPKCE: a challenge method other than S256, or a malformed challenge.
	ErrBadPKCE = core.New(core.KindInvalid, "oauth-bad-pkce", "the code challenge must use the S256 method")
)

// OAuthApp is an application registered for the Mastodon client API.
type OAuthApp struct {
	ID           uuid.UUID
	ClientID     string
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       []string
	CreatedAt    time.Time
}

// AppRegistration is what an app registers.
type AppRegistration struct {
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       []string // checked by the caller against the known scopes
}

// RegisterApp records an application and returns it with its client
// secret, which is shown only now. Every invalid field is reported.
func (s *Service) RegisterApp(ctx context.Context, reg AppRegistration) (OAuthApp, string, error) {
	var errs []core.FieldError
	name, fe := checkText("client_name", reg.Name, MaxAppNameLength, true)
	if fe != nil {
		errs = append(errs, *fe)
	}
	website, fe := checkText("website", reg.Website, MaxWebsiteLength, false)
	if fe == nil && website != "" {
		if u, err := url.Parse(website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			fe = &core.FieldError{Field: "website", Code: "not-a-url", Detail: "must be an http or https URL"}
		}
	}
	if fe != nil {
		errs = append(errs, *fe)
	}
	if fe := checkRedirectURIs(reg.RedirectURIs); fe != nil {
		errs = append(errs, *fe)
	}
	scopes := strings.Join(reg.Scopes, " ")
	if len(reg.Scopes) == 0 || len(scopes) > MaxScopesLength {
		errs = append(errs, core.FieldError{Field: "scopes", Code: "bad-scopes", Detail: "must name between one and a few scopes"})
	}
	if len(errs) > 0 {
		return OAuthApp{}, "", core.Invalid(errs...)
	}
	clientID, _ := newSecret("")
	secret, hash := newSecret("hlk_")
	row := store.OAuthApp{ID: newID(), ClientID: clientID, ClientSecretHash: hash, Name: name, Website: website,
		RedirectURIs: strings.Join(reg.RedirectURIs, "\n"), Scopes: scopes, CreatedAt: s.now()}
	if err := s.db.OAuth().CreateApp(ctx, &row); err != nil {
		return OAuthApp{}, "", fmt.Errorf("register app %q: %w", name, err)
	}
	return appFrom(row), secret, nil
}

// checkRedirectURIs accepts absolute URIs of any scheme (web apps use
// https, mobile apps their own, "com.keylesspalace.tusky://oauth") and
// the out-of-band URN, without fragments (RFC 6749 §3.1.2).
func checkRedirectURIs(uris []string) *core.FieldError {
	bad := func(detail string) *core.FieldError {
		return &core.FieldError{Field: "redirect_uris", Code: "bad-redirect-uri", Detail: detail}
	}
	if len(uris) == 0 {
		return bad("at least one redirect URI is required")
	}
	if len(uris) > MaxRedirectURIs {
		return bad(fmt.Sprintf("at most %d redirect URIs", MaxRedirectURIs))
	}
	for _, u := range uris {
		if u == OOBRedirect {
			continue
		}
		if len(u) > MaxRedirectURILength {
			return bad("a redirect URI is too long")
		}
		p, err := url.Parse(u)
		if err != nil || p.Scheme == "" || !p.IsAbs() || p.Fragment != "" || strings.ContainsAny(u, " \t\r\n") {
			return bad("must be an absolute URI without fragment")
		}
		if (p.Scheme == "http" || p.Scheme == "https") && p.Host == "" {
			return bad("must be an absolute URI without fragment")
		}
		if strings.EqualFold(p.Scheme, "javascript") || strings.EqualFold(p.Scheme, "data") {
			return bad("this scheme may not be a redirect URI")
		}
	}
	return nil
}

func appFrom(r store.OAuthApp) OAuthApp {
	return OAuthApp{ID: r.ID, ClientID: r.ClientID, Name: r.Name, Website: r.Website,
		RedirectURIs: strings.Split(r.RedirectURIs, "\n"), Scopes: strings.Fields(r.Scopes), CreatedAt: r.CreatedAt}
}

// AppByClientID returns the application of clientID, or ErrNoSuchApp.
func (s *Service) AppByClientID(ctx context.Context, clientID string) (OAuthApp, error) {
	if clientID == "" || len(clientID) > 128 {
		return OAuthApp{}, ErrNoSuchApp
	}
	row, err := s.db.OAuth().AppByClientID(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return OAuthApp{}, ErrNoSuchApp
	}
	if err != nil {
		return OAuthApp{}, err
	}
	return appFrom(row), nil
}

// AuthenticateClient returns the application of clientID if secret is its
// client secret; ErrBadClient otherwise, with the same work either way.
func (s *Service) AuthenticateClient(ctx context.Context, clientID, secret string) (OAuthApp, error) {
	if len(secret) > 128 {
		return OAuthApp{}, ErrBadClient
	}
	app, err := s.db.OAuth().AppByClientID(ctx, clientID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return OAuthApp{}, err
	}
	got := hashSecret(secret)
	want := app.ClientSecretHash
	if err != nil {
		want = strings.Repeat("0", len(got)) // an unknown client costs the same compare
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 || err != nil {
		return OAuthApp{}, ErrBadClient
	}
	return appFrom(app), nil
}

// CodeRequest is what a person consents to on the authorization page.
type CodeRequest struct {
	RedirectURI string
	Scopes      []string // within the app's, checked by the caller
	// Challenge and Method are the PKCE code challenge (RFC 7636), or
	// empty for an app that sends none.
	Challenge, Method string
}

// IssueCode returns a new authorization code by which app may obtain a
// token acting for account with req's scopes.
func (s *Service) IssueCode(ctx context.Context, app OAuthApp, account Account, req CodeRequest) (string, error) {
	if !slices.Contains(app.RedirectURIs, req.RedirectURI) {
		return "", ErrBadRedirect
	}
	if err := CheckPKCEChallenge(req.Challenge, req.Method); err != nil {
		return "", err
	}
	method := ""
	if req.Challenge != "" {
		method = PKCEMethodS256
	}
	code, hash := newSecret("hlc_")
	now := s.now()
	row := store.OAuthCode{ID: newID(), CodeHash: hash, ApplicationID: app.ID, AccountID: account.ID, RedirectURI: req.RedirectURI,
		Scopes: strings.Join(req.Scopes, " "), CodeChallenge: req.Challenge, CodeChallengeMethod: method,
		CreatedAt: now, ExpiresAt: now.Add(CodeLifetime)}
	if err := s.db.OAuth().CreateCode(ctx, &row); err != nil {
		return "", fmt.Errorf("issue code to %s for %s: %w", app.ClientID, account.Username, err)
	}
	return code, nil
}

// CheckPKCEChallenge accepts no challenge (no method either), or an S256
// challenge: the unpadded base64url of a SHA-256 sum, 43 characters.
func CheckPKCEChallenge(challenge, method string) error {
	if challenge == "" {
		if method != "" {
			return ErrBadPKCE
		}
		return nil
	}
	if method != PKCEMethodS256 {
		return ErrBadPKCE
	}
	if b, err := base64.RawURLEncoding.DecodeString(challenge); err != nil || len(b) != sha256.Size {
		return ErrBadPKCE
	}
	return nil
}

// Grant is what a token request obtains. RefreshToken is empty for an
// application's own token; Account is nil for it.
type Grant struct {
	AccessToken  string
	RefreshToken string
	Scopes       []string
	CreatedAt    time.Time
	Account      *Account
}

// ExchangeCode trades an authorization code of app for a token. The code
// must be unused, unexpired, issued for redirectURI, and verifier must
// match its PKCE challenge when it had one. A code presented a second time
// has leaked, or been replayed: the tokens it gave are revoked (RFC 6749
// §4.1.2).
func (s *Service) ExchangeCode(ctx context.Context, app OAuthApp, code, redirectURI, verifier string) (Grant, error) {
	if len(code) > 128 || len(verifier) > 128 {
		return Grant{}, ErrBadGrant
	}
	var grant Grant
	replayed := false
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		now := s.now()
		row, err := tx.OAuth().CodeByHash(ctx, hashSecret(code))
		if errors.Is(err, store.ErrNotFound) {
			return ErrBadGrant
		}
		if err != nil {
			return err
		}
		if row.ApplicationID != app.ID {
			return ErrBadGrant
		}
		if row.UsedAt != nil {
			replayed = true
			return tx.OAuth().RevokeCodeTokens(ctx, row.ID, now)
		}
		if !now.Before(row.ExpiresAt) || row.RedirectURI != redirectURI || !pkceVerified(row, verifier) {
			return ErrBadGrant
		}
		if err := tx.OAuth().UseCode(ctx, row.ID, now); errors.Is(err, store.ErrNotFound) {
			return ErrBadGrant // a concurrent exchange won
		} else if err != nil {
			return err
		}
		acc, err := tx.Accounts().ByID(ctx, row.AccountID)
		if err != nil {
			return fmt.Errorf("account of a code: %w", err)
		}
		if acc.Status != AccountActive {
			return ErrBadGrant
		}
		a := accountFrom(acc)
		grant, err = s.issueToken(ctx, tx, app.ID, &a, &row.ID, row.RedirectURI, strings.Fields(row.Scopes), true)
		return err
	})
	if replayed && err == nil {
		return Grant{}, ErrBadGrant // the revocation above is committed
	}
	if err != nil {
		return Grant{}, fmt.Errorf("exchange code of %s: %w", app.ClientID, err)
	}
	return grant, nil
}

// pkceVerified checks verifier against the code's challenge in constant
// time. A code issued without a challenge needs no verifier.
func pkceVerified(c store.OAuthCode, verifier string) bool {
	if c.CodeChallenge == "" {
		return true
	}
	// RFC 7636 §4.1: 43 to 128 characters.
	if len(verifier) < 43 || c.CodeChallengeMethod != PKCEMethodS256 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(c.CodeChallenge)) == 1
}

// issueToken makes an access token (and a refresh token when refresh is
// true) for app acting for account, nil for the app itself.
// redirectURI is that of the code the token comes from, kept so that a
// later authorization through the same URI may skip the consent page.
func (s *Service) issueToken(ctx context.Context, tx store.Tx, app uuid.UUID, account *Account, code *uuid.UUID, redirectURI string, scopes []string, refresh bool) (Grant, error) {
	access, hash := newSecret("hlo_")
	row := store.OAuthToken{ID: newID(), ApplicationID: app, CodeID: code, TokenHash: hash,
		Scopes: strings.Join(scopes, " "), RedirectURI: redirectURI, CreatedAt: s.now()}
	g := Grant{AccessToken: access, Scopes: scopes, CreatedAt: row.CreatedAt, Account: account}
	if account != nil {
		row.AccountID = &account.ID
	}
	if refresh {
		r, rhash := newSecret("hlr_")
		g.RefreshToken, row.RefreshTokenHash = r, &rhash
	}
	if err := tx.OAuth().CreateToken(ctx, &row); err != nil {
		return Grant{}, err
	}
	return g, nil
}

// AppToken gives app a token of its own (client credentials grant), which
// acts for no person: it may register nothing and read only what a
// visitor may. It has no refresh token: the app asks again.
func (s *Service) AppToken(ctx context.Context, app OAuthApp, scopes []string) (Grant, error) {
	g, err := s.issueToken(ctx, s.db.Tx, app.ID, nil, nil, "", scopes, false)
	if err != nil {
		return Grant{}, fmt.Errorf("app token for %s: %w", app.ClientID, err)
	}
	return g, nil
}

// Refresh trades a refresh token of app for a new access token and a new
// refresh token; the old pair dies (rotation), so a stolen refresh token
// works once at most, and its theft shows when the app's own refresh then
// fails. scopes narrows the new token; nil keeps the old scopes.
// within reports whether the asked scopes are within the old ones (the
// caller's scope model).
func (s *Service) Refresh(ctx context.Context, app OAuthApp, refresh string, scopes []string, within func(asked, granted []string) bool) (Grant, error) {
	if len(refresh) > 128 {
		return Grant{}, ErrBadGrant
	}
	var grant Grant
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		old, err := tx.OAuth().TokenByRefreshHash(ctx, app.ID, hashSecret(refresh))
		if errors.Is(err, store.ErrNotFound) {
			return ErrBadGrant
		}
		if err != nil {
			return err
		}
		granted := strings.Fields(old.Scopes)
		if scopes == nil {
			scopes = granted
		} else if !within(scopes, granted) {
			return ErrBadScope
		}
		if err := tx.OAuth().RevokeToken(ctx, old.ID, s.now()); errors.Is(err, store.ErrNotFound) {
			return ErrBadGrant // a concurrent refresh won
		} else if err != nil {
			return err
		}
		var account *Account
		if old.AccountID != nil {
			acc, err := tx.Accounts().ByID(ctx, *old.AccountID)
			if err != nil {
				return fmt.Errorf("account of a token: %w", err)
			}
			if acc.Status != AccountActive {
				return ErrBadGrant
			}
			a := accountFrom(acc)
			account = &a
		}
		grant, err = s.issueToken(ctx, tx, app.ID, account, old.CodeID, old.RedirectURI, scopes, true)
		return err
	})
	if err != nil {
		return Grant{}, fmt.Errorf("refresh a token of %s: %w", app.ClientID, err)
	}
	return grant, nil
}

// ErrBadScope: the scopes asked are beyond those granted (invalid_scope).
var ErrBadScope = core.New(core.KindInvalid, "oauth-bad-scope", "the requested scope is invalid, unknown, or malformed")

// RevokeOAuthToken revokes the token of app whose access or refresh secret
// is token; an unknown token, or another app's, is no error (RFC 7009
// §2.2: the answer must not tell whether it existed).
func (s *Service) RevokeOAuthToken(ctx context.Context, app OAuthApp, token string) error {
	if token == "" || len(token) > 128 {
		return nil
	}
	if err := s.db.OAuth().RevokeAppToken(ctx, app.ID, hashSecret(token), s.now()); err != nil {
		return fmt.Errorf("revoke a token of %s: %w", app.ClientID, err)
	}
	return nil
}

// Bearer is who a bearer token acts for. Account is nil for an
// application's own token (client credentials), which must never pass for
// a person; Scopes is nil for a native API token, which may do whatever
// its account may; App is the OAuth application, nil for a native token.
type Bearer struct {
	Account *Account
	Scopes  []string
	App     *OAuthApp
}

// oauthTokenPrefix starts every OAuth access token, so that a bearer
// secret is looked up in one table only.
const oauthTokenPrefix = "hlo_"

// BearerOf resolves a bearer secret, native or OAuth. The token must be
// unrevoked, and its account active; ErrUnauthenticated otherwise.
func (s *Service) BearerOf(ctx context.Context, secret string) (Bearer, error) {
	if !strings.HasPrefix(secret, oauthTokenPrefix) {
		acc, err := s.TokenAccount(ctx, secret)
		if err != nil {
			return Bearer{}, err
		}
		return Bearer{Account: &acc}, nil
	}
	if len(secret) > 128 {
		return Bearer{}, ErrUnauthenticated
	}
	tok, err := s.db.OAuth().TokenByHash(ctx, hashSecret(secret), s.now())
	if errors.Is(err, store.ErrNotFound) {
		return Bearer{}, ErrUnauthenticated
	}
	if err != nil {
		return Bearer{}, err
	}
	app, err := s.db.OAuth().AppByID(ctx, tok.ApplicationID)
	if err != nil {
		return Bearer{}, err
	}
	a := appFrom(app)
	b := Bearer{Scopes: strings.Fields(tok.Scopes), App: &a}
	if b.Scopes == nil {
		b.Scopes = []string{} // scoped to nothing, never "all"
	}
	if tok.AccountID != nil {
		row, err := s.db.Accounts().ByID(ctx, *tok.AccountID)
		acc, err := activeAccount(row, err)
		if err != nil {
			return Bearer{}, err
		}
		b.Account = &acc
	}
	return b, nil
}
