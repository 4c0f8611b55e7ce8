// Package governance is how an association's members decide together:
// proposals, a consensus round, then a value vote when consensus failed,
// and liquid delegation (DESIGN §4, docs/governance.md).
//
// The counting is pure: CountConsensus and CountValueVote take plain
// values (the electorate of a phase, its ballots, the members' voting
// instructions and who holds which role) and return the result with the
// chain each counted vote followed, so that anyone holding the published
// ballots and delegations can reproduce it. Nothing in tally.go,
// delegation.go or pack.go touches the database, the clock or the network.
//
// The Service stores proposals, ballots and instructions, and moves
// proposals through their phases (AdvanceDue, run by the scheduler). What
// a count reads is kept packed, 1024 voters a page (pack.go), so that a
// million members are counted from a few thousand rows. An adopted
// proposal's actions run in the transaction that closes it, through the
// Ledger, Projects and Members interfaces: all of them or, when one is
// refused, none, the refusal recorded in the outcome.
//
// Each change of a proposal is handed to a Publisher (federation) in its
// transaction; the counts ballots change are published at most once per
// interval (PublishCounts, run by the scheduler). Mastodon users vote in
// the published poll (ReceivePollVote): a member's vote is their consensus
// ballot, anyone else's is kept apart and never counted (Tally.Outside).
//
// governance never imports web, federation or vocab and never logs; it
// never counts a ballot cast after its phase's deadline, nor two ballots
// of one voter in a phase.
package governance
