package pages

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// profileView is what a profile page shows of an actor besides its names:
// its avatar and its fields.
type profileView struct {
	Name      string // the display name, for the avatar's text
	AvatarURL string
	Fields    []shownField
	UploadTo  string // on settings pages: where the avatar form posts
}

// shownField is a profile field ready to show; HTML was made safe by core
// (escaped or sanitised).
type shownField struct {
	Name string
	HTML template.HTML
}

func profileOf(a membership.Actor, name string) profileView {
	v := profileView{Name: name, AvatarURL: a.IconURL}
	for _, f := range a.Fields {
		v.Fields = append(v.Fields, shownField{Name: f.Name, HTML: template.HTML(f.HTML)}) // #nosec: made safe by core
	}
	return v
}

// fieldInputs are the names of the form inputs of the profile fields:
// fields[0].name, fields[0].value… as core names them in its errors, so
// that an error shows next to its input.
var fieldInputs = func() []string {
	var names []string
	for i := range membership.MaxProfileFields {
		names = append(names, fmt.Sprintf("fields[%d].name", i), fmt.Sprintf("fields[%d].value", i))
	}
	return names
}()

func init() {
	fieldMax["delete_password"] = membership.MaxPasswordLength
	for i := range membership.MaxProfileFields {
		fieldMax[fmt.Sprintf("fields[%d].name", i)] = membership.MaxFieldName
		fieldMax[fmt.Sprintf("fields[%d].value", i)] = membership.MaxFieldValue
	}
}

// fieldRow is one line of the profile fields' inputs.
type fieldRow struct {
	Number      int
	Name, Value fieldState
	NameValue   string
	ValueValue  string
	Form        *form
}

// fieldRows lays the profile field inputs of f out in lines.
func fieldRows(f *form) []fieldRow {
	rows := make([]fieldRow, membership.MaxProfileFields)
	for i := range rows {
		name, value := fieldInputs[2*i], fieldInputs[2*i+1]
		rows[i] = fieldRow{Number: i + 1, Name: f.Field(name), Value: f.Field(value),
			NameValue: f.Value(name), ValueValue: f.Value(value), Form: f}
	}
	return rows
}

// fillFields puts the actor's fields in the form's inputs, unless the form
// carries them already (a refused submission shows what was typed).
func fillFields(f *form, a membership.Actor) {
	for i := range membership.MaxProfileFields {
		name, value := fieldInputs[2*i], fieldInputs[2*i+1]
		if f.submitted(name) || f.submitted(value) {
			continue
		}
		if i < len(a.Fields) {
			f.Values[name], f.Values[value] = a.Fields[i].Name, a.Fields[i].Value
		}
	}
}

// formFields returns the profile fields the form carried, or nil when it
// carried none (so that core leaves them as they are).
func formFields(f *form) *[]membership.ProfileField {
	var out []membership.ProfileField
	carried := false
	for i := range membership.MaxProfileFields {
		name, value := fieldInputs[2*i], fieldInputs[2*i+1]
		carried = carried || f.submitted(name) || f.submitted(value)
		out = append(out, membership.ProfileField{Name: f.Value(name), Value: f.Value(value)})
	}
	if !carried {
		return nil
	}
	return &out
}

var errNoImage = core.Invalid(core.FieldError{Field: "avatar", Code: "avatar-format", Detail: "choose a PNG or JPEG image"})

// readAvatar reads the image of an avatar upload form (multipart, the file
// in "avatar").
func readAvatar(r *http.Request) ([]byte, error) {
	if err := r.ParseMultipartForm(membership.MaxAvatarBytes + 64<<10); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, membership.ErrAvatarTooLarge
		}
		return nil, errBadForm
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	file, _, err := r.FormFile("avatar")
	if err != nil {
		return nil, errNoImage
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, membership.MaxAvatarBytes+1))
	if err != nil {
		return nil, errBadForm
	}
	if len(data) > membership.MaxAvatarBytes {
		return nil, membership.ErrAvatarTooLarge
	}
	return data, nil
}

// uploadMyAvatar sets the viewer's avatar from the settings page.
func (s *server) uploadMyAvatar(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/settings")
		return
	}
	data, err := readAvatar(r)
	if err == nil {
		_, err = s.members.SetAvatar(r.Context(), acc, acc.Username, data)
	}
	if err == nil {
		redirect(w, r, "/settings?done="+actionAvatar)
		return
	}
	f := newForm(accountFields...)
	if !f.take(err) {
		s.fail(w, r, err)
		return
	}
	s.showAccountSettings(w, r, f.Status(), acc, f, nil)
}

// uploadAssociationAvatar sets an association's avatar from its settings
// page; its board only.
func (s *server) uploadAssociationAvatar(w http.ResponseWriter, r *http.Request) {
	acc, a, ok := s.boardOnly(w, r)
	if !ok {
		return
	}
	data, err := readAvatar(r)
	if err == nil {
		_, err = s.members.SetAvatar(r.Context(), acc, a.Name, data)
	}
	if err == nil {
		redirect(w, r, "/@"+a.Name+"/settings?saved=1")
		return
	}
	f := settingsForm(a)
	if !f.take(err) {
		s.fail(w, r, err)
		return
	}
	s.renderAssociationSettings(w, r, f.Status(), a, f, false)
}
