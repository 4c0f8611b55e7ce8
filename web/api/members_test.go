package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/holon-network/holon/core/membership"
)

// memberBody is the Member schema as a test reads it.
type memberBody struct {
	ID               string  `json:"id"`
	Username         string  `json:"username"`
	DisplayName      string  `json:"display_name"`
	Role             string  `json:"role"`
	Status           string  `json:"status"`
	RequestedAt      string  `json:"requested_at"`
	JoinedAt         *string `json:"joined_at"`
	VotingFrom       *string `json:"voting_from"`
	MayVote          bool    `json:"may_vote"`
	VotingSuspended  bool    `json:"voting_suspended"`
	SuspensionReason *string `json:"suspension_reason"`
}

type memberPage struct {
	Items []memberBody `json:"items"`
	Next  *string      `json:"next"`
}

// members lists association name as token sees it, by username.
func (e env) members(name, token string) map[string]memberBody {
	e.t.Helper()
	var p memberPage
	e.get("/associations/"+name+"/members?limit=200", token).ok(e.t, http.StatusOK, "MemberPage", &p)
	out := make(map[string]memberBody, len(p.Items))
	for _, m := range p.Items {
		out[m.Username] = m
	}
	return out
}

func TestJoin_FreeIsActiveAndApprovalIsPendingUntilTheBoardApproves(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		_, bobToken := e.person("bob")
		e.association(ada, "garden")
		e.association(ada, "club")
		e.settings(ada, "club", membership.SettingsChange{JoinMode: ptr("approval")})

		var m memberBody
		r := e.do(request{method: http.MethodPost, path: "/associations/Garden/members", token: bobToken})
		r.ok(t, http.StatusCreated, "Member", &m)
		if r.header.Get("Location") != "/api/holon/v1/associations/garden/members/bob" {
			t.Errorf("Location %q", r.header.Get("Location"))
		}
		if m.Username != "bob" || m.Status != "active" || m.Role != "member" || m.JoinedAt == nil || !m.MayVote ||
			m.VotingFrom == nil || *m.VotingFrom != *m.JoinedAt || m.SuspensionReason == nil {
			t.Fatalf("free join: %+v", m)
		}

		e.post("/associations/club/members", bobToken, `{}`).ok(t, http.StatusCreated, "Member", &m)
		if m.Status != "pending" || m.JoinedAt != nil || m.VotingFrom != nil || m.MayVote {
			t.Fatalf("approval join: %+v", m)
		}
		if _, ok := e.members("club", "")["bob"]; ok {
			t.Fatal("a pending request is listed to visitors")
		}
		if _, ok := e.members("club", bobToken)["bob"]; ok {
			t.Fatal("a pending request is listed to a non-board viewer")
		}
		if got := e.members("club", adaToken)["bob"]; got.Status != "pending" {
			t.Fatalf("the board sees %+v", got)
		}

		e.patch("/associations/club/members/bob", adaToken, `{"status": "active"}`).ok(t, http.StatusOK, "Member", &m)
		if m.Status != "active" || m.JoinedAt == nil || !m.MayVote {
			t.Fatalf("approved: %+v", m)
		}
		if got := e.members("club", "")["bob"]; got.Status != "active" {
			t.Fatalf("visitors see %+v", got)
		}
	})
}

func TestJoin_RefusedRequestsChangeNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, _ := e.person("ada")
		bob, bobToken := e.person("bob")
		e.association(ada, "garden")
		e.join(bob, "garden")

		e.post("/associations/garden/members", bobToken, `{}`).problem(t, http.StatusConflict, "already-member")
		e.post("/associations/nowhere/members", bobToken, `{}`).problem(t, http.StatusNotFound, "association-not-found")
		e.post("/associations/garden/members", "", `{}`).problem(t, http.StatusUnauthorized, "unauthenticated")
		e.post("/associations/garden/members", bobToken, `{"role": "board"}`).problem(t, http.StatusBadRequest, "unknown-field")
		if got := e.members("garden", ""); len(got) != 2 || got["bob"].Role != "member" {
			t.Fatalf("members %+v", got)
		}
	})
}

func TestJoin_ProbationDelaysVotingRights(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, _ := e.person("ada")
		_, bobToken := e.person("bob")
		e.association(ada, "garden")
		e.settings(ada, "garden", membership.SettingsChange{ProbationPeriod: ptr("168h")})
		var m memberBody
		e.post("/associations/garden/members", bobToken, "").ok(t, http.StatusCreated, "Member", &m)
		joined, _ := time.Parse(time.RFC3339, *m.JoinedAt)
		from, _ := time.Parse(time.RFC3339, *m.VotingFrom)
		if m.MayVote || from.Sub(joined) != 168*time.Hour {
			t.Fatalf("during probation: %+v", m)
		}
	})
}

