package pages

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

// The fields of the project forms. Inputs whose core field has another
// length bound elsewhere ("name", "reason") are named apart.
var (
	projectFields    = []string{"project_name", "summary", "description", "licence", "architecture", "checklist", "beneficiaries", "tags", "place", "goal"}
	evaluationFields = []string{"verdict", "evaluation_reason"}
	statusFields     = []string{"to", "status_reason"}

	projectRename    = map[string]string{"name": "project_name"}
	evaluationRename = map[string]string{"reason": "evaluation_reason"}
	statusRename     = map[string]string{"reason": "status_reason"}
)

func init() {
	for name, max := range map[string]int{
		"project_name": projects.MaxProjectName, "description": projects.MaxDescription, "licence": 100,
		"architecture": 32, "checklist": projects.MaxChecklist * (projects.MaxChecklistItem + 2),
		"beneficiaries": projects.MaxBeneficiaries * (projects.MaxBeneficiary + 2),
		"tags":          projects.MaxTags * (projects.MaxTag + 2), "place": projects.MaxPlace, "goal": 32,
		"verdict": 16, "evaluation_reason": projects.MaxReason, "to": 16, "status_reason": projects.MaxReason,
	} {
		fieldMax[name] = max
	}
}

// lines splits a text area into its non-empty lines, trimmed: one item a
// line (checklist, beneficiaries, done criteria, links, reviewers).
func lines(s string) []string {
	out := []string{}
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// words splits tags written with spaces or commas between them.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// listPtr is the list a text area holds, or nil when the form did not
// carry it.
func (f *form) listPtr(name string, split func(string) []string) *[]string {
	if !f.submitted(name) {
		return nil
	}
	l := split(f.Value(name))
	return &l
}

type newProjectPage struct {
	frame
	Association   membership.Association
	Form          *form
	Architectures []string
}

// memberOnly loads the association of the address and checks that the
// viewer is an active member; otherwise it answers (log-in page, 403, 404)
// and returns false.
func (s *server) memberOnly(w http.ResponseWriter, r *http.Request, back string) (membership.Account, membership.Association, bool) {
	ctx := r.Context()
	a, err := s.members.Association(ctx, chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return membership.Account{}, a, false
	}
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, back)
		return acc, a, false
	}
	_, member, err := s.memberOf(ctx, &acc, a.Name)
	if err == nil && !member {
		err = projects.ErrNotMember
	}
	if err != nil {
		s.fail(w, r, err)
		return acc, a, false
	}
	return acc, a, true
}

func (s *server) newProjectForm(w http.ResponseWriter, r *http.Request) {
	_, a, ok := s.memberOnly(w, r, r.URL.Path)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "new_project", &newProjectPage{Association: a, Form: newForm(projectFields...),
		Architectures: []string{projects.Centralised, projects.Decentralised, projects.Distributed}})
}

// proposeProject records the viewer's project proposal; they hold it.
func (s *server) proposeProject(w http.ResponseWriter, r *http.Request) {
	acc, a, ok := s.memberOnly(w, r, r.URL.Path)
	if !ok {
		return
	}
	f, err := readForm(r, projectFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		var goal *string
		if g := f.ptr("goal"); g != nil && strings.TrimSpace(*g) != "" {
			v := decimalInput(*g)
			goal = &v
		}
		p, err := s.projects.Propose(r.Context(), acc, a.Name, projects.ProjectInput{
			Name: f.ptr("project_name"), Summary: f.ptr("summary"), Description: f.ptr("description"),
			Licence: f.ptr("licence"), Architecture: f.ptr("architecture"),
			Checklist: f.listPtr("checklist", lines), Beneficiaries: f.listPtr("beneficiaries", lines),
			Tags: f.listPtr("tags", words), Place: f.ptr("place"), Goal: goal,
		})
		if err == nil {
			redirect(w, r, projectPath(p)+"?done=proposed")
			return
		}
		if !s.formError(w, r, f, err, projectRename) {
			return
		}
	}
	s.render(w, r, f.Status(), "new_project", &newProjectPage{Association: a, Form: f,
		Architectures: []string{projects.Centralised, projects.Decentralised, projects.Distributed}})
}

// formError shows err on f when it is something wrong with the form or a
// clash with the current state; a refusal or anything else gets the error
// page. It reports whether the caller should show the form again.
func (s *server) formError(w http.ResponseWriter, r *http.Request, f *form, err error, rename map[string]string) bool {
	switch core.KindOf(err) {
	case core.KindInvalid, core.KindConflict:
		if f.takeAs(err, rename) {
			return true
		}
	}
	s.fail(w, r, err)
	return false
}

// postForm does what every form posted to a page does: it asks a visitor to
// sign in (back to the page after), reads fields, runs act and goes back
// to the page with ?done= what act says was done. It returns the form to
// show again on the page with what went wrong, or nil when the answer is
// written.
func (s *server) postForm(w http.ResponseWriter, r *http.Request, back string, fields []string, rename map[string]string,
	act func(acc membership.Account, f *form) (done string, err error)) *form {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, back)
		return nil
	}
	f, err := readForm(r, fields)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	if !f.Invalid() {
		done, err := act(acc, f)
		if err == nil {
			redirect(w, r, back+"?done="+done)
			return nil
		}
		if !s.formError(w, r, f, err, rename) {
			return nil
		}
	}
	return f
}

// projectAction reads a form posted on a project's page, runs act and
// goes back to the page, or shows it again with what went wrong.
func (s *server) projectAction(w http.ResponseWriter, r *http.Request, fields []string, rename map[string]string, done string,
	act func(acc membership.Account, id uuid.UUID, f *form) error) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := s.postForm(w, r, "/projects/"+id.String(), fields, rename, func(acc membership.Account, f *form) (string, error) {
		return done, act(acc, id, f)
	})
	if f == nil {
		return
	}
	evaluation, change := newForm(evaluationFields...), newForm(statusFields...)
	if done == "evaluated" {
		evaluation = f
	} else {
		change = f
	}
	s.showProject(w, r, f.Status(), id, evaluation, change)
}

// evaluateProject is the board's decision on a proposed project.
func (s *server) evaluateProject(w http.ResponseWriter, r *http.Request) {
	s.projectAction(w, r, evaluationFields, evaluationRename, "evaluated", func(acc membership.Account, id uuid.UUID, f *form) error {
		_, err := s.projects.Evaluate(r.Context(), acc, id, f.Value("verdict"), f.Value("evaluation_reason"))
		return err
	})
}

// changeProjectStatus starts, completes or archives a project.
func (s *server) changeProjectStatus(w http.ResponseWriter, r *http.Request) {
	s.projectAction(w, r, statusFields, statusRename, "status", func(acc membership.Account, id uuid.UUID, f *form) error {
		_, err := s.projects.SetProjectStatus(r.Context(), acc, id, f.Value("to"), f.Value("status_reason"))
		return err
	})
}
