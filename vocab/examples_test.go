package vocab

import (
	"testing"
	"time"

	"github.com/holon-network/holon/vocab/streams"
)

// The examples of docs/vocabulary.md, built with the builders the domain
// calls. A garden association on garden.example; Bob, a professional on
// pro.example; Carol, a member on another Holon instance; Dan on Mastodon.
const (
	garden    = "https://garden.example/actors/garden"
	followers = "https://garden.example/actors/garden/followers"
	alice     = "https://garden.example/actors/alice"
	bob       = "https://pro.example/actors/bob"
	carol     = "https://other.example/actors/carol"
	dan       = "https://mastodon.example/users/dan"
	erin      = "https://mobilizon.example/@erin"

	projectID    = "https://garden.example/projects/0195551e-0000-7000-8000-000000000001"
	taskID       = "https://garden.example/tasks/0195551e-0000-7000-8000-000000000002"
	task2ID      = "https://garden.example/tasks/0195551e-0000-7000-8000-000000000012"
	submissionID = "https://pro.example/submissions/0195551e-0000-7000-8000-000000000003"
	proposalID   = "https://garden.example/proposals/0195551e-0000-7000-8000-000000000004"
	eventID      = "https://garden.example/events/0195551e-0000-7000-8000-000000000005"
	donationID   = "https://garden.example/transactions/0195551e-0000-7000-8000-000000000006"
	ballotID     = "https://other.example/ballots/0195551e-0000-7000-8000-000000000007"
	delegationID = "https://other.example/delegations/0195551e-0000-7000-8000-000000000008"
	membershipID = "https://garden.example/actors/garden/members/0195551e-0000-7000-8000-000000000009"
	allocationID = "https://garden.example/transactions/0195551e-0000-7000-8000-000000000010"
	payoutID     = "https://garden.example/transactions/0195551e-0000-7000-8000-000000000011"
	reallocID    = "https://garden.example/transactions/0195551e-0000-7000-8000-000000000013"
)

var (
	day       = 24 * time.Hour
	opened    = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	eur       = func(v string) *Amount { return &Amount{Value: v, Currency: "EUR"} }
	publicAll = []string{PublicAudience}
)