func TestListMembers_PagesWithNextCursor(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, _ := e.person("ada")
		e.association(ada, "garden")
		want := []string{"ada"}
		for i := range 4 {
			acc, _ := e.person(fmt.Sprintf("m%d", i))
			e.join(acc, "garden")
			want = append(want, acc.Username)
		}
		var got []string
		path := "/associations/garden/members?limit=2"
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatal("the cursor never ends")
			}
			var p memberPage
			e.get(path, "").ok(t, http.StatusOK, "MemberPage", &p)
			for _, m := range p.Items {
				got = append(got, m.Username)
			}
			if p.Next == nil {
				break
			}
			if p.Items[len(p.Items)-1].ID != *p.Next {
				t.Fatalf("next %s is not the last member's id", *p.Next)
			}
			path = "/associations/garden/members?limit=2&cursor=" + *p.Next
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("pages gave %v, want %v (joining order)", got, want)
		}

		for _, q := range []string{"cursor=ada", "cursor=123", "limit=0", "limit=1000"} {
			e.get("/associations/garden/members?"+q, "").problem(t, http.StatusBadRequest, "invalid-input")
		}
		e.get("/associations/nowhere/members", "").problem(t, http.StatusNotFound, "association-not-found")
	})
}

func TestListMembers_MembersOnlyVisibilityHidesThemFromOthers(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		bob, bobToken := e.person("bob")
		carol, carolToken := e.person("carol")
		_, daveToken := e.person("dave")
		e.association(ada, "garden")
		e.settings(ada, "garden", membership.SettingsChange{Visibility: ptr("members"), JoinMode: ptr("approval")})
		e.join(bob, "garden")
		e.join(carol, "garden")
		e.patch("/associations/garden/members/bob", adaToken, `{"status": "active"}`).ok(t, http.StatusOK, "Member", nil)

		e.get("/associations/garden/members", "").problem(t, http.StatusForbidden, "members-only")
		e.get("/associations/garden/members", daveToken).problem(t, http.StatusForbidden, "members-only")
		// A request to join is not membership yet.
		e.get("/associations/garden/members", carolToken).problem(t, http.StatusForbidden, "members-only")
		if got := e.members("garden", bobToken); len(got) != 2 {
			t.Fatalf("a member sees %v", got)
		}
		if got := e.members("garden", adaToken); len(got) != 3 {
			t.Fatalf("the board sees %v", got)
		}
	})
}

func TestUpdateMember_SuspensionReasonIsShownToTheBoardAndTheMemberOnly(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		bob, bobToken := e.person("bob")
		carol, carolToken := e.person("carol")
		e.association(ada, "garden")
		e.join(bob, "garden")
		e.join(carol, "garden")

		var m memberBody
		e.patch("/associations/garden/members/Bob", adaToken, `{"voting_suspended": true, "suspension_reason": "ballot stuffing"}`).
			ok(t, http.StatusOK, "Member", &m)
		if !m.VotingSuspended || m.MayVote || m.SuspensionReason == nil || *m.SuspensionReason != "ballot stuffing" {
			t.Fatalf("suspended: %+v", m)
		}
		tests := []struct {
			viewer, token string
			sees          bool
		}{
			{"visitor", "", false},
			{"another member", carolToken, false},
			{"the member", bobToken, true},
			{"the board", adaToken, true},
		}
		for _, tt := range tests {
			t.Run(tt.viewer, func(t *testing.T) {
				got := e.members("garden", tt.token)["bob"]
				if !got.VotingSuspended || got.MayVote {
					t.Fatalf("bob %+v", got)
				}
				if sees := got.SuspensionReason != nil && *got.SuspensionReason == "ballot stuffing"; sees != tt.sees {
					t.Fatalf("sees the reason: %v, want %v (%+v)", sees, tt.sees, got)
				}
				if !tt.sees && got.SuspensionReason != nil {
					t.Fatalf("reason %q shown", *got.SuspensionReason)
				}
			})
		}

		e.patch("/associations/garden/members/bob", adaToken, `{"voting_suspended": false}`).ok(t, http.StatusOK, "Member", &m)
		if m.VotingSuspended || !m.MayVote || *m.SuspensionReason != "" {
			t.Fatalf("restored: %+v", m)
		}
	})
}

