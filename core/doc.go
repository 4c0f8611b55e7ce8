// Package core holds what every domain package shares: the kinds of error a
// rule can raise and the clock rules are judged against.
//
// The domain packages below core (membership, projects, ledger, governance,
// agenda, news) own the rules. core never imports web, federation or vocab:
// transports call into core, never the other way round.
package core
