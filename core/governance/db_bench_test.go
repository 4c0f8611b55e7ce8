package governance

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// seedMillion stores the electorate of BenchmarkTally1M in db, as the
// service would have: a million voters numbered 0…999,999, the value vote
// of a proposal on budget allocations with its roll (who may vote and the
// ballot box), the ballots' records, the voting instructions (rows and
// pages) and the holders of the roles; it returns the proposal and the
// electorate as the pure tally sees it.
func seedMillion(b *testing.B, db *store.DB) (store.Proposal, *Electorate) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	e, instructions := millionMembers(1_000_000)
	for i := range e.Voters {
		e.Voters[i].Delegates = InstructionFor(instructions[i], CategoryBudgetAllocation)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	actor := func(i int) string { return fmt.Sprintf("https://holon.test/actors/m%d", i) }
	must(db.ClaimName(ctx, "commons", "association", now))
	assoc := store.Association{ID: uuid.Must(uuid.NewV7()), Name: "commons", Settings: "{}", CreatedAt: now, UpdatedAt: now}
	must(db.Associations().Create(ctx, &assoc))

	const batch = 5000
	insert := func(rows any) { _, err := db.Bun().NewInsert().Model(rows).Exec(ctx); must(err) }
	voters := make([]store.GovernanceVoter, 0, batch)
	for i := range e.Voters {
		voters = append(voters, store.GovernanceVoter{AssociationID: assoc.ID, Number: int32(i), Actor: actor(i)})
		if len(voters) == batch || i == len(e.Voters)-1 {
			insert(&voters)
			voters = voters[:0]
		}
	}
	deadline := now.Add(time.Hour)
	p := store.Proposal{ID: uuid.Must(uuid.NewV7()), AssociationID: assoc.ID, Author: actor(0), Category: CategoryBudgetAllocation,
		Title: "A million voters", Options: `["a","b","c"]`, Actions: "[]", Phase: PhaseValueVote,
		DebatePeriod: 0, ConsensusPeriod: int64(time.Hour), ValueVotePeriod: int64(time.Hour), Deadline: &deadline,
		Outcome: `{"option":-1}`, CreatedAt: now, UpdatedAt: now}
	must(db.Proposals().Create(ctx, &p))
	must(db.Proposals().AddPhase(ctx, &store.ProposalPhase{ProposalID: p.ID, Phase: PhaseValueVote, StartedAt: now,
		EndsAt: deadline, Electorate: len(e.Voters), Beneficiaries: "[]"}))

	// The roll and the ballots' records.
	var pages []store.RollPage
	ballots := make([]store.Ballot, 0, batch)
	for i, v := range e.Voters {
		page, off := pageOf(int32(i))
		if len(pages) == 0 || pages[len(pages)-1].Page != page {
			el, ch := newRollPage(3)
			pages = append(pages, store.RollPage{ProposalID: p.ID, Phase: PhaseValueVote, Page: page, Eligible: el, Choices: ch})
		}
		if !v.Eligible {
			continue
		}
		pg := &pages[len(pages)-1]
		setEligible(pg.Eligible, off)
		if v.Ballot < 0 {
			continue
		}
		s := e.Ballots[v.Ballot].Scores
		for k, x := range s {
			pg.Choices[off*3+k] = byte(x)
		}
		ballots = append(ballots, store.Ballot{ID: uuid.Must(uuid.NewV7()), ProposalID: p.ID, Phase: PhaseValueVote,
			Voter: actor(i), VoterNumber: int32(i), Scores: encodeJSON(s), CastAt: now, UpdatedAt: now})
		if len(ballots) == batch {
			insert(&ballots)
			ballots = ballots[:0]
		}
	}
	if len(ballots) > 0 {
		insert(&ballots)
	}
	must(db.Rolls().Add(ctx, pages))

	// The voting instructions: rows and pages.
	rows := make([]store.VotingInstruction, 0, batch)
	var ipages []store.InstructionPage
	var onPage []pageVoter
	flush := func(page int32) {
		if len(onPage) > 0 {
			ipages = append(ipages, store.InstructionPage{AssociationID: assoc.ID, Page: page, Data: encodeInstructions(onPage)})
		}
		onPage = onPage[:0]
	}
	for i, list := range instructions {
		page, off := pageOf(int32(i))
		if i > 0 && off == 0 {
			flush(page - 1)
		}
		if len(list) == 0 {
			continue
		}
		// The rule for every category first, as the rows are read.
		list = slices.Clone(list)
		slices.SortFunc(list, func(a, b Instruction) int { return compare(a.Scope, b.Scope) })
		onPage = append(onPage, pageVoter{offset: off, instructions: list})
		for _, in := range list {
			stored := make([]storedDelegate, len(in.Delegates))
			for k, d := range in.Delegates {
				stored[k] = storedDelegate{Role: d.Role}
				if d.Role == "" {
					stored[k].Actor, stored[k].Number = actor(int(d.Voter)), d.Voter
				}
			}
			rows = append(rows, store.VotingInstruction{AssociationID: assoc.ID, VoterNumber: int32(i), Scope: in.Scope,
				Delegates: encodeJSON(stored), UpdatedAt: now})
			if len(rows) == batch {
				insert(&rows)
				rows = rows[:0]
			}
		}
	}
	flush(int32((len(instructions) - 1) / PageSize))
	if len(rows) > 0 {
		insert(&rows)
	}
	must(db.Instructions().AddPages(ctx, ipages))

	// The holders of the roles: members with accounts, the board in the
	// association's order.
	holders := []struct {
		number int32
		role   string
	}{{7, RoleTreasurer}, {11, RoleBoard}, {13, RoleBoard}, {17, RoleBoard}, {19, RoleBoard}, {23, RoleBoard}}
	for k, h := range holders {
		id := uuid.Must(uuid.NewV7())
		name := fmt.Sprintf("m%d", h.number)
		must(db.ClaimName(ctx, name, "account", now))
		insert(&store.Account{ID: id, Username: name, DisplayName: name, Email: name + "@example.org", Locale: "en",
			Role: "user", Status: "active", CreatedAt: now, UpdatedAt: now})
		insert(&store.Actor{ID: id, URI: actor(int(h.number)), Kind: "Person", Username: name, Host: "holon.test", Local: true,
			AccountID: &id, KeyID: actor(int(h.number)) + "#main-key", CreatedAt: now, UpdatedAt: now})
		joined := now.Add(time.Duration(k) * time.Second)
		insert(&store.Membership{ID: uuid.Must(uuid.NewV7()), AssociationID: assoc.ID, ActorID: id, AccountID: &id, Role: h.role,
			Status: "active", RequestedAt: joined, JoinedAt: &joined, UpdatedAt: joined})
	}
	// The treasurer is on the board too: the pure electorate lists the
	// board's holders only.
	e.Roles = map[string][]int32{RoleTreasurer: {7}, RoleBoard: {7, 11, 13, 17, 19, 23}}
	b.Logf("%s: seeded 1,000,000 voters, %d ballots, %d instruction rows on %d pages in %s",
		db.Driver(), len(e.Ballots), countRows(instructions), len(ipages), time.Since(start).Round(time.Second))
	return p, e
}

