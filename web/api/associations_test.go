package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/membership"
)

// associationBody is the Association schema as a test reads it.
type associationBody struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	Summary     string `json:"summary"`
	Statutes    string `json:"statutes"`
	URL         string `json:"url"`
	CreatedAt   string `json:"created_at"`
	MemberCount *int   `json:"member_count"`
	Settings    struct {
		Currency                 string `json:"currency"`
		JoinMode                 string `json:"join_mode"`
		FollowApproval           bool   `json:"follow_approval"`
		ProbationPeriod          string `json:"probation_period"`
		DebatePeriod             string `json:"debate_period"`
		ConsensusPeriod          string `json:"consensus_period"`
		ValueVotePeriod          string `json:"value_vote_period"`
		MaxReservationPeriod     string `json:"max_reservation_period"`
		BoardMayAllocateUpTo     string `json:"board_may_allocate_up_to"`
		BoardMayEvaluateProjects bool   `json:"board_may_evaluate_projects"`
		Visibility               string `json:"visibility"`
	} `json:"settings"`
}

type associationPage struct {
	Items []associationBody `json:"items"`
	Next  *string           `json:"next"`
}

// unchanged fails if association name no longer reads as before did.
func (e env) unchanged(name string, before reply) {
	e.t.Helper()
	after := e.get("/associations/"+name, "")
	if string(after.body) != string(before.body) {
		e.t.Fatalf("a refused request changed the association:\nbefore %s\nafter  %s", before.body, after.body)
	}
}

// associationCount counts the instance's associations through the service.
func (e env) associationCount() int {
	e.t.Helper()
	list, _, err := e.Members.Associations(context.Background(), "", membership.MaxPageSize)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(list)
}

func TestCreateAssociation_AnswersTheNewAssociation(t *testing.T) {
	each(t, func(c *config.Config) { c.Server.Host = "holon.example"; c.Server.Protocol = "https" }, func(t *testing.T, e env) {
		_, token := e.person("ada")
		start := time.Now().UTC().Add(-time.Second)
		r := e.post("/associations", token, `{"name": "Commons", "display_name": "The Commons", "summary": "A garden",
			"statutes": "Article 1.", "currency": "chf"}`)
		var a associationBody
		r.ok(t, http.StatusCreated, "Association", &a)
		if loc := r.header.Get("Location"); loc != "/api/holon/v1/associations/commons" {
			t.Errorf("Location %q", loc)
		}
		if a.Name != "commons" || a.DisplayName != "The Commons" || a.Summary != "A garden" || a.Statutes != "Article 1." ||
			a.URL != "https://holon.example/@commons" || a.MemberCount == nil || *a.MemberCount != 1 {
			t.Errorf("association %+v", a)
		}
		created, err := time.Parse(time.RFC3339, a.CreatedAt)
		if err != nil || created.Location() != time.UTC || created.Before(start) {
			t.Errorf("created_at %q: %v", a.CreatedAt, err)
		}
		s := a.Settings
		if s.Currency != "CHF" || s.JoinMode != "free" || s.ProbationPeriod != "0s" || s.ConsensusPeriod != "168h0m0s" ||
			s.DebatePeriod != "72h0m0s" || s.BoardMayAllocateUpTo != "0.00" || s.Visibility != "public" {
			t.Errorf("default settings %+v", s)
		}

		again := e.get("/associations/commons", "")
		again.ok(t, http.StatusOK, "Association", nil)
		if string(again.body) != string(r.body) {
			t.Errorf("GET differs from the creation answer:\n%s\n%s", again.body, r.body)
		}
	})
}

func TestCreateAssociation_DuplicateNameIsConflict(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, token := e.person("ada")
		e.association(ada, "commons")
		for _, name := range []string{"commons", "Commons", " COMMONS ", "ada"} {
			t.Run(name, func(t *testing.T) {
				e.post("/associations", token, fmt.Sprintf(`{"name": %q}`, name)).problem(t, http.StatusConflict, "name-taken")
				if n := e.associationCount(); n != 1 {
					t.Fatalf("%d associations after a refused creation", n)
				}
			})
		}
	})
}

