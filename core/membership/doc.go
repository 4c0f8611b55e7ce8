// Package membership owns persons' accounts, associations, and the
// memberships that join them: sign-up, log-in, sessions and API tokens,
// association settings, joining and leaving, roles, probation and the
// suspension of voting rights.
//
// Every change goes through Service, which checks the rules and writes in one
// transaction. membership never imports web, federation or vocab, and never
// logs: it returns errors (core.Error for what a user may be told) and the
// caller decides.
package membership
