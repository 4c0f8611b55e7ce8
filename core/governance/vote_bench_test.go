package governance_test

import (
	"context"
	"testing"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store/storetest"
)

// BenchmarkVoteConsensus casts consensus ballots on an open proposal,
// members in turn changing their position: every check (the phase and its
// deadline, membership, suspension, the electorate), the ballot box's page
// and the ballot's record, in one transaction. A ballot touches one page of
// the roll whatever the electorate's size.
func BenchmarkVoteConsensus(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			f := newFixture(b, storetest.Open(b, driver))
			p := f.allocation(b, "10.00")
			f.advance(b, debate)
			voters := []membership.Account{f.alice, f.bob, f.carol, f.dave}
			positions := []governance.BallotInput{agree, abstain, object}
			ctx := context.Background()
			i := 0
			for b.Loop() {
				if _, err := f.svc.Vote(ctx, voters[i%len(voters)], p.ID, positions[i%len(positions)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
