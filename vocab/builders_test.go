package vocab

import (
	"errors"
	"testing"
	"time"
)

// The builders refuse what would not read as docs/vocabulary.md says, with
// ErrInvalidObject (or ErrAmount) and a message that names the problem.
func TestBuilders_RefuseWhatPeersCouldNotRead(t *testing.T) {
	for _, tt := range []struct {
		name  string
		build func() error
		want  error
	}{
		{"task without name", func() error { f := taskFields(); f.Name = " "; _, err := NewTask(f); return err }, ErrInvalidObject},
		{"task name on two lines", func() error { f := taskFields(); f.Name = "a\nb"; _, err := NewTask(f); return err }, ErrInvalidObject},
		{"task without summary", func() error { f := taskFields(); f.Summary = ""; _, err := NewTask(f); return err }, ErrInvalidObject},
		{"task with a relative id", func() error { f := taskFields(); f.ID = "/tasks/1"; _, err := NewTask(f); return err }, ErrInvalidObject},
		{"task without project", func() error { f := taskFields(); f.Context = ""; _, err := NewTask(f); return err }, ErrInvalidObject},
		{"task without done criteria", func() error { f := taskFields(); f.DoneCriteria = nil; _, err := NewTask(f); return err }, ErrInvalidObject},
		{"task with an unknown status", func() error { f := taskFields(); f.Status = "finished"; _, err := NewTask(f); return err }, ErrInvalidObject},
		{"task budget with a float's decimals", func() error { f := taskFields(); f.Budget = eur("300.5"); _, err := NewTask(f); return err }, ErrAmount},
		{"task reserved without a deadline", func() error { f := taskFields(); f.ReservedBy = bob; _, err := NewTask(f); return err }, ErrInvalidObject},
		{"task with a negative effort", func() error { f := taskFields(); f.Effort = -time.Hour; _, err := NewTask(f); return err }, ErrInvalidObject},
		{"project with a licence that is not SPDX", func() error { f := projectFields(projectID); f.License = "GPL v3"; _, err := NewProject(f); return err }, ErrInvalidObject},
		{"project at an impossible place", func() error {
			f := projectFields(projectID)
			lat, long := 91.0, 0.0
			f.Place.Latitude, f.Place.Longitude = &lat, &long
			_, err := NewProject(f)
			return err
		}, ErrInvalidObject},
		{"hashtag without #", func() error {
			f := projectFields(projectID)
			f.Tags = []Hashtag{{Name: "garden", Href: "https://garden.example/tags/garden"}}
			_, err := NewProject(f)
			return err
		}, ErrInvalidObject},
		{"reservation without deadline", func() error {
			_, err := NewReservation(ReservationFields{Object: Object{AttributedTo: bob, Context: taskID}})
			return err
		}, ErrInvalidObject},
		{"submission without task", func() error { f := submissionFields(); f.Context = ""; _, err := NewSubmission(f); return err }, ErrInvalidObject},
		{"check with a negative criterion", func() error {
			_, err := CriterionChecks([]CriterionCheck{{Criterion: -1, Text: "x"}})
			return err
		}, ErrInvalidObject},
		{"postings that do not balance", func() error {
			f := donationFields()
			f.Postings[1].Amount.Value = "40.00"
			_, err := NewTransaction(f)
			return err
		}, ErrInvalidObject},
		{"postings in another currency", func() error {
			f := donationFields()
			f.Postings[0].Amount.Currency, f.Postings[1].Amount.Currency = "USD", "USD"
			_, err := NewTransaction(f)
			return err
		}, ErrInvalidObject},
		{"postings that move another amount", func() error {
			f := donationFields()
			f.Amount.Value = "60.00"
			_, err := NewTransaction(f)
			return err
		}, ErrInvalidObject},
		{"a single posting", func() error {
			f := donationFields()
			f.Postings = f.Postings[:1]
			_, err := NewTransaction(f)
			return err
		}, ErrInvalidObject},
		{"negative transaction amount", func() error {
			f := donationFields()
			f.Amount.Value = "-50.00"
			_, err := NewTransaction(f)
			return err
		}, ErrAmount},
		{"proposal voted on with one option", func() error {
			f := consensusFields()
			f.Options = f.Options[:1]
			_, err := NewProposal(f)
			return err
		}, ErrInvalidObject},
		{"proposal in debate with options", func() error {
			f := consensusFields()
			f.Phase = "debate"
			_, err := NewProposal(f)
			return err
		}, ErrInvalidObject},
		{"proposal whose phase has no deadline", func() error { f := consensusFields(); f.Phases = f.Phases[:1]; _, err := NewProposal(f); return err }, ErrInvalidObject},
		{"proposal closed while voting", func() error { f := consensusFields(); f.Closed = opened; _, err := NewProposal(f); return err }, ErrInvalidObject},
		{"adopted proposal not closed", func() error { f := consensusFields(); f.Phase = "adopted"; _, err := NewProposal(f); return err }, ErrInvalidObject},
		{"open proposal with an outcome", func() error { f := consensusFields(); f.Outcome = "agree"; _, err := NewProposal(f); return err }, ErrInvalidObject},
		{"proposal option twice", func() error {
			f := consensusFields()
			f.Options = []Option{{Name: "agree"}, {Name: "agree"}}
			_, err := NewProposal(f)
			return err
		}, ErrInvalidObject},
		{"allocation without amount", func() error {
			f := consensusFields()
			f.Actions = []ProposalAction{{Kind: "allocate", Object: taskID}}
			_, err := NewProposal(f)
			return err
		}, ErrInvalidObject},
		{"setting change without setting", func() error {
			f := consensusFields()
			f.Actions = []ProposalAction{{Kind: "change_setting"}}
			_, err := NewProposal(f)
			return err
		}, ErrInvalidObject},
		{"consensus ballot with scores", func() error {
			f := consensusBallot()
			f.Scores = []OptionScore{{Option: "agree", Score: 1}}
			_, err := NewBallot(f)
			return err
		}, ErrInvalidObject},
		{"value-vote ballot with a position", func() error {
			f := consensusBallot()
			f.Phase = "value_vote"
			_, err := NewBallot(f)
			return err
		}, ErrInvalidObject},
		{"ballot without voter", func() error { f := consensusBallot(); f.AttributedTo = ""; _, err := NewBallot(f); return err }, ErrInvalidObject},
		{"delegate both actor and role", func() error {
			f := delegationFields()
			f.Delegates = []Delegate{{Actor: alice, Role: &Role{Name: "board"}}}
			_, err := NewDelegation(f)
			return err
		}, ErrInvalidObject},
		{"delegate to an unknown role", func() error {
			f := delegationFields()
			f.Delegates = []Delegate{{Role: &Role{Name: "president"}}}
			_, err := NewDelegation(f)
			return err
		}, ErrInvalidObject},
		{"membership without roles", func() error {
			_, err := NewMembership(MembershipFields{Object: Object{ID: membershipID, Name: "n", Summary: "s", Context: garden}, Member: carol})
			return err
		}, ErrInvalidObject},
		{"event in no time zone", func() error {
			_, err := NewEvent(EventFields{Object: Object{ID: eventID, Name: "n", Summary: "s"}, Start: opened, End: opened.Add(time.Hour),
				TimeZone: "Paris", OnlineURL: "https://meet.example/x", JoinMode: "free", Status: "CONFIRMED"})
			return err
		}, ErrInvalidObject},
		{"event ending before it starts", func() error {
			_, err := NewEvent(EventFields{Object: Object{ID: eventID, Name: "n", Summary: "s"}, Start: opened, End: opened,
				TimeZone: "Europe/Paris", OnlineURL: "https://meet.example/x", JoinMode: "free", Status: "CONFIRMED"})
			return err
		}, ErrInvalidObject},
		{"event nowhere", func() error {
			_, err := NewEvent(EventFields{Object: Object{ID: eventID, Name: "n", Summary: "s"}, Start: opened, End: opened.Add(time.Hour),
				TimeZone: "Europe/Paris", JoinMode: "free", Status: "CONFIRMED"})
			return err
		}, ErrInvalidObject},
		{"event fuller than its capacity", func() error {
			_, err := NewEvent(EventFields{Object: Object{ID: eventID, Name: "n", Summary: "s"}, Start: opened, End: opened.Add(time.Hour),
				TimeZone: "Europe/Paris", OnlineURL: "https://meet.example/x", Capacity: 2, Participants: 3, JoinMode: "free", Status: "CONFIRMED"})
			return err
		}, ErrInvalidObject},
		{"activity with two objects", func() error {
			task, _ := NewTask(taskFields())
			_, err := NewActivity("Create", ActivityFields{ID: activityID("garden.example", 1), Actor: garden, Object: task, ObjectIRI: taskID})
			return err
		}, ErrInvalidObject},
		{"activity Holon does not send", func() error {
			_, err := NewActivity("Travel", ActivityFields{ID: activityID("garden.example", 1), Actor: garden, ObjectIRI: taskID})
			return err
		}, ErrInvalidObject},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.build()
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestAmount_TravelsAsADecimalStringOfTheCurrencysScale(t *testing.T) {
	for _, tt := range []struct {
		value, currency string
		signed, ok      bool
	}{
		{"300.00", "EUR", false, true},
		{"0.05", "EUR", false, true},
		{"1500", "JPY", false, true},
		{"12.500", "BHD", false, true},
		{"-50.00", "EUR", true, true},
		{"-50.00", "EUR", false, false},
		{"300", "EUR", false, false},
		{"300.0", "EUR", false, false},
		{"300.000", "EUR", false, false},
		{"1500.00", "JPY", false, false},
		{"1500.", "JPY", false, false},
		{"01.00", "EUR", false, false},
		{"1e3", "EUR", false, false},
		{"1,000.00", "EUR", false, false},
		{" 1.00", "EUR", false, false},
		{"1.00", "eur", false, false},
		{"1.00", "EURO", false, false},
		{"1.00", "", false, false},
	} {
		err := Amount{Value: tt.value, Currency: tt.currency}.check(tt.signed)
		if (err == nil) != tt.ok {
			t.Errorf("%q %q signed=%v: err = %v", tt.value, tt.currency, tt.signed, err)
		}
		if err != nil && !errors.Is(err, ErrAmount) {
			t.Errorf("%q: %v is not ErrAmount", tt.value, err)
		}
	}
}

func TestAmountOf_ReadsBackWhatTheBuildersWrite(t *testing.T) {
	task, err := NewTask(taskFields())
	if err != nil {
		t.Fatal(err)
	}
	got, err := AmountOf(task.GetHolonBudget().Get())
	if err != nil || got != (Amount{Value: "300.00", Currency: "EUR"}) {
		t.Fatalf("AmountOf = %v, %v", got, err)
	}
	if _, err := AmountOf(nil); !errors.Is(err, ErrAmount) {
		t.Errorf("AmountOf(nil) = %v", err)
	}
}
