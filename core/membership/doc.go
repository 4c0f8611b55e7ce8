// Package membership owns persons' accounts, associations, and the
// memberships that join them: sign-up, log-in, sessions and API tokens,
// association settings, joining and leaving, roles, probation and the
// suspension of voting rights; and the moderation that stands on them: the
// board's answers to requests to follow an association, blocks between
// actors (what one does no longer reaches the other), and reports for the
// instance's moderators and the reported association's board.
//
// Every change goes through Service, which checks the rules and writes in one
// transaction. membership never imports web, federation or vocab, and never
// logs: it returns errors (core.Error for what a user may be told) and the
// caller decides.
package membership