func TestCreateAssociation_InvalidInputReportsEveryField(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		_, token := e.person("ada")
		long := make([]byte, 101)
		for i := range long {
			long[i] = 'x'
		}
		tests := []struct {
			name, body string
			want       map[string]string
		}{
			{"bad characters", `{"name": "bad name!"}`, map[string]string{"name": "bad-characters"}},
			{"no name", `{"display_name": "Nameless"}`, map[string]string{"name": "required"}},
			{"too long", `{"name": "a234567890123456789012345678901"}`, map[string]string{"name": "too-long"}},
			{"unknown currency", `{"name": "commons", "currency": "EURO"}`, map[string]string{"currency": "unknown-currency"}},
			{"everything at once", `{"name": "bad name!", "currency": "EURO", "display_name": "` + string(long) + `"}`,
				map[string]string{"name": "bad-characters", "currency": "unknown-currency", "display_name": "too-long"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := e.post("/associations", token, tt.body).problem(t, http.StatusBadRequest, "invalid-input")
				sameFields(t, p, tt.want)
				if n := e.associationCount(); n != 0 {
					t.Fatalf("%d associations after a refused creation", n)
				}
			})
		}
	})
}

func TestCreateAssociation_OnlyAdminsWhenThePolicySaysSo(t *testing.T) {
	each(t, func(c *config.Config) { c.Instance.AssociationCreation = config.AssociationCreationAdmins }, func(t *testing.T, e env) {
		_, token := e.person("ada")
		e.post("/associations", token, `{"name": "commons"}`).problem(t, http.StatusForbidden, "creation-not-allowed")
		if n := e.associationCount(); n != 0 {
			t.Fatalf("%d associations", n)
		}
	})
}

func TestGetAssociation_UnknownIsNotFound(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		for _, name := range []string{"nowhere", "bad%20name", "x%21"} {
			e.get("/associations/"+name, "").problem(t, http.StatusNotFound, "association-not-found")
		}
	})
}

func TestListAssociations_PagesWithNextCursor(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, _ := e.person("ada")
		for _, n := range []string{"eagles", "bees", "ants", "doves", "crows"} {
			e.association(ada, n)
		}
		var got []string
		path := "/associations?limit=2"
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatal("the cursor never ends")
			}
			var p associationPage
			e.get(path, "").ok(t, http.StatusOK, "AssociationPage", &p)
			for _, a := range p.Items {
				if a.MemberCount != nil {
					t.Errorf("list item %s has a member_count", a.Name)
				}
				got = append(got, a.Name)
			}
			if p.Next == nil {
				break
			}
			if len(p.Items) != 2 {
				t.Fatalf("a page before the last has %d items", len(p.Items))
			}
			path = "/associations?limit=2&cursor=" + *p.Next
		}
		if fmt.Sprint(got) != "[ants bees crows doves eagles]" {
			t.Fatalf("pages gave %v", got)
		}

		var all associationPage
		e.get("/associations", "").ok(t, http.StatusOK, "AssociationPage", &all)
		if len(all.Items) != 5 || all.Next != nil {
			t.Fatalf("default page: %d items, next %v", len(all.Items), all.Next)
		}
	})
}

func TestListAssociations_BadPagingIsInvalid(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		tests := []struct {
			query string
			want  map[string]string
		}{
			{"limit=0", map[string]string{"limit": "out-of-range"}},
			{"limit=201", map[string]string{"limit": "out-of-range"}},
			{"limit=ten", map[string]string{"limit": "out-of-range"}},
			{"cursor=Not%20a%20name", map[string]string{"cursor": "bad-cursor"}},
			{"limit=-1&cursor=ABC", map[string]string{"limit": "out-of-range", "cursor": "bad-cursor"}},
		}
		for _, tt := range tests {
			t.Run(tt.query, func(t *testing.T) {
				sameFields(t, e.get("/associations?"+tt.query, "").problem(t, http.StatusBadRequest, "invalid-input"), tt.want)
			})
		}
		var p associationPage
		e.get("/associations?limit=200", "").ok(t, http.StatusOK, "AssociationPage", &p)
	})
}

