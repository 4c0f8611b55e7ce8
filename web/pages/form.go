package pages

import (
	"errors"
	"html"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/problem"
)

// form is a form as the page shows it: the values to put back in each
// field, the error next to each field, and the problems that belong to no
// shown field (wrong password, rate limit…), shown above the form.
type form struct {
	Values   map[string]string
	Errors   map[string]core.FieldError
	Problems []core.FieldError
	fields   []string
	secrets  map[string]string // passwords: read, never shown again
	status   int
}

// fieldState is one field for the "field-error" partial.
type fieldState struct {
	Name string
	Err  *core.FieldError
}

func newForm(fields ...string) *form {
	return &form{Values: map[string]string{}, Errors: map[string]core.FieldError{},
		fields: fields, secrets: map[string]string{}}
}

// Value returns the value to show in field name.
func (f *form) Value(name string) string { return f.Values[name] }

// Checked reports whether the checkbox name is ticked.
func (f *form) Checked(name string) bool { return f.Values[name] == "on" }

// Field returns field name with its error, if any.
func (f *form) Field(name string) fieldState {
	if e, ok := f.Errors[name]; ok {
		return fieldState{Name: name, Err: &e}
	}
	return fieldState{Name: name}
}

// Invalid reports whether anything is wrong with the form.
func (f *form) Invalid() bool { return len(f.Errors) > 0 || len(f.Problems) > 0 }

// Status is the HTTP status of the page showing f.
func (f *form) Status() int {
	switch {
	case f.status != 0:
		return f.status
	case f.Invalid():
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

func (f *form) secret(name string) string { return f.secrets[name] }

func (f *form) has(field string) bool { return slices.Contains(f.fields, field) }

// fail records a problem with a field, or with the whole form when the
// field is not one the form shows.
func (f *form) fail(fe core.FieldError) {
	if _, taken := f.Errors[fe.Field]; f.has(fe.Field) && !taken {
		f.Errors[fe.Field] = fe
		return
	}
	f.Problems = append(f.Problems, fe)
}

// conflictFields says which field a conflict is about, so that "this name
// is taken" shows next to the name.
var conflictFields = map[string][]string{
	membership.ErrNameTaken.Code:  {"username", "name"},
	membership.ErrEmailTaken.Code: {"email"},
}

// take records what err says is wrong with the form and reports whether err
// was one the form can show (a core.Error). Unexpected errors are left to
// the caller, who logs them and shows the error page.
func (f *form) take(err error) bool {
	e, ok := core.As(err)
	if !ok {
		return false
	}
	switch status := problem.Status(e.Kind); status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusConflict:
		f.status = http.StatusUnprocessableEntity
	default:
		f.status = status
	}
	if len(e.Fields) > 0 {
		for _, fe := range e.Fields {
			f.fail(fe)
		}
		return true
	}
	fe := core.FieldError{Code: e.Code, Detail: e.Detail}
	for _, name := range conflictFields[e.Code] {
		if f.has(name) {
			fe.Field = name
			break
		}
	}
	f.fail(fe)
	return true
}

// takeAs is take for a form whose inputs are named apart from core's
// fields ("project_name" for core's "name", whose length bound differs
// from an account's): rename maps core's field to the input's.
func (f *form) takeAs(err error, rename map[string]string) bool {
	e, ok := core.As(err)
	if !ok {
		return false
	}
	c := *e
	c.Fields = slices.Clone(e.Fields)
	for i, fe := range c.Fields {
		if to, ok := rename[fe.Field]; ok {
			c.Fields[i].Field = to
		}
	}
	return f.take(&c)
}

// errBadForm is a body that is not a form.
var errBadForm = core.New(core.KindInvalid, codeBadForm, "the form could not be read")

// readForm reads the posted fields (never the query string). A field longer
// than fieldMax or not UTF-8 is refused here, before core is called; such a
// form is Invalid and the handler changes nothing. Secret fields (passwords)
// are kept apart and never shown again.
func readForm(r *http.Request, fields []string, secrets ...string) (*form, error) {
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, core.New(core.KindTooLarge, codeTooLarge, "the form is too large")
		}
		return nil, errBadForm
	}
	f := newForm(append(slices.Clone(fields), secrets...)...)
	for _, name := range f.fields {
		v := r.PostForm.Get(name)
		if _, ok := r.PostForm[name]; !ok {
			continue
		}
		max := fieldMax[name]
		secret := slices.Contains(secrets, name)
		switch {
		case !utf8.ValidString(v):
			f.fail(core.FieldError{Field: name, Code: codeBadEncoding, Detail: "must be valid UTF-8 text"})
			continue
		case secret && len(v) > max:
			f.fail(core.FieldError{Field: name, Code: "password-too-long", Detail: "too long"})
			continue
		case !secret && utf8.RuneCountInString(strings.TrimSpace(v)) > max:
			f.fail(core.FieldError{Field: name, Code: codeTooLong, Detail: "too long"})
			// keep a bounded prefix, so the page shows what was typed without
			// echoing megabytes
			v = truncate(v, max)
		}
		if secret {
			f.secrets[name] = v
		} else {
			f.Values[name] = v
		}
	}
	return f, nil
}

// hoist moves the errors of f's fields above the form, for a form the page
// does not show (a refusal must be read somewhere).
func (f *form) hoist() {
	for name, fe := range f.Errors {
		delete(f.Errors, name)
		f.Problems = append(f.Problems, fe)
	}
}

// failed returns the first of forms that holds errors, or nil.
func failed(forms ...*form) *form {
	for _, f := range forms {
		if f.Invalid() {
			return f
		}
	}
	return nil
}

// refusedWith reports whether f holds a problem or a field error of code.
func (f *form) refusedWith(code string) bool {
	for _, fe := range f.Problems {
		if fe.Code == code {
			return true
		}
	}
	for _, fe := range f.Errors {
		if fe.Code == code {
			return true
		}
	}
	return false
}

// submitted reports whether the form carried field name.
func (f *form) submitted(name string) bool {
	_, ok := f.Values[name]
	return ok
}

// ptr returns a pointer to field name's value, or nil when the form did not
// carry it (so core leaves that value as it is).
func (f *form) ptr(name string) *string {
	if !f.submitted(name) {
		return nil
	}
	v := f.Values[name]
	return &v
}

func truncate(s string, max int) string {
	n := 0
	for i := range s {
		if n == max {
			return s[:i]
		}
		n++
	}
	return s
}

// describedBy returns the attributes that tie an input to its hints and to
// its error message, for screen readers.
func describedBy(f *form, name string, hints ...string) template.HTMLAttr {
	ids := slices.Clone(hints)
	var b strings.Builder
	if _, bad := f.Errors[name]; bad {
		ids = append(ids, name+"-error")
		b.WriteString(`aria-invalid="true" `)
	}
	if len(ids) == 0 {
		return ""
	}
	b.WriteString(`aria-describedby="`)
	b.WriteString(html.EscapeString(strings.Join(ids, " ")))
	b.WriteString(`"`)
	return template.HTMLAttr(b.String())
}
