// Package governance is how an association's members decide together:
// proposals, a consensus round, then a value vote when consensus failed,
// and liquid delegation (DESIGN §4).
//
// The counting is pure: Tally takes plain values (the electorate of a
// phase, its ballots, the members' voting instructions and who holds which
// role) and returns the result with the chain each counted vote followed,
// so that anyone holding the published ballots and delegations can
// reproduce it. Nothing in tally.go, delegation.go or rules.go touches the
// database, the clock or the network.
package governance
