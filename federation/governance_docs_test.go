package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

var goldenProposal = uuid.MustParse("0195551e-0000-7000-8000-000000000004")

// docExample returns the example document name of docs/vocabulary.md.
func docExample(t *testing.T, name string) []byte {
	t.Helper()
	page, err := os.ReadFile(filepath.Join("..", "docs", "vocabulary.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- example: " + regexp.QuoteMeta(name) + " -->\n```json\n(.*?)```\n").FindSubmatch(page)
	if m == nil {
		t.Fatalf("docs/vocabulary.md has no example %q", name)
	}
	return m[1]
}

// proposalPublications are the garden's proposals of docs/vocabulary.md
// §4.3 in each phase, as core/governance hands them to the publisher.
func proposalPublications(association uuid.UUID) map[string]governance.Publication {
	at := func(days int) time.Time { return goldenAt.Add(time.Duration(days) * 24 * time.Hour) }
	ptr := func(t time.Time) *time.Time { return &t }
	task := goldenTask
	allocation := governance.Proposal{ID: goldenProposal, AssociationID: association, Author: goldenBase + "/actors/alice",
		Category: governance.CategoryBudgetAllocation, Title: "Allocate 300.00 EUR to Build the raised beds",
		Body: "The beds are the first step of the garden.", Options: []string{governance.OptionAdopt, governance.OptionReject},
		Actions: []governance.Action{{Kind: governance.ActionAllocate, Task: &task, From: "general", Amount: 30000, Currency: "EUR"}},
		Phase:   governance.PhaseConsensus, Deadline: ptr(at(7)), Outcome: governance.Outcome{Option: -1},
		CreatedAt: goldenAt, UpdatedAt: goldenAt}
	debate := governance.PhaseRecord{Phase: governance.PhaseDebate, StartedAt: at(-3), EndsAt: goldenAt}
	consensus := governance.PhaseRecord{Phase: governance.PhaseConsensus, StartedAt: goldenAt, EndsAt: at(7)}
	valueVote := governance.PhaseRecord{Phase: governance.PhaseValueVote, StartedAt: at(7), EndsAt: at(14)}
	consensusCount := governance.Count{Eligible: 40, Participants: 6, Direct: 6, Agree: 5, Abstain: 1}
	live := governance.Tally{ProposalID: goldenProposal, Phase: governance.PhaseConsensus, Options: allocation.Options,
		Count: consensusCount, Outside: governance.OutsideVotes{Object: 3}}

	inDebate := allocation
	inDebate.Phase, inDebate.Deadline, inDebate.CreatedAt, inDebate.UpdatedAt = governance.PhaseDebate, ptr(goldenAt), at(-3), at(-3)

	adopted := allocation
	adopted.Phase, adopted.Deadline, adopted.ClosedAt, adopted.UpdatedAt = governance.PhaseAdopted, nil, ptr(at(7)), at(7)
	adopted.Outcome = governance.Outcome{Result: governance.PhaseAdopted, DecidedBy: governance.PhaseConsensus, Option: 0,
		OptionName: governance.OptionAdopt}
	final := live
	final.Final = true

	compost := governance.Proposal{ID: goldenProposal, AssociationID: association, Author: goldenBase + "/actors/alice",
		Category: governance.CategoryGeneral, Title: "Where should the compost go?", Body: "Consensus failed: two places were proposed.",
		Options: []string{"North corner", "Beside the shed"}, Phase: governance.PhaseValueVote, Deadline: ptr(at(14)),
		Outcome: governance.Outcome{Option: -1}, CreatedAt: goldenAt, UpdatedAt: at(7)}
	scores := governance.Tally{ProposalID: goldenProposal, Phase: governance.PhaseValueVote, Options: compost.Options,
		Count: governance.Count{Eligible: 40, Participants: 7, Direct: 7, Totals: []int{21, 14}, Top: []int{5, 2}}}
	rejected := compost
	rejected.Phase, rejected.Deadline, rejected.ClosedAt, rejected.UpdatedAt = governance.PhaseRejected, nil, ptr(at(14)), at(14)
	rejected.Outcome = governance.Outcome{Result: governance.PhaseRejected, DecidedBy: governance.PhaseValueVote, Option: -1,
		Reason: governance.OutcomeNoQuorum}
	noQuorum := scores
	noQuorum.Final, noQuorum.Count.Participants, noQuorum.Count.Totals = true, 2, []int{6, 4}

	withdrawn := inDebate
	withdrawn.Phase, withdrawn.Deadline, withdrawn.ClosedAt, withdrawn.UpdatedAt = governance.PhaseWithdrawn, nil, ptr(at(-2)), at(-2)
	withdrawn.Outcome = governance.Outcome{Result: governance.PhaseWithdrawn, Option: -1}
	closedDebate := debate
	closedDebate.EndsAt = goldenAt

	return map[string]governance.Publication{
		"proposal-debate": {Type: "Create", Proposal: inDebate, Phases: []governance.PhaseRecord{debate},
			Tally: governance.Tally{ProposalID: goldenProposal, Phase: governance.PhaseDebate, Final: true, Options: allocation.Options}},
		"proposal":            {Type: "Update", Proposal: allocation, Phases: []governance.PhaseRecord{debate, consensus}, Tally: live},
		"proposal-value-vote": {Type: "Update", Proposal: compost, Phases: []governance.PhaseRecord{debate, consensus, valueVote}, Tally: scores},
		"proposal-adopted":    {Type: "Update", Proposal: adopted, Phases: []governance.PhaseRecord{debate, consensus}, Tally: final},
		"proposal-rejected": {Type: "Update", Proposal: rejected, Phases: []governance.PhaseRecord{debate, consensus, valueVote},
			Tally: noQuorum},
		"proposal-withdrawn": {Type: "Update", Proposal: withdrawn, Phases: []governance.PhaseRecord{closedDebate},
			Tally: governance.Tally{ProposalID: goldenProposal, Phase: governance.PhaseWithdrawn, Final: true, Options: allocation.Options}},
	}
}

// A proposal's document is docs/vocabulary.md's Question in every phase
// (the page's own examples where it has one), the same on both
// databases, and a poll as Mastodon reads one: no summary, the name and
// where the proposal stands first in the content, the current phase's
// options with their counts, closing at the phase's deadline or when the
// proposal closed. Outside votes are not in the counts.
func TestProposalDocuments_Golden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p, _ := goldenWorld(t, db)
		d := objectDocs{baseURL: goldenBase}
		cases := []struct {
			name, example, standing string
			poll                    []string // the options Mastodon shows, "name=count"; none for no poll
			voters                  int
			expires                 string
		}{
			{"proposal-debate", "", "Open for debate until 1 March 12:00 UTC; the members then agree, abstain or object.",
				nil, 0, ""},
			{"proposal", "proposal", "Consensus until 8 March 12:00 UTC: agree, abstain or object.",
				[]string{"agree=5", "abstain=1", "object=0"}, 6, "2025-03-08T12:00:00Z"},
			{"proposal-value-vote", "proposal-value-vote", "Value vote until 15 March 12:00 UTC: score each option from 0 to 5.",
				[]string{"North corner=21", "Beside the shed=14"}, 7, "2025-03-15T12:00:00Z"},
			{"proposal-adopted", "proposal-adopted", "Adopted on 8 March by consensus: 5 agree, 1 abstains, nobody objects.",
				[]string{"agree=5", "abstain=1", "object=0"}, 6, "2025-03-08T12:00:00Z"},
			{"proposal-rejected", "", "Rejected on 15 March: too few members took part in the value vote.",
				[]string{"North corner=6", "Beside the shed=4"}, 2, "2025-03-15T12:00:00Z"},
			{"proposal-withdrawn", "", "Withdrawn by its author on 27 February.", nil, 0, ""},
		}
		pubs := proposalPublications(p.AssociationID)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				doc, err := d.proposal(ctx, db.Tx, pubs[c.name])
				if err != nil {
					t.Fatal(err)
				}
				m, err := doc.document()
				if err != nil {
					t.Fatal(err)
				}
				delete(m, "@context")
				got := golden(t, c.name, m)
				var q map[string]any // as a peer reads it
				if err := json.Unmarshal(got, &q); err != nil {
					t.Fatal(err)
				}
				if c.example != "" {
					sameAsExample(t, q, c.example)
				}
				readAsMastodonPoll(t, q, c.standing, c.poll, c.voters, c.expires)
			})
		}
	})
}