func TestUpdateAssociation_BoardChangesTextsAndSettings(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, token := e.person("ada")
		e.association(ada, "commons")
		var a associationBody
		e.patch("/associations/Commons", token, `{
			"display_name": "Commons", "summary": "Gardens", "statutes": "Art. 1",
			"currency": "JPY", "join_mode": "approval", "follow_approval": true,
			"probation_period": "24h", "debate_period": "0s", "consensus_period": "2s",
			"value_vote_period": "90m", "max_reservation_period": "720h",
			"board_may_allocate_up_to": "500", "board_may_evaluate_projects": true, "visibility": "members"
		}`).ok(t, http.StatusOK, "Association", &a)
		s := a.Settings
		if a.DisplayName != "Commons" || a.Summary != "Gardens" || a.Statutes != "Art. 1" || s.Currency != "JPY" ||
			s.JoinMode != "approval" || !s.FollowApproval || s.ProbationPeriod != "24h0m0s" || s.DebatePeriod != "0s" ||
			s.ConsensusPeriod != "2s" || s.ValueVotePeriod != "1h30m0s" || s.MaxReservationPeriod != "720h0m0s" ||
			s.BoardMayAllocateUpTo != "500" || !s.BoardMayEvaluateProjects || s.Visibility != "members" {
			t.Fatalf("not applied: %+v", a)
		}

		// Absent fields stay; the amount is read in the current currency.
		e.patch("/associations/commons", token, `{"currency": "EUR", "board_may_allocate_up_to": "100.5"}`).
			ok(t, http.StatusOK, "Association", &a)
		if a.Summary != "Gardens" || a.Settings.JoinMode != "approval" || a.Settings.BoardMayAllocateUpTo != "100.50" {
			t.Fatalf("partial change: %+v", a)
		}
		e.patch("/associations/commons", token, `{}`).ok(t, http.StatusOK, "Association", nil)
	})
}

func TestUpdateAssociation_OthersAreRefusedAndNothingChanges(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, _ := e.person("ada")
		bob, bobToken := e.person("bob")
		_, carolToken := e.person("carol")
		e.association(ada, "commons")
		e.join(bob, "commons")
		before := e.get("/associations/commons", "")
		body := `{"summary": "taken over", "join_mode": "approval"}`

		e.patch("/associations/commons", bobToken, body).problem(t, http.StatusForbidden, "board-only")
		e.patch("/associations/commons", carolToken, body).problem(t, http.StatusForbidden, "board-only")
		e.patch("/associations/commons", "", body).problem(t, http.StatusUnauthorized, "unauthenticated")
		e.patch("/associations/nowhere", bobToken, body).problem(t, http.StatusNotFound, "association-not-found")
		e.unchanged("commons", before)
	})
}

func TestUpdateAssociation_InvalidSettingsAreAllReportedAndNothingChanges(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, token := e.person("ada")
		e.association(ada, "commons")
		before := e.get("/associations/commons", "")
		tests := []struct {
			name, body string
			want       map[string]string
		}{
			{"currency", `{"currency": "EURO"}`, map[string]string{"currency": "unknown-currency"}},
			{"duration", `{"consensus_period": "a week"}`, map[string]string{"consensus_period": "invalid-duration"}},
			{"negative duration", `{"probation_period": "-1h"}`, map[string]string{"probation_period": "out-of-range"}},
			{"amount", `{"board_may_allocate_up_to": "1.234"}`, map[string]string{"board_may_allocate_up_to": "invalid-amount"}},
			{"empty display name", `{"display_name": "  "}`, map[string]string{"display_name": "required"}},
			{"every field at once", `{"summary": "half applied?", "currency": "EURO", "join_mode": "open", "visibility": "secret",
				"consensus_period": "a week", "value_vote_period": "0s", "board_may_allocate_up_to": "-5"}`,
				map[string]string{"currency": "unknown-currency", "join_mode": "invalid-choice", "visibility": "invalid-choice",
					"consensus_period": "invalid-duration", "value_vote_period": "out-of-range", "board_may_allocate_up_to": "invalid-amount"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				sameFields(t, e.patch("/associations/commons", token, tt.body).problem(t, http.StatusBadRequest, "invalid-input"), tt.want)
				e.unchanged("commons", before)
			})
		}
	})
}
