// Package notify keeps the notifications of local accounts: what another
// actor did that concerns an account — mentioned it, liked or boosted its
// note, followed it or asked to — as Mastodon clients list them.
//
// The services that apply those changes (news, membership) call Record
// inside the transaction of the change, so that a notification exists
// exactly when its event does. Record holds the rules of who hears of
// what: never of one's own action, never across a block, never from a
// suspended actor, and from a silenced one only when the account follows
// it. Service reads, dismisses and clears them for their account.
//
// notify never imports web, federation or another core package: its
// callers pass plain values and store rows.
package notify
