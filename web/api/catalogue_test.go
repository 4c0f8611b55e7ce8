package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestCatalogue_FiltersAndPages: the catalogue lists open tasks newest
// first unless asked otherwise, filters on category, tag, place and budget,
// pages with a cursor, and with network=true and no partners' source lists
// the same local tasks.
func TestCatalogue_FiltersAndPages(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		mesh := s.project(t) // tags mesh, place Lyon
		var garden apiProject
		e.post("/associations/"+s.name+"/projects", s.holderTok,
			`{"name": "Garden", "licence": "CC-BY-SA-4.0", "architecture": "centralised", "tags": ["food"], "place": "Grenoble"}`).ok(t, http.StatusCreated, "Project", &garden)
		e.post("/projects/"+garden.ID+"/evaluation", s.boardTok, `{"verdict": "accept"}`).ok(t, http.StatusOK, "Project", &garden)

		flash := s.task(t, mesh, "250.00", "")
		var poster apiTask
		e.post("/projects/"+garden.ID+"/tasks", s.holderTok, strings.Replace(s.taskBody("40.00", ""), `"programming"`, `"communication"`, 1)).
			ok(t, http.StatusCreated, "Task", &poster)
		cheap := s.task(t, garden, "5.00", "")
		s.task(t, mesh, "99.00", `, "draft": true`)
		gone := s.task(t, mesh, "60.00", "")
		e.post("/tasks/"+gone.ID+"/cancel", s.holderTok, "").ok(t, http.StatusOK, "Task", nil)

		ids := func(q string) string {
			t.Helper()
			var page struct {
				Items []apiTask
				Next  *string
			}
			e.get("/tasks"+q, "").ok(t, http.StatusOK, "TaskPage", &page)
			var out []string
			for _, it := range page.Items {
				out = append(out, it.ID)
			}
			return strings.Join(out, ",")
		}
		join := func(tasks ...apiTask) string {
			out := make([]string, len(tasks))
			for i, t := range tasks {
				out[i] = t.ID
			}
			return strings.Join(out, ",")
		}
		tests := []struct{ query, want string }{
			{"", join(cheap, poster, flash)},
			{"?status=open", join(cheap, poster, flash)},
			{"?status=cancelled", join(gone)},
			{"?category=communication", join(poster)},
			{"?tag=mesh", join(flash)},
			{"?tag=%23Food", join(cheap, poster)},
			{"?place=grenoble", join(cheap, poster)},
			{"?min_budget=40", join(poster, flash)},
			{"?max_budget=40.00", join(cheap, poster)},
			{"?min_budget=10&max_budget=100&tag=food", join(poster)},
			{"?network=true", join(cheap, poster, flash)},
			{"?network=false&category=programming", join(cheap, flash)},
		}
		for _, tc := range tests {
			if got := ids(tc.query); got != tc.want {
				t.Errorf("GET /tasks%s = %s, want %s", tc.query, got, tc.want)
			}
		}

		// Pages of one, to the end.
		var seen []string
		for q := "?limit=1"; ; {
			var page struct {
				Items []apiTask
				Next  *string
			}
			e.get("/tasks"+q, "").ok(t, http.StatusOK, "TaskPage", &page)
			for _, it := range page.Items {
				seen = append(seen, it.ID)
			}
			if page.Next == nil {
				break
			}
			q = "?limit=1&cursor=" + *page.Next
		}
		if got := strings.Join(seen, ","); got != join(cheap, poster, flash) {
			t.Fatalf("paged: %s", got)
		}

		for _, tc := range []struct{ query, field string }{
			{"?status=finished", "status"}, {"?category=cooking", "category"}, {"?tag=a%20b", "tags"},
			{"?min_budget=cheap", "min_budget"}, {"?max_budget=-1", "max_budget"}, {"?network=maybe", "network"},
			{"?limit=0", "limit"}, {"?limit=101", "limit"}, {"?cursor=nope", "cursor"},
		} {
			t.Run(tc.query, func(t *testing.T) {
				pr := e.get("/tasks"+tc.query, "").problem(t, 400, "invalid-input")
				if _, ok := fields(pr)[tc.field]; !ok {
					t.Fatalf("problem %+v does not name %s", pr, tc.field)
				}
			})
		}
	})
}
