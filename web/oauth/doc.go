// Package oauth is the OAuth 2 authorization server that Mastodon apps log
// in through: applications, the authorization code grant with PKCE, client
// credentials, refresh tokens, revocation, and the scopes that bound what a
// token may do. Tokens are bearer tokens that web/auth resolves like any
// other, with their scopes.
package oauth