func countRows(list [][]Instruction) int {
	n := 0
	for _, l := range list {
		n += len(l)
	}
	return n
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// BenchmarkTallyFromDatabase1M counts the value vote of BenchmarkTally1M
// from the database: reading the roll, the instruction pages, the holders
// of roles and the suspensions, building the electorate and counting. The
// count is checked against the pure tally's.
func BenchmarkTallyFromDatabase1M(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			db := storetest.Open(b, driver)
			p, e := seedMillion(b, db)
			want := CountValueVote(e, 3, DefaultRules(CategoryBudgetAllocation))
			ctx := context.Background()
			var got counted
			var reading time.Duration
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				in, err := liveInputs(ctx, db.Tx, p, PhaseValueVote)
				if err != nil {
					b.Fatal(err)
				}
				reading += time.Since(start)
				if got, err = countPhase(ctx, db.Tx, p, PhaseValueVote, in); err != nil {
					b.Fatal(err)
				}
			}
			// The part spent reading the rows; the rest builds the
			// electorate from the pages and counts.
			b.ReportMetric(float64(reading.Milliseconds())/float64(b.N), "read-ms/op")
			r := got.result
			if r.Participants != want.Participants || r.Delegated != want.Delegated || !slices.Equal(r.Totals, want.Totals) ||
				r.Outcome != want.Outcome || r.Winner != want.Winner {
				b.Fatalf("count from the database: %s %d participants (%d delegated), totals %v; in memory: %s %d (%d), %v",
					r.Outcome, r.Participants, r.Delegated, r.Totals, want.Outcome, want.Participants, want.Delegated, want.Totals)
			}
			b.ReportMetric(float64(r.Participants), "participants")
			b.ReportMetric(float64(r.Delegated), "delegated")
		})
	}
}
