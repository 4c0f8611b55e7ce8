package pages

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

// reallocationRows is how many parts one reallocation form offers; what
// is left of a right can be moved in several goes.
const reallocationRows = 5

var reallocationFields = func() []string {
	var f []string
	for i := range reallocationRows {
		f = append(f, partTask(i), partAmount(i))
	}
	return f
}()

func partTask(i int) string   { return fmt.Sprintf("parts[%d].task", i) }
func partAmount(i int) string { return fmt.Sprintf("parts[%d].amount", i) }

func init() {
	for i := range reallocationRows {
		fieldMax[partTask(i)] = 36
		fieldMax[partAmount(i)] = 32
	}
}

// recognitionView is one verified task on a person's profile.
type recognitionView struct {
	projects.Recognition
	Path string
}

// partRow is one line of a reallocation form: a task and an amount.
type partRow struct {
	Number       int
	Task, Amount string // the inputs' names
	ID           string // prefix of the inputs' ids, unique on the page
	Form         *form
}

// rightView is a right to reallocate, with its form for its holder.
type rightView struct {
	ledger.Right
	TaskName string
	TaskPath string
	Currency string
	Left     int64
	Form     *form           // nil unless the viewer holds it and something is left
	Targets  []projects.Task // the open tasks of the same association
	Rows     []partRow
}

// reallocationForm is a reallocation form that went wrong, for the right
// on Task.
type reallocationForm struct {
	Task uuid.UUID
	Form *form
}

// recognition adds to p the person's verified work and rights to
// reallocate, with the forms to use them when p is their own profile.
func (s *server) recognition(r *http.Request, p *personPage, failed *reallocationForm) error {
	ctx := r.Context()
	uri := s.members.ActorURI(p.Person.Username)
	work, err := s.projects.Recognitions(ctx, uri)
	if err != nil {
		return err
	}
	for _, w := range work {
		p.Work = append(p.Work, recognitionView{Recognition: w, Path: "/tasks/" + w.TaskID.String()})
	}
	rights, err := s.ledger.RightsOf(ctx, uri)
	if err != nil {
		return err
	}
	for _, right := range rights {
		t, err := s.projects.Task(ctx, right.Task)
		if err != nil {
			return err
		}
		v := rightView{Right: right, TaskName: t.Name, TaskPath: taskPath(t), Currency: t.Currency, Left: right.Amount - right.Used}
		if p.Self && v.Left > 0 {
			if err := s.reallocationForm(r, &v, t, failed); err != nil {
				return err
			}
		}
		p.Rights = append(p.Rights, v)
	}
	return nil
}

// reallocationForm prepares the form that moves what is left of v to
// other open tasks of its association.
func (s *server) reallocationForm(r *http.Request, v *rightView, t projects.Task, failed *reallocationForm) error {
	a, err := s.projects.AssociationOf(r.Context(), t.AssociationID)
	if err != nil {
		return err
	}
	open, _, err := s.projects.Catalogue(r.Context(), projects.CatalogueQuery{Association: a.Name, Status: projects.TaskOpen, Limit: projects.MaxPage})
	if err != nil {
		return err
	}
	for _, o := range open {
		if o.ID != t.ID {
			v.Targets = append(v.Targets, o)
		}
	}
	v.Form = newForm(reallocationFields...)
	if failed != nil && failed.Task == t.ID {
		v.Form = failed.Form
	}
	for i := range reallocationRows {
		v.Rows = append(v.Rows, partRow{Number: i + 1, Task: partTask(i), Amount: partAmount(i),
			ID: fmt.Sprintf("right-%s-part-%d", t.ID, i), Form: v.Form})
	}
	return nil
}

// reallocate moves parts of a task's money, by the holder of its right,
// to other open tasks; the rows left empty are skipped.
func (s *server) reallocate(w http.ResponseWriter, r *http.Request) {
	if s.onPartnerTask(w, r, func(t projects.RemoteTask) { s.reallocatePartnerTask(w, r, t) }) {
		return
	}
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/tasks/"+id.String())
		return
	}
	back := "/@" + acc.Username
	f, err := readForm(r, reallocationFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		err := s.reallocateParts(r, acc, id, f)
		if err == nil {
			redirect(w, r, back+"?done=reallocated")
			return
		}
		if !s.formError(w, r, f, err, nil) {
			return
		}
	}
	s.showPersonWith(w, r, f.Status(), acc.Username, &reallocationForm{Task: id, Form: f})
}

func (s *server) reallocateParts(r *http.Request, acc membership.Account, id uuid.UUID, f *form) error {
	currency, err := s.ledger.TaskCurrency(r.Context(), id)
	if err != nil {
		return err
	}
	var parts []ledger.Part
	for i := range reallocationRows {
		task, amount := strings.TrimSpace(f.Value(partTask(i))), strings.TrimSpace(f.Value(partAmount(i)))
		if task == "" && amount == "" {
			continue
		}
		to, err := uuid.Parse(task)
		if err != nil {
			return core.Invalid(core.FieldError{Field: partTask(i), Code: codeInvalidChoice, Detail: "choose a task"})
		}
		n, err := amountInput(partAmount(i), amount, currency)
		if err != nil {
			return err
		}
		parts = append(parts, ledger.Part{Task: to, Amount: n})
	}
	if len(parts) == 0 {
		return core.Invalid(core.FieldError{Field: "parts", Code: codeRequired, Detail: "give at least one part: a task and an amount"})
	}
	_, err = s.ledger.Reallocate(r.Context(), s.members.ActorURI(acc.Username), id, parts)
	return err
}