// golden compares m, as the page shows documents, with the golden file
// name (rewritten with -update-golden) and returns it.
func golden(t *testing.T, name string, m map[string]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".golden.json")
	if *updateGolden {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-golden to write it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("%s differs from the golden file:\n%s", name, buf.String())
	}
	return buf.Bytes()
}

// sameAsExample checks that doc is the example of docs/vocabulary.md, but
// for "updated", which has the microseconds a database keeps (the same
// instant).
func sameAsExample(t *testing.T, doc map[string]any, example string) {
	t.Helper()
	var want map[string]any
	if err := json.Unmarshal(docExample(t, example), &want); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for k, v := range doc {
		got[k] = v
	}
	if u, ok := got["updated"].(string); ok {
		at, err := time.Parse(time.RFC3339Nano, u)
		if err != nil {
			t.Fatalf("updated %q: %v", u, err)
		}
		got["updated"] = at.Format(time.RFC3339)
	}
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if !bytes.Equal(a, b) {
		t.Fatalf("differs from the example %q of docs/vocabulary.md:\n%s\n%s", example, a, b)
	}
}

// readAsMastodonPoll reads a proposal as Mastodon's PollParser and status
// parser do (docs/vocabulary.md §6, rule 5) and checks what a Mastodon user
// sees: the content without a content warning, opening with the name and
// standing; a poll of options (each item shaped as in Mastodon's own
// Question, mastodon-docs-question-voterscount.json) or none.
func readAsMastodonPoll(t *testing.T, q map[string]any, standing string, poll []string, voters int, expires string) {
	t.Helper()
	if q["type"] != "Question" {
		t.Fatalf("type %v", q["type"])
	}
	if _, ok := q["summary"]; ok {
		t.Fatalf("a summary would hide the proposal behind a content warning: %v", q["summary"])
	}
	name, _ := q["name"].(string)
	content, _ := q["content"].(string)
	if want := "<p><strong>" + html.EscapeString(name) + "</strong></p><p>" + standing + "</p>"; !strings.HasPrefix(content, want) {
		t.Fatalf("content %q does not open with %q", content, want)
	}
	if _, ok := q["anyOf"]; ok {
		t.Fatal("anyOf: a proposal's poll is single choice")
	}
	items, isPoll := q["oneOf"].([]any)
	if len(poll) == 0 {
		if isPoll || q["votersCount"] != nil {
			t.Fatalf("a poll before any vote: %v", q["oneOf"])
		}
		return
	}
	ref := fixtures.JSON(t, "mastodon-docs-question-voterscount.json")
	refItem := ref["anyOf"].([]any)[0].(map[string]any)
	var got []string
	for _, it := range items {
		item, _ := it.(map[string]any)
		if err := sameShape(item, refItem); err != nil {
			t.Fatalf("option %v: %v", item, err)
		}
		replies := item["replies"].(map[string]any)
		got = append(got, fmt.Sprintf("%s=%v", item["name"], replies["totalItems"]))
	}
	if strings.Join(got, ",") != strings.Join(poll, ",") {
		t.Fatalf("Mastodon shows the options %v, want %v", got, poll)
	}
	if fmt.Sprintf("%T", q["votersCount"]) != fmt.Sprintf("%T", ref["votersCount"]) || q["votersCount"] != float64(voters) {
		t.Fatalf("votersCount %v, want %d", q["votersCount"], voters)
	}
	// PollParser#expires_at: closed when it is a date, else endTime.
	at, _ := q["closed"].(string)
	if at == "" {
		at, _ = q["endTime"].(string)
	}
	if at != expires {
		t.Fatalf("the poll closes at %q, want %q", at, expires)
	}
}

// sameShape reports how got differs from ref in keys and JSON kinds,
// recursively.
func sameShape(got, ref map[string]any) error {
	if len(got) != len(ref) {
		return fmt.Errorf("keys %v, Mastodon's %v", keysOf(got), keysOf(ref))
	}
	for k, rv := range ref {
		gv, ok := got[k]
		if !ok || fmt.Sprintf("%T", gv) != fmt.Sprintf("%T", rv) {
			return fmt.Errorf("%s is %T, Mastodon's %T", k, gv, rv)
		}
		if rm, ok := rv.(map[string]any); ok {
			if err := sameShape(gv.(map[string]any), rm); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
		if s, ok := rv.(string); ok && k == "type" && gv != s {
			return fmt.Errorf("type %v, Mastodon's %s", gv, s)
		}
	}
	return nil
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
