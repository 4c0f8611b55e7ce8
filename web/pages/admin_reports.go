package pages

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// adminReportsPage is the moderators' queue of reports: open or resolved,
// a page at a time.
type adminReportsPage struct {
	frame
	State   string // "open" or "resolved"
	Reports []membership.Report
	Next    string
}

func (s *server) adminReports(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/admin/reports")
		return
	}
	state := r.URL.Query().Get("state")
	if state != membership.ReportResolved {
		state = membership.ReportOpen
	}
	var before uuid.UUID
	if c, err := uuid.Parse(r.URL.Query().Get("before")); err == nil {
		before = c
	}
	list, next, err := s.members.Reports(r.Context(), acc, state, before, membership.DefaultPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &adminReportsPage{State: state, Reports: list}
	if next != uuid.Nil {
		p.Next = next.String()
	}
	s.render(w, r, http.StatusOK, "admin_reports", p)
}

// adminReportPage is one report: its target, reporter (for the
// instance's moderators), comment and notes, the moderators' notes, the
// actions taken, and the forms to act on it.
type adminReportPage struct {
	frame
	Report     membership.ReportDetail
	Notes      []reportedNoteView
	Moderates  bool // an instance moderator, not a board acting for its association
	Admin      bool
	Done       string
	Form       *form
	TargetAcct string
}

type reportedNoteView struct {
	membership.ReportedNote
	HTML template.HTML
}

// reportDone are the notices after a step on a report.
var reportDone = map[string]bool{"resolved": true, "reopened": true, "forwarded": true, "noted": true}

func (s *server) adminReportPage(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, r.URL.Path)
		return
	}
	done := r.URL.Query().Get("done")
	if !reportDone[done] {
		done = ""
	}
	s.showAdminReport(w, r, http.StatusOK, acc, &adminReportPage{Done: done, Form: newForm()})
}

func (s *server) showAdminReport(w http.ResponseWriter, r *http.Request, status int, acc membership.Account, p *adminReportPage) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, membership.ErrNoSuchReport)
		return
	}
	d, err := s.members.ReportDetail(r.Context(), acc, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Report = d
	p.Moderates = acc.Status == membership.AccountActive && (acc.Role == membership.RoleAdmin || acc.Role == membership.RoleModerator)
	p.Admin = acc.IsAdmin()
	p.TargetAcct = d.TargetUsername
	if !d.TargetLocal {
		p.TargetAcct += "@" + d.TargetHost
	}
	for _, n := range d.Notes {
		p.Notes = append(p.Notes, reportedNoteView{ReportedNote: n, HTML: template.HTML(n.Content)}) //nolint:gosec // sanitised by news
	}
	s.render(w, r, status, "admin_report", p)
}

// adminReport applies a moderator's step on a report: resolve (with an
// action and a comment), reopen, forward, or a note for the moderators.
func (s *server) adminReport(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/admin/reports")
		return
	}
	f, err := readForm(r, []string{"action", "resolution", "comment", "text"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		ctx := r.Context()
		id, perr := uuid.Parse(chi.URLParam(r, "id"))
		done := ""
		switch f.Value("action") {
		case "resolve":
			resolution := f.Value("resolution")
			if resolution == "" {
				resolution = membership.ActionNone
			}
			done = "resolved"
			if perr == nil {
				_, err = s.members.ResolveReport(ctx, acc, id, membership.Resolution{Action: resolution, Comment: f.Value("comment")})
				err = renamed(err, "action", "resolution")
			}
		case "reopen":
			done = "reopened"
			if perr == nil {
				_, err = s.members.ReopenReport(ctx, acc, id)
			}
		case "forward":
			done = "forwarded"
			if perr == nil {
				_, err = s.members.ForwardReport(ctx, acc, id)
			}
		case "note":
			done = "noted"
			if perr == nil {
				_, err = s.members.AddReportNote(ctx, acc, id, f.Value("text"))
			}
		default:
			err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
		}
		if perr != nil && err == nil {
			err = membership.ErrNoSuchReport
		}
		if err == nil && f.Value("action") == "resolve" && f.Value("resolution") == "" {
			redirect(w, r, "/admin?resolved=1") // the dashboard's quick resolve
			return
		}
		if err == nil {
			redirect(w, r, "/admin/reports/"+id.String()+"?done="+done)
			return
		}
		if k := core.KindOf(err); k == core.KindForbidden || k == core.KindNotFound || !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	s.showAdminReport(w, r, f.Status(), acc, &adminReportPage{Form: f})
}

// renamed moves core's field errors on field to the form's input name.
func renamed(err error, field, input string) error {
	e, ok := core.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = append([]core.FieldError(nil), e.Fields...)
	for i := range c.Fields {
		if c.Fields[i].Field == field {
			c.Fields[i].Field = input
		}
	}
	return &c
}

// adminAccountPage is an account or actor as the moderators see it, with
// the form of the actions on it.
type adminAccountPage struct {
	frame
	Account membership.ModeratedAccount
	Admin   bool
	Done    string
	Form    *form
	Path    string // the page's address, escaped
}

func (s *server) adminAccountPage(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, r.URL.Path)
		return
	}
	done := r.URL.Query().Get("done")
	if !oneOfActions(done) {
		done = ""
	}
	s.showAdminAccount(w, r, http.StatusOK, acc, &adminAccountPage{Done: done, Form: newForm()})
}

func oneOfActions(a string) bool {
	for _, x := range membership.AccountActions {
		if a == x {
			return true
		}
	}
	return false
}

func (s *server) showAdminAccount(w http.ResponseWriter, r *http.Request, status int, acc membership.Account, p *adminAccountPage) {
	m, err := s.members.AccountModeration(r.Context(), acc, chi.URLParam(r, "username"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Account, p.Admin = m, acc.IsAdmin()
	p.Path = "/admin/accounts/" + url.PathEscape(m.Acct)
	s.render(w, r, status, "admin_account", p)
}

// adminAccountAction applies a moderator's action to an account.
func (s *server) adminAccountAction(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/admin/reports")
		return
	}
	f, err := readForm(r, []string{"type", "text"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acct := chi.URLParam(r, "username")
	if !f.Invalid() {
		_, err = s.members.ModerateAccount(r.Context(), acc, acct, membership.ActionInput{Type: f.Value("type"), Text: f.Value("text")})
		if err == nil {
			to := "/admin/accounts/" + url.PathEscape(acct) + "?done=" + f.Value("type")
			if f.Value("type") == membership.ActionDelete {
				to = "/admin/reports"
			}
			redirect(w, r, to)
			return
		}
		if k := core.KindOf(err); k == core.KindForbidden || k == core.KindNotFound || !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	s.showAdminAccount(w, r, f.Status(), acc, &adminAccountPage{Form: f})
}

func init() {
	// The moderators' actions, as the report and account pages name them.
	labelSets["moderation_action"] = labelKeys("moderation_action", append([]string{membership.ActionNone,
		membership.ActionRemoveNotes, membership.ActionRemoveNote}, membership.AccountActions...)...)
	// The moderation forms' fields (core bounds them more precisely:
	// an action's text to MaxModerationText, a note to MaxReportNote).
	for name, max := range map[string]int{"resolution": 16, "type": 16, "comment": membership.MaxModerationText,
		"text": membership.MaxReportNote} {
		if fieldMax[name] < max {
			fieldMax[name] = max
		}
	}
}