func TestUpdateMember_BoardChangesRoles(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		bob, bobToken := e.person("bob")
		e.association(ada, "garden")
		e.join(bob, "garden")
		var m memberBody
		e.patch("/associations/garden/members/bob", adaToken, `{"role": "treasurer"}`).ok(t, http.StatusOK, "Member", &m)
		if m.Role != "treasurer" {
			t.Fatalf("role %q", m.Role)
		}
		// bob is on the board now, and may hand ada's seat back to the members.
		e.patch("/associations/garden/members/ada", bobToken, `{"role": "member"}`).ok(t, http.StatusOK, "Member", &m)
		if m.Role != "member" {
			t.Fatalf("role %q", m.Role)
		}
	})
}

func TestUpdateMember_BadRequestsAreRefusedAndChangeNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		bob, bobToken := e.person("bob")
		e.association(ada, "garden")
		e.join(bob, "garden")
		list := func() string { return string(e.get("/associations/garden/members", adaToken).body) }
		before := list()
		tests := []struct {
			name, token, actor, body string
			status                   int
			code                     string
			fields                   map[string]string
		}{
			{"suspension without reason", adaToken, "bob", `{"voting_suspended": true}`, 400, "invalid-input",
				map[string]string{"suspension_reason": "required"}},
			{"blank reason", adaToken, "bob", `{"voting_suspended": true, "suspension_reason": "   "}`, 400, "invalid-input",
				map[string]string{"suspension_reason": "required"}},
			{"every field at once", adaToken, "bob", `{"role": "king", "status": "gone", "voting_suspended": true}`, 400, "invalid-input",
				map[string]string{"role": "invalid-choice", "status": "invalid-choice", "suspension_reason": "required"}},
			{"not on the board", bobToken, "ada", `{"role": "member"}`, 403, "board-only", nil},
			{"unknown member", adaToken, "nobody", `{"role": "board"}`, 404, "member-not-found", nil},
			{"unknown association", adaToken, "bob", `{"role": "board"}`, 404, "association-not-found", nil},
			{"back to pending", adaToken, "bob", `{"status": "pending"}`, 409, "not-pending", nil},
			{"last board member steps down", adaToken, "ada", `{"role": "member"}`, 409, "last-board-member", nil},
			{"anonymous", "", "bob", `{"role": "board"}`, 401, "unauthenticated", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				assoc := "garden"
				if tt.code == "association-not-found" {
					assoc = "nowhere"
				}
				p := e.patch("/associations/"+assoc+"/members/"+tt.actor, tt.token, tt.body).problem(t, tt.status, tt.code)
				if tt.fields != nil {
					sameFields(t, p, tt.fields)
				}
				if after := list(); after != before {
					t.Fatalf("members changed:\nbefore %v\nafter  %v", before, after)
				}
			})
		}
	})
}

func TestLeave_LastBoardMemberMayNotLeave(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		bob, bobToken := e.person("bob")
		_, carolToken := e.person("carol")
		e.association(ada, "garden")
		e.join(bob, "garden")

		e.del("/associations/garden/members/me", adaToken).problem(t, http.StatusConflict, "last-board-member")
		if got := e.members("garden", ""); got["ada"].Role != "board" {
			t.Fatalf("ada %+v", got["ada"])
		}
		e.del("/associations/garden/members/me", carolToken).problem(t, http.StatusNotFound, "member-not-found")
		e.del("/associations/garden/members/me", "").problem(t, http.StatusUnauthorized, "unauthenticated")

		e.del("/associations/Garden/members/me", bobToken).ok(t, http.StatusNoContent, "", nil)
		if got := e.members("garden", ""); len(got) != 1 {
			t.Fatalf("members after bob left: %v", got)
		}
	})
}

func TestRefuseMember_BoardTurnsDownAPendingRequest(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		bob, bobToken := e.person("bob")
		carol, _ := e.person("carol")
		e.association(ada, "club")
		e.settings(ada, "club", membership.SettingsChange{JoinMode: ptr("approval")})
		e.join(bob, "club")
		e.join(carol, "club")
		e.patch("/associations/club/members/carol", adaToken, `{"status": "active"}`).ok(t, http.StatusOK, "Member", nil)

		e.del("/associations/club/members/bob", bobToken).problem(t, http.StatusForbidden, "board-only")
		e.del("/associations/club/members/carol", adaToken).problem(t, http.StatusConflict, "not-pending")
		e.del("/associations/club/members/bob", adaToken).ok(t, http.StatusNoContent, "", nil)
		got := e.members("club", adaToken)
		if _, ok := got["bob"]; ok || len(got) != 2 {
			t.Fatalf("members after refusal: %v", got)
		}
		e.del("/associations/club/members/bob", adaToken).problem(t, http.StatusNotFound, "member-not-found")
	})
}

func ptr[T any](v T) *T { return &v }
