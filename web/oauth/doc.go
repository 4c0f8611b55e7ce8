// Package oauth is the OAuth 2 authorization server that Mastodon apps log
// in through: applications, the authorization code grant with PKCE, client
// credentials, refresh tokens, revocation, and the scopes that bound what a
// token may do. Tokens are bearer tokens that web/auth resolves like any
// other, with their scopes. The rules that keep grants (single-use codes,
// expiry, PKCE, refresh rotation, revocation) live in core/membership
// (oauth.go); this package speaks the protocol and never stores anything
// itself.
//
// Routes (mounted in web/server.go and web/mastodon):
//
//	GET  /.well-known/oauth-authorization-server   RFC 8414 metadata, as Mastodon 4.3
//	POST /api/v1/apps                              register an app (form, multipart or JSON)
//	GET  /api/v1/apps/verify_credentials           the app of the bearer token
//	GET  /oauth/authorize                          the consent page (log-in fields when needed)
//	POST /oauth/authorize                          the consent form's answer
//	POST /oauth/token                              authorization_code, client_credentials, refresh_token
//	POST /oauth/revoke                             RFC 7009
//
// The consent form. GET /oauth/authorize answers an HTML page holding one
// <form method="post" action="/oauth/authorize">. Its inputs are hidden
// fields carrying the request (response_type, client_id, redirect_uri,
// scope, state, code_challenge, code_challenge_method, lang, and
// force_login when asked), plus, when no browser session is open or the
// app asked force_login, the inputs username and password. Its two submit
// buttons are named decision, with the values allow and deny. Every field
// is checked again on POST, never trusted from the page.
//
// One POST may log in and authorise at once: with username, password and
// decision=allow, the account logs in (a session cookie is set, as on
// /login) and the answer is 302 to redirect_uri?code=…&state=…, or, for
// the redirect URI urn:ietf:wg:oauth:2.0:oob, a page showing the code.
// decision=deny answers 302 to redirect_uri?error=access_denied&state=…
// With a session cookie, the same form without username and password
// authorises as the session's account. A client without a browser (a
// test, a script) may therefore fetch the page, fill those fields and
// post it. A wrong password shows the form again (401), as does a POST
// with neither session nor credentials.
//
// A grant already made is not asked again (as Mastodon, after Doorkeeper):
// GET /oauth/authorize answers 302 to redirect_uri?code=… at once when
// the session's account holds a live token of the same app, issued through
// the same redirect URI, whose scopes cover those asked, and force_login
// is not set. Tokens keep the redirect URI of their code for that.
// Revoking the app on /settings (core/membership/oauth_apps.go) ends every
// token and pending code of it for the account, so the page shows again.
//
// Safety. The redirect URI must equal one the app registered, character
// for character; otherwise, and for an unknown client_id, the answer is an
// error page (400), never a redirect (RFC 6749 §4.1.2.1). PKCE accepts
// S256 only. The POST is covered by the cross-origin protection of
// web/server.go and the session cookie is SameSite=Lax; the pages forbid
// framing. Their content security policy has no form-action, because the
// answer of the form redirects to the app's own origin or scheme.
//
// Tokens. An OAuth token works only on the Mastodon client API (/api/v1,
// /api/v2), where its scopes are enforced (web/mastodon guard.go); the
// native API and the pages refuse it. An application's own token
// (client_credentials) acts for no person: web/auth gives it an
// auth.App and no auth.Identity.
//
// This package never logs a secret, a code nor a token.
package oauth
