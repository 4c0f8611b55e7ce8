package pages

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/web/auth"
)

// The federation page (/admin/federation): the mode and its allowlist,
// the blocks, and Mastodon's CSV of blocks. Every change goes through
// domains.Service, which checks the admin and records the audit entry.

type federationPage struct {
	frame
	Mode     string
	Locked   bool
	Blocks   []domains.Block
	Allows   []domains.Allow
	Done     string
	Imported *domains.Imported
	// ImportProblems are the bad rows of a refused import, by line.
	ImportProblems []importProblem
	Form           *form
	// Confirm, when a change would cut off remote members, lists them
	// with the form that makes the change anyway.
	Confirm *confirmation
}

// confirmation is a change refused for the members it would cut off: the
// form to post again, with confirm.
type confirmation struct {
	Action   string
	Fields   []hiddenField
	Affected []domains.Affected
}

type hiddenField struct{ Name, Value string }

// importProblem is a bad row of an imported list.
type importProblem struct {
	Line    string // "3"
	Problem core.FieldError
}

// federationDone are the changes the page confirms after a redirect.
var federationDone = map[string]bool{"mode": true, "block": true, "update": true, "unblock": true, "allow": true, "disallow": true}

// federationAdmin returns the viewer's authority over the policy.
func (s *server) federationAdmin(w http.ResponseWriter, r *http.Request) (domains.Admin, bool) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/admin/federation")
		return domains.Admin{}, false
	}
	by, err := domains.AdminOf(acc)
	if err != nil {
		s.fail(w, r, err)
		return domains.Admin{}, false
	}
	return by, true
}

func (s *server) adminFederation(w http.ResponseWriter, r *http.Request) {
	by, ok := s.federationAdmin(w, r)
	if !ok {
		return
	}
	p := &federationPage{Form: newForm()}
	if d := r.URL.Query().Get("done"); federationDone[d] {
		p.Done = d
	}
	s.showFederation(w, r, http.StatusOK, by, p)
}

func (s *server) showFederation(w http.ResponseWriter, r *http.Request, status int, by domains.Admin, p *federationPage) {
	var err error
	if p.Mode, p.Locked, err = s.domains.Mode(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Blocks, err = s.domains.Blocks(r.Context(), by); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Allows, err = s.domains.Allows(r.Context(), by); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "admin_federation", p)
}

// federationFields are the fields of the page's forms.
var federationFields = []string{"action", "mode", "domain", "severity", "public_comment", "private_comment", "comment", "confirm"}

// changeFederation applies one of the page's forms: what says which.
func (s *server) changeFederation(what string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		by, ok := s.federationAdmin(w, r)
		if !ok {
			return
		}
		f, err := readForm(r, federationFields)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if f.Invalid() {
			f.hoist()
			s.showFederation(w, r, f.Status(), by, &federationPage{Form: f})
			return
		}
		ctx := r.Context()
		confirm := f.Value("confirm") == "on" || f.Value("confirm") == "true"
		domain := chi.URLParam(r, "domain")
		done := what
		switch what {
		case "mode":
			err = s.domains.SetMode(ctx, by, f.Value("mode"), confirm)
		case "block":
			_, _, err = s.domains.Block(ctx, by, domains.NewBlock{Domain: f.Value("domain"), Severity: f.Value("severity"),
				PublicComment: f.Value("public_comment"), PrivateComment: f.Value("private_comment"), Confirm: confirm})
		case "allow":
			_, err = s.domains.Allow(ctx, by, domains.NewAllow{Domain: f.Value("domain"), Comment: f.Value("comment")})
		case "block-action":
			switch f.Value("action") {
			case "update":
				severity := f.Value("severity")
				_, err = s.domains.UpdateBlock(ctx, by, domain, domains.BlockChange{Severity: &severity, Confirm: confirm})
				done = "update"
			case "unblock":
				err = s.domains.Unblock(ctx, by, domain)
				done = "unblock"
			default:
				err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
			}
		case "allow-action":
			if f.Value("action") != "disallow" {
				err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
				break
			}
			err = s.domains.Disallow(ctx, by, domain, confirm)
			done = "disallow"
		}
		if err == nil {
			redirect(w, r, "/admin/federation?done="+done)
			return
		}
		s.federationRefused(w, r, by, f, r.URL.Path, err)
	}
}

// federationRefused shows the page again with why a change was refused:
// the members it would cut off, with the form to confirm, or the problems.
func (s *server) federationRefused(w http.ResponseWriter, r *http.Request, by domains.Admin, f *form, action string, err error) {
	p := &federationPage{Form: f}
	if affected, ok := domains.AffectedOf(err); ok {
		c := &confirmation{Action: action, Affected: affected}
		for _, name := range federationFields {
			if v, sent := f.Values[name]; sent && name != "confirm" {
				c.Fields = append(c.Fields, hiddenField{name, v})
			}
		}
		p.Confirm = c
		s.showFederation(w, r, http.StatusConflict, by, p)
		return
	}
	if k := core.KindOf(err); k == core.KindForbidden || !f.take(err) {
		s.fail(w, r, err)
		return
	}
	f.hoist()
	s.showFederation(w, r, f.Status(), by, p)
}

// importBlocks imports the uploaded list (multipart, the file in "list").
// A refusal for the members it cuts off asks to upload again with the box
// ticked: the file is not kept.
func (s *server) importBlocks(w http.ResponseWriter, r *http.Request) {
	by, ok := s.federationAdmin(w, r)
	if !ok {
		return
	}
	f := newForm("list")
	out, err := s.readImport(r, by)
	if err == nil {
		s.showFederation(w, r, http.StatusOK, by, &federationPage{Form: f, Imported: &out})
		return
	}
	if affected, ok := domains.AffectedOf(err); ok {
		s.showFederation(w, r, http.StatusConflict, by, &federationPage{Form: f,
			Confirm: &confirmation{Affected: affected}})
		return
	}
	p := &federationPage{Form: f}
	if e, ok := core.As(err); ok && e.Kind == core.KindInvalid && len(e.Fields) > 0 && strings.HasPrefix(e.Fields[0].Field, "line ") {
		for _, fe := range e.Fields {
			p.ImportProblems = append(p.ImportProblems, importProblem{Line: strings.TrimPrefix(fe.Field, "line "), Problem: fe})
		}
		s.showFederation(w, r, http.StatusUnprocessableEntity, by, p)
		return
	}
	if core.KindOf(err) == core.KindForbidden || !f.take(err) {
		s.fail(w, r, err)
		return
	}
	f.hoist()
	s.showFederation(w, r, f.Status(), by, p)
}

var errNoList = core.Invalid(core.FieldError{Field: "list", Code: "required", Detail: "choose a CSV file to import"})

func (s *server) readImport(r *http.Request, by domains.Admin) (domains.Imported, error) {
	if err := r.ParseMultipartForm(domains.MaxImportBytes + 64<<10); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return domains.Imported{}, domains.ErrImportTooLarge
		}
		return domains.Imported{}, errBadForm
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	file, _, err := r.FormFile("list")
	if err != nil {
		return domains.Imported{}, errNoList
	}
	defer file.Close()
	confirm := r.PostFormValue("confirm") == "on"
	return s.domains.Import(r.Context(), by, io.Reader(file), confirm)
}

// exportLink is where the page links for the CSV export: the API answers
// it to the admin's session.
const exportLink = "/api/holon/v1/admin/domain-blocks.csv"

// ExportURL is the CSV export's address, for the template.
func (p *federationPage) ExportURL() string { return exportLink }
