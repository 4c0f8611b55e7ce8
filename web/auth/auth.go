// Package auth finds who is making a request — a bearer token or a session
// cookie — and keeps the account in the request's context for the handlers.
// It never decides what the account may do: core does.
package auth

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
)

// SessionCookie names the browser session cookie.
const SessionCookie = "holon_session"

// Authenticator is what auth needs of the membership service.
type Authenticator interface {
	SessionAccount(ctx context.Context, secret string) (membership.Account, error)
	// BearerOf resolves native and OAuth bearer tokens alike.
	BearerOf(ctx context.Context, secret string) (membership.Bearer, error)
}

type (
	ctxKey    struct{}
	clientKey struct{}
)

// Client is the OAuth application a bearer token was issued to, with the
// token's scopes. An application's own token (client credentials) has a
// Client and no Identity: it never passes for a logged-in person.
type Client struct {
	App    membership.OAuthApp
	Scopes []string
	// ForAccount is false for an application's own token.
	ForAccount bool
}

// App returns the OAuth application of the request's bearer token, if it
// has one (for a person or for the application itself).
func App(ctx context.Context) (Client, bool) {
	c, ok := ctx.Value(clientKey{}).(Client)
	return c, ok
}

// Identity is who made the request and how.
type Identity struct {
	Account membership.Account
	// ByToken is true for bearer tokens, false for a session cookie.
	ByToken bool
	// Session is the session secret, to end the session at log-out.
	Session string
	// Scopes are what an OAuth token was granted (web/oauth); nil for a
	// session or a native API token, which may do whatever the account may.
	Scopes []string
	// App is the OAuth application of an OAuth token, nil otherwise.
	App *membership.OAuthApp
}

// Middleware resolves the bearer token or session cookie, if any. A bad
// bearer token is refused with 401 at once (a script must learn its token is
// wrong); a stale cookie is ignored, so the visitor browses anonymously.
func Middleware(a Authenticator, onBadToken func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if h := r.Header.Get("Authorization"); h != "" {
				scheme, secret, _ := strings.Cut(h, " ")
				if !strings.EqualFold(scheme, "Bearer") || secret == "" {
					onBadToken(w, r, membership.ErrUnauthenticated)
					return
				}
				b, err := a.BearerOf(r.Context(), strings.TrimSpace(secret))
				if err != nil {
					onBadToken(w, r, err)
					return
				}
				if b.App != nil {
					r = r.WithContext(context.WithValue(r.Context(), clientKey{},
						Client{App: *b.App, Scopes: b.Scopes, ForAccount: b.Account != nil}))
				}
				if b.Account != nil {
					r = withIdentity(r, Identity{Account: *b.Account, ByToken: true, Scopes: b.Scopes, App: b.App})
				}
				next.ServeHTTP(w, r)
				return
			}
			if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
				acc, err := a.SessionAccount(r.Context(), c.Value)
				switch {
				case err == nil:
					r = withIdentity(r, Identity{Account: acc, Session: c.Value})
				case core.KindOf(err) != core.KindUnauthenticated:
					onBadToken(w, r, err) // the database failed: do not pretend the visitor is anonymous
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

func withIdentity(r *http.Request, id Identity) *http.Request {
	hlog.FromRequest(r).UpdateContext(func(c zerolog.Context) zerolog.Context {
		return c.Str("account", id.Account.Username)
	})
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, id))
}

// From returns the identity of the request, if any.
func From(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(ctxKey{}).(Identity)
	return id, ok
}

// Account returns the account of the request, or nil for a visitor.
func Account(ctx context.Context) *membership.Account {
	if id, ok := From(ctx); ok {
		return &id.Account
	}
	return nil
}

// Require returns the account of the request or ErrUnauthenticated.
func Require(ctx context.Context) (membership.Account, error) {
	if id, ok := From(ctx); ok {
		return id.Account, nil
	}
	return membership.Account{}, membership.ErrUnauthenticated
}

// SetSessionCookie stores a new session secret in the browser. Secure is set
// whenever the instance is served over https.
func SetSessionCookie(w http.ResponseWriter, secret string, expires time.Time, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", Expires: expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// ClientIP returns the address of the client: the connection's peer, or,
// behind a trusted reverse proxy, the last address it appended to
// X-Forwarded-For (earlier ones are the client's own claims).
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// IsUnauthenticated reports whether err means "log in first".
func IsUnauthenticated(err error) bool {
	return errors.Is(err, membership.ErrUnauthenticated) || core.KindOf(err) == core.KindUnauthenticated
}