func activityID(host string, n int) string {
	return "https://" + host + "/activities/0195551e-0000-7000-8000-1000000000" + string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// docExample is one example document of docs/vocabulary.md.
type docExample struct {
	name  string // the block's name in the page
	build func() (Type, error)
}

func projectFields(id string) ProjectFields {
	return ProjectFields{
		Object: Object{
			ID: id, Name: "Community garden",
			Summary:      "Proposed project of the garden association. Goal 2000.00 EUR.",
			Content:      "<p>Turn the empty lot behind the school into a shared vegetable garden.</p>",
			AttributedTo: alice, Audience: garden, Context: garden,
			Published: opened,
		},
		Status:              "proposed",
		Goal:                eur("2000.00"),
		License:             "CC-BY-SA-4.0",
		Architecture:        "centralised",
		AcceptanceChecklist: []string{"The school agrees in writing", "A budget under 2500 EUR"},
		Beneficiaries:       []string{"https://garden.example/actors/school"},
		Place:               &Place{Name: "Lot behind the school", Address: &PostalAddress{Street: "3 rue des Lilas", PostalCode: "69001", Locality: "Lyon", Region: "Auvergne-Rhône-Alpes", Country: "FR"}},
		Tags:                []Hashtag{{Name: "#garden", Href: "https://garden.example/tags/garden"}},
	}
}

func taskFields() TaskFields {
	return TaskFields{
		Object: Object{
			ID: taskID, Name: "Build the raised beds",
			Summary:  "Open task. Budget 300.00 EUR. Reservable for up to 14 days.",
			Content:  "<p>Four raised beds along the south wall.</p>",
			Audience: garden, Context: projectID, Published: opened,
			To: publicAll, Cc: []string{followers},
		},
		Status:         "open",
		Category:       "other",
		DoneCriteria:   []string{"Four beds of 2 m by 1 m, 40 cm high", "Untreated larch wood", "Photos of each bed"},
		Budget:         eur("300.00"),
		Effort:         16 * time.Hour,
		MaxReservation: 14 * day,
		Reviewers:      []string{alice},
	}
}

func reservedTaskFields() TaskFields {
	f := taskFields()
	f.Summary = "Reserved by bob@pro.example until 15 March. Budget 300.00 EUR."
	f.Updated = opened.Add(day)
	f.Status = "reserved"
	f.ReservedBy = bob
	f.ReservedUntil = opened.Add(15 * day)
	return f
}

func checks() []CriterionCheck {
	return []CriterionCheck{
		{Criterion: 0, Text: "Four beds of 2 m by 1 m, 40 cm high", Satisfied: true},
		{Criterion: 1, Text: "Untreated larch wood", Satisfied: true},
		{Criterion: 2, Text: "Photos of each bed", Satisfied: true, Remark: "Photos 3 and 4 show the same bed; fine."},
	}
}

func submissionFields() SubmissionFields {
	return SubmissionFields{
		Object: Object{
			ID: submissionID, Name: "Raised beds: delivery",
			Summary:      "Submitted for Build the raised beds, awaiting review.",
			Content:      "<p>The four beds are built. Photos attached.</p>",
			AttributedTo: bob, Context: taskID, Published: opened.Add(10 * day),
			To: []string{garden},
		},
		Status: "submitted",
		Links:  []string{"https://pro.example/files/beds.zip"},
	}
}

func donationFields() TransactionFields {
	return TransactionFields{
		Object: Object{
			ID: donationID, Name: "Donation of 50.00 EUR",
			Summary:      "A donor gave 50.00 EUR to the Community garden project.",
			AttributedTo: garden, Audience: garden, Published: opened,
			To: publicAll, Cc: []string{followers},
		},
		Kind:   "donation",
		Amount: Amount{Value: "50.00", Currency: "EUR"},
		Postings: []Posting{
			{Account: garden + "#donors", Amount: Amount{Value: "-50.00", Currency: "EUR"}},
			{Account: projectID, Amount: Amount{Value: "50.00", Currency: "EUR"}},
		},
		Cause: "https://garden.example/donations/0195551e-0000-7000-8000-000000000014",
	}
}

func consensusFields() ProposalFields {
	return ProposalFields{
		Object: Object{
			ID: proposalID, Name: "Allocate 300.00 EUR to Build the raised beds",
			Summary:      "Consensus until 8 March 12:00 UTC: agree, abstain or object.",
			Content:      "<p>The beds are the first step of the garden.</p>",
			AttributedTo: alice, Audience: garden, Published: opened,
			To: publicAll, Cc: []string{followers},
		},
		Category: "budget_allocation",
		Phase:    "consensus",
		Phases: []PhaseSpan{
			{Phase: "debate", Start: opened.Add(-3 * day), End: opened},
			{Phase: "consensus", Start: opened, End: opened.Add(7 * day)},
		},
		Options:  []Option{{Name: "agree", Count: 5}, {Name: "abstain", Count: 1}, {Name: "object", Count: 0}},
		Voters:   6,
		MaxScore: 5,
		Actions:  []ProposalAction{{Kind: "allocate", Object: taskID, Amount: eur("300.00")}},
	}
}

func consensusBallot() BallotFields {
	return BallotFields{
		Object: Object{ID: ballotID, Name: "Carol's ballot", Summary: "Carol objects.",
			Content: "<p>The wood is too expensive; let us reuse the pallets.</p>", AttributedTo: carol,
			Published: opened.Add(2 * day), To: []string{garden}},
		Proposal: proposalID, Phase: "consensus", Position: "object",
	}
}

func delegationFields() DelegationFields {
	return DelegationFields{
		Object: Object{ID: delegationID, Name: "Carol's delegation for budget allocations",
			Summary:      "On budget allocations Carol follows Alice, then whoever is treasurer.",
			AttributedTo: carol, Published: opened, To: []string{garden}},
		Scope:     "budget_allocation",
		Delegates: []Delegate{{Actor: alice}, {Role: &Role{Name: "treasurer"}}},
	}
}

// mastodonVote is a vote as Mastodon sends it (VoteService): a Note named
// after the chosen option, in reply to the Question, to its author.
func mastodonVote(t testing.TB) Type {
	n := streams.NewActivityStreamsNote()
	n.SetJSONLDId(id(t, dan+"#votes/1"))
	n.SetActivityStreamsName(name("agree"))
	attributed := streams.NewActivityStreamsAttributedToProperty()
	attributed.AppendIRI(mustURL(t, dan))
	n.SetActivityStreamsAttributedTo(attributed)
	reply := streams.NewActivityStreamsInReplyToProperty()
	reply.AppendIRI(mustURL(t, proposalID))
	n.SetActivityStreamsInReplyTo(reply)
	to := streams.NewActivityStreamsToProperty()
	to.AppendIRI(mustURL(t, garden))
	n.SetActivityStreamsTo(to)
	create := streams.NewActivityStreamsCreate()
	create.SetJSONLDId(id(t, dan+"#votes/1/activity"))
	actor := streams.NewActivityStreamsActorProperty()
	actor.AppendIRI(mustURL(t, dan))
	create.SetActivityStreamsActor(actor)
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsNote(n)
	create.SetActivityStreamsObject(obj)
	create.SetActivityStreamsTo(to)
	return create
}

func docExamples(t testing.TB) []docExample {
	t.Helper()
	obj := func(v Type, err error) func() (Type, error) { return func() (Type, error) { return v, err } }
	one := func(v Type, err error) Type {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	project := func() (Type, error) { return NewProject(projectFields(projectID)) }
	task := func() (Type, error) { return NewTask(taskFields()) }
	reservation := ReservationFields{Object: Object{AttributedTo: bob, Context: taskID}, Until: opened.Add(15 * day)}
	checkTypes, err := CriterionChecks(checks())
	if err != nil {
		t.Fatal(err)
	}
	valueVote := consensusFields()
	valueVote.Name = "Where should the compost go?"
	valueVote.Summary = "Value vote until 15 March 12:00 UTC: score each option from 0 to 5."
	valueVote.Category = "general"
	valueVote.Phase = "value_vote"
	valueVote.Phases = append(valueVote.Phases, PhaseSpan{Phase: "value_vote", Start: opened.Add(7 * day), End: opened.Add(14 * day)})
	valueVote.Options = []Option{{Name: "North corner", Count: 21}, {Name: "Beside the shed", Count: 14}}
	valueVote.Voters = 7
	valueVote.Content = "<p>Consensus failed: two places were proposed.</p>"
	valueVote.Actions = nil
	valueVote.Updated = opened.Add(7 * day) // the value vote opened: an Update Mastodon applies (§5.7)
	adopted := consensusFields()
	adopted.Summary = "Adopted on 8 March by consensus: 5 agree, 1 abstains, nobody objects."
	adopted.Phase = "adopted"
	adopted.Closed = opened.Add(7 * day)
	adopted.Outcome = "adopt" // the proposal's option it chose (holon.jsonld, outcome)
	adopted.Updated = opened.Add(7 * day)

	return []docExample{
		{"project", project},
		{"task", task},
		{"reservation", func() (Type, error) {
			r := reservation
			r.ID = "https://garden.example/reservations/0195551e-0000-7000-8000-000000000015"
			r.Status = "active"
			r.Start = opened.Add(day)
			return NewReservation(r)
		}},
		{"submission", func() (Type, error) { return NewSubmission(submissionFields()) }},
		{"submission-reviewed", func() (Type, error) {
			f := submissionFields()
			f.Summary = "Accepted after review: the three done criteria are met."
			f.Status, f.Checks, f.Updated = "accepted", checks(), opened.Add(11*day)
			return NewSubmission(f)
		}},
		{"transaction", func() (Type, error) { return NewTransaction(donationFields()) }},
		{"proposal", func() (Type, error) { return NewProposal(consensusFields()) }},
		{"proposal-value-vote", func() (Type, error) { return NewProposal(valueVote) }},
		{"proposal-adopted", func() (Type, error) { return NewProposal(adopted) }},
		{"ballot-consensus", func() (Type, error) { return NewBallot(consensusBallot()) }},
		{"ballot-value-vote", func() (Type, error) {
			return NewBallot(BallotFields{
				Object: Object{ID: ballotID, Name: "Carol's ballot", Summary: "Carol scores both places.",
					AttributedTo: carol, Published: opened.Add(8 * day), To: []string{garden}},
				Proposal: proposalID, Phase: "value_vote",
				Scores: []OptionScore{{Option: "North corner", Score: 4}, {Option: "Beside the shed", Score: 1}},
			})
		}},
		{"delegation", func() (Type, error) { return NewDelegation(delegationFields()) }},
		{"membership", func() (Type, error) {
			return NewMembership(MembershipFields{
				Object: Object{ID: membershipID, Name: "Carol, member of the garden association",
					Summary: "Member since 1 March; votes from 31 March; board member.",
					Context: garden, Published: opened},
				Member:           carol,
				Roles:            []Role{{Name: "member"}, {Name: "board"}, {Name: "beneficiary", Context: projectID}},
				VotingRightsFrom: opened.Add(30 * day),
			})
		}},
		{"event", func() (Type, error) {
			lat, long := 45.7676, 4.8344
			return NewEvent(EventFields{
				Object: Object{ID: eventID, Name: "Garden day",
					Summary:      "Saturday 12 April 2025, 14:00 to 18:00 (Europe/Paris), Lot behind the school, Lyon. 18 places left.",
					Content:      "<p>Bring gloves; we plant the first beds.</p>",
					AttributedTo: garden, Audience: garden, Published: opened,
					To: publicAll, Cc: []string{followers}},
				Start:    time.Date(2025, 4, 12, 12, 0, 0, 0, time.UTC),
				End:      time.Date(2025, 4, 12, 16, 0, 0, 0, time.UTC),
				TimeZone: "Europe/Paris",
				Place: &Place{Name: "Lot behind the school", Latitude: &lat, Longitude: &long,
					Address: &PostalAddress{Street: "3 rue des Lilas", PostalCode: "69001", Locality: "Lyon", Country: "FR"}},
				OnlineURL:    "https://meet.example/garden-day",
				Capacity:     30,
				Participants: 12,
				JoinMode:     "free",
				Status:       "CONFIRMED",
				Category:     "COMMUNITY",
				Tags:         []Hashtag{{Name: "#garden", Href: "https://garden.example/tags/garden"}},
			})
		}},

		// Proposing a project.
		{"flow-project-offer", func() (Type, error) {
			offered := projectFields("")
			offered.AttributedTo = carol
			return NewActivity("Offer", ActivityFields{ID: activityID("other.example", 1), Actor: carol,
				Object: one(NewProject(offered)), Target: garden, To: []string{garden}, Published: opened})
		}},
		{"flow-project-accept", obj(NewActivity("Accept", ActivityFields{ID: activityID("garden.example", 2), Actor: garden,
			ObjectIRI: activityID("other.example", 1), ResultIRI: projectID, To: []string{carol}, Published: opened}))},
		{"flow-project-create", func() (Type, error) {
			p := projectFields(projectID)
			p.To, p.Cc = publicAll, []string{followers}
			return NewActivity("Create", ActivityFields{ID: activityID("garden.example", 3), Actor: garden,
				Object: one(NewProject(p)), To: publicAll, Cc: []string{followers}, Published: opened})
		}},
		// Reserving a task.
		{"flow-reservation-offer", obj(NewActivity("Offer", ActivityFields{ID: activityID("pro.example", 4), Actor: bob,
			Object: one(NewReservation(reservation)), Target: taskID, To: []string{garden}, Published: opened.Add(day)}))},
		{"flow-reservation-accept", obj(NewActivity("Accept", ActivityFields{ID: activityID("garden.example", 5), Actor: garden,
			ObjectIRI: activityID("pro.example", 4), To: []string{bob}, Published: opened.Add(day)}))},
		{"flow-reservation-update", obj(NewActivity("Update", ActivityFields{ID: activityID("garden.example", 6), Actor: garden,
			Object: one(NewTask(reservedTaskFields())), To: publicAll, Cc: []string{followers}, Published: opened.Add(day)}))},
		// Submitting and verifying.
		{"flow-submission-create", obj(NewActivity("Create", ActivityFields{ID: activityID("pro.example", 7), Actor: bob,
			Object: one(NewSubmission(submissionFields())), To: []string{garden}, Published: opened.Add(10 * day)}))},
		{"flow-submission-review", obj(NewActivity("Accept", ActivityFields{ID: activityID("garden.example", 8), Actor: alice,
			ObjectIRI: submissionID, Result: checkTypes, To: []string{garden}, Published: opened.Add(11 * day)}))},
		{"flow-submission-verified", obj(NewActivity("Accept", ActivityFields{ID: activityID("garden.example", 9), Actor: garden,
			ObjectIRI: submissionID, Result: checkTypes, Summary: "All three criteria are met.",
			To: []string{bob}, Cc: []string{followers}, Published: opened.Add(11 * day)}))},
		{"flow-task-done", func() (Type, error) {
			f := taskFields()
			f.Summary = "Done by bob@pro.example on 12 March; 300.00 EUR paid."
			f.Status, f.CompletedBy, f.Updated = "paid", bob, opened.Add(11*day)
			return NewActivity("Update", ActivityFields{ID: activityID("garden.example", 10), Actor: garden,
				Object: one(NewTask(f)), To: publicAll, Cc: []string{followers}, Published: opened.Add(11 * day)})
		}},
		{"flow-payout", func() (Type, error) {
			return NewActivity("Create", ActivityFields{ID: activityID("garden.example", 11), Actor: garden,
				Object: one(NewTransaction(TransactionFields{
					Object: Object{ID: payoutID, Name: "Payout of 300.00 EUR to bob@pro.example",
						Summary:      "Build the raised beds was verified; its budget is paid to bob@pro.example.",
						AttributedTo: garden, Audience: garden, Published: opened.Add(11 * day), To: publicAll},
					Kind: "payout", Amount: Amount{Value: "300.00", Currency: "EUR"},
					Postings: []Posting{
						{Account: taskID, Amount: Amount{Value: "-300.00", Currency: "EUR"}},
						{Account: bob, Amount: Amount{Value: "300.00", Currency: "EUR"}},
					},
					Cause: submissionID,
				})), To: publicAll, Cc: []string{followers, bob}, Published: opened.Add(11 * day)})
		}},
		// Donating.
		{"flow-donation", obj(NewActivity("Create", ActivityFields{ID: activityID("garden.example", 12), Actor: garden,
			Object: one(NewTransaction(donationFields())), To: publicAll, Cc: []string{followers}, Published: opened}))},
		// Allocating.
		{"flow-allocation", obj(NewActivity("Create", ActivityFields{ID: activityID("garden.example", 13), Actor: garden,
			Object: one(NewTransaction(TransactionFields{
				Object: Object{ID: allocationID, Name: "Allocation of 300.00 EUR to Build the raised beds",
					Summary:      "Adopted proposal: 300.00 EUR from Community garden to Build the raised beds.",
					AttributedTo: garden, Audience: garden, Published: opened.Add(7 * day), To: publicAll},
				Kind: "allocation", Amount: Amount{Value: "300.00", Currency: "EUR"},
				Postings: []Posting{
					{Account: projectID, Amount: Amount{Value: "-300.00", Currency: "EUR"}},
					{Account: taskID, Amount: Amount{Value: "300.00", Currency: "EUR"}},
				},
				Cause: proposalID,
			})), To: publicAll, Cc: []string{followers}, Published: opened.Add(7 * day)}))},
		// Reallocating.
		{"flow-reallocation-offer", obj(NewActivity("Offer", ActivityFields{ID: activityID("other.example", 14), Actor: carol,
			Object: one(NewTransaction(TransactionFields{
				Object: Object{Name: "Reallocation of 120.00 EUR",
					Summary:      "Carol gives the budget of the task she completed as a volunteer to Paint the shed.",
					AttributedTo: carol},
				Kind: "reallocation", Amount: Amount{Value: "120.00", Currency: "EUR"},
				Postings: []Posting{
					{Account: "https://garden.example/tasks/0195551e-0000-7000-8000-000000000016", Amount: Amount{Value: "-120.00", Currency: "EUR"}},
					{Account: task2ID, Amount: Amount{Value: "120.00", Currency: "EUR"}},
				},
			})), Target: "https://garden.example/tasks/0195551e-0000-7000-8000-000000000016", To: []string{garden}, Published: opened.Add(12 * day)}))},
		{"flow-reallocation-create", obj(NewActivity("Create", ActivityFields{ID: activityID("garden.example", 15), Actor: garden,
			Object: one(NewTransaction(TransactionFields{
				Object: Object{ID: reallocID, Name: "Reallocation of 120.00 EUR to Paint the shed",
					Summary:      "Carol reallocated the budget of the task she completed as a volunteer.",
					AttributedTo: garden, Audience: garden, Published: opened.Add(12 * day), To: publicAll},
				Kind: "reallocation", Amount: Amount{Value: "120.00", Currency: "EUR"},
				Postings: []Posting{
					{Account: "https://garden.example/tasks/0195551e-0000-7000-8000-000000000016", Amount: Amount{Value: "-120.00", Currency: "EUR"}},
					{Account: task2ID, Amount: Amount{Value: "120.00", Currency: "EUR"}},
				},
				Cause: activityID("other.example", 14),
			})), To: publicAll, Cc: []string{followers, carol}, Published: opened.Add(12 * day)}))},
		// Opening a proposal.
		{"flow-proposal-create", obj(NewActivity("Create", ActivityFields{ID: activityID("garden.example", 16), Actor: garden,
			Object: one(NewProposal(consensusFields())), To: publicAll, Cc: []string{followers}, Published: opened}))},
		// Casting a ballot.
		{"flow-ballot-create", obj(NewActivity("Create", ActivityFields{ID: activityID("other.example", 17), Actor: carol,
			Object: one(NewBallot(consensusBallot())), To: []string{garden}, Published: opened.Add(2 * day)}))},
		{"flow-mastodon-vote", func() (Type, error) { return mastodonVote(t), nil }},
		// Delegating.
		{"flow-delegation-update", obj(NewActivity("Update", ActivityFields{ID: activityID("other.example", 18), Actor: carol,
			Object: one(NewDelegation(delegationFields())), To: []string{garden}, Published: opened}))},
		// Joining.
		{"flow-join", obj(NewJoin(ActivityFields{ID: activityID("other.example", 19), Actor: carol, ObjectIRI: garden,
			To: []string{garden}, Published: opened}))},
		{"flow-join-accept", obj(NewActivity("Accept", ActivityFields{ID: activityID("garden.example", 20), Actor: garden,
			ObjectIRI: activityID("other.example", 19), To: []string{carol}, Published: opened}))},
		// Taking part in an event.
		{"flow-event-join", obj(NewJoin(ActivityFields{ID: activityID("mobilizon.example", 21), Actor: erin, ObjectIRI: eventID,
			To: []string{garden}, Published: opened.Add(3 * day)}))},
		{"flow-event-accept", obj(NewActivity("Accept", ActivityFields{ID: activityID("garden.example", 22), Actor: garden,
			ObjectIRI: activityID("mobilizon.example", 21), To: []string{erin}, Published: opened.Add(3 * day)}))},
		{"flow-event-leave", obj(NewLeave(ActivityFields{ID: activityID("mobilizon.example", 23), Actor: erin, ObjectIRI: eventID,
			To: []string{garden}, Published: opened.Add(4 * day)}))},
	}
}
