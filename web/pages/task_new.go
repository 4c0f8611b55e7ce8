package pages

import (
	"context"
	"net/http"
	"strings"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

var (
	taskFields = []string{"task_name", "description", "category", "done_criteria", "budget", "estimated_effort",
		"max_reservation", "reviewers", "draft"}
	taskRename = map[string]string{"name": "task_name"}
)

func init() {
	for name, max := range map[string]int{
		"task_name": projects.MaxTaskName, "category": 32, "done_criteria": projects.MaxCriteria * (projects.MaxCriterion + 2),
		"budget": 32, "estimated_effort": 32, "max_reservation": 32, "reviewers": projects.MaxReviewers * (core.MaxIDLength + 2),
		"draft": 8,
	} {
		fieldMax[name] = max
	}
}

// errUnknownReviewer is a reviewer this instance cannot find.
func errUnknownReviewer(who string) core.FieldError {
	return core.FieldError{Field: "reviewers", Code: "reviewer-not-found", Detail: "no account " + who + " was found"}
}

type newTaskPage struct {
	frame
	Project     projects.Project
	Association membership.Association
	Form        *form
	Categories  []string
}

// taskFormFor loads the project of the address for a viewer who may add
// tasks to it (its holder or its board); otherwise it answers and returns
// false.
func (s *server) taskFormFor(w http.ResponseWriter, r *http.Request) (membership.Account, projects.Project, membership.Association, bool) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return membership.Account{}, projects.Project{}, membership.Association{}, false
	}
	p, err := s.projects.Project(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return membership.Account{}, p, membership.Association{}, false
	}
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, r.URL.Path)
		return acc, p, membership.Association{}, false
	}
	a, err := s.projects.AssociationOf(ctx, p.AssociationID)
	if err != nil {
		s.fail(w, r, err)
		return acc, p, a, false
	}
	m, member, err := s.memberOf(ctx, &acc, a.Name)
	if err == nil && !ownsOrBoards(p, s.viewerURI(&acc), m, member) {
		err = projects.ErrHolderOrBoard
	}
	if err != nil {
		s.fail(w, r, err)
		return acc, p, a, false
	}
	return acc, p, a, true
}

func (s *server) newTaskForm(w http.ResponseWriter, r *http.Request) {
	acc, p, a, ok := s.taskFormFor(w, r)
	if !ok {
		return
	}
	f := newForm(taskFields...)
	f.Values["max_reservation"] = shortDuration(a.Settings.MaxReservationPeriod)
	f.Values["reviewers"] = "@" + acc.Username
	s.render(w, r, http.StatusOK, "new_task", &newTaskPage{Project: p, Association: a, Form: f, Categories: projects.Categories})
}

// addTask adds a task to the project; its reviewers are written as
// @name, name@host or the address of their profile, one a line.
func (s *server) addTask(w http.ResponseWriter, r *http.Request) {
	acc, p, a, ok := s.taskFormFor(w, r)
	if !ok {
		return
	}
	f, err := readForm(r, taskFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		reviewers, fe := lines(f.Value("reviewers")), (*core.FieldError)(nil)
		// More than core allows are not looked up (each may be on another
		// server): core refuses the list as it is.
		if len(reviewers) <= projects.MaxReviewers {
			reviewers, fe = s.reviewerURIs(r.Context(), reviewers)
		}
		if fe != nil {
			f.fail(*fe)
		} else {
			t, err := s.projects.AddTask(r.Context(), acc, p.ID, projects.TaskInput{
				Name: f.Value("task_name"), Description: f.Value("description"), Category: f.Value("category"),
				DoneCriteria: lines(f.Value("done_criteria")), Budget: decimalInput(f.Value("budget")),
				EstimatedEffort: strings.TrimSpace(f.Value("estimated_effort")), MaxReservation: strings.TrimSpace(f.Value("max_reservation")),
				Reviewers: reviewers, Draft: f.Checked("draft"),
			})
			if err == nil {
				redirect(w, r, taskPath(t)+"?done=added")
				return
			}
			if !s.formError(w, r, f, err, taskRename) {
				return
			}
		}
	}
	s.render(w, r, f.Status(), "new_task", &newTaskPage{Project: p, Association: a, Form: f, Categories: projects.Categories})
}

// reviewerURIs turns what a person wrote for each reviewer into the
// actor's id: a profile address is kept, a local name looked up here, a
// remote one (name@host) asked of its server.
func (s *server) reviewerURIs(ctx context.Context, in []string) ([]string, *core.FieldError) {
	out := make([]string, 0, len(in))
	for _, who := range in {
		if strings.HasPrefix(who, "https://") || strings.HasPrefix(who, "http://") {
			out = append(out, who)
			continue
		}
		name := strings.TrimPrefix(who, "@")
		if strings.Contains(name, "@") {
			if s.remote == nil {
				fe := errUnknownReviewer(who)
				return nil, &fe
			}
			a, err := s.remote.Lookup(ctx, name)
			if err != nil {
				fe := errUnknownReviewer(who)
				return nil, &fe
			}
			out = append(out, a.URI)
			continue
		}
		a, err := s.members.LocalActor(ctx, name)
		if err != nil || a.Kind != membership.ActorPerson {
			fe := errUnknownReviewer(who)
			return nil, &fe
		}
		out = append(out, a.URI)
	}
	return out, nil
}
