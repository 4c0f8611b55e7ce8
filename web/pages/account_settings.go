package pages

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

type accountSettingsPage struct {
	frame
	Account   membership.Account
	Locales   []string
	Tokens    []membership.Token
	NewSecret string // a token just created: shown this once
	NewLabel  string
	Done      string // what the last change was, to confirm it
	Form      *form
	Profile   profileView
	FieldRows []fieldRow
	Warnings  []membership.ModerationAction // the moderators' warnings to this person
}

// Actions of the settings page's forms.
const (
	actionProfile     = "profile"
	actionPassword    = "password"
	actionCreateToken = "create-token"
	actionRevokeToken = "revoke-token"
	actionAvatar      = "avatar" // its own form: POST /settings/avatar
	actionDelete      = "delete-account"
)

var accountFields = append([]string{"action", "display_name", "email", "locale", "label", "token"}, fieldInputs...)

// confirmations are the "done" values a change redirects with.
var confirmations = map[string]bool{actionProfile: true, actionPassword: true, "revoked": true, actionAvatar: true}

func (s *server) accountSettings(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/settings")
		return
	}
	done := r.URL.Query().Get("done")
	if !confirmations[done] {
		done = ""
	}
	s.showAccountSettings(w, r, http.StatusOK, acc, newForm(accountFields...), func(p *accountSettingsPage) { p.Done = done })
}

func (s *server) showAccountSettings(w http.ResponseWriter, r *http.Request, status int, acc membership.Account, f *form, edit func(*accountSettingsPage)) {
	tokens, err := s.members.Tokens(r.Context(), acc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.submitted("display_name") {
		f.Values["display_name"] = acc.DisplayName
	}
	if !f.submitted("locale") {
		f.Values["locale"] = acc.Locale
	}
	if !f.submitted("email") {
		f.Values["email"] = acc.Email
	}
	actor, err := s.members.LocalActor(r.Context(), acc.Username)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fillFields(f, actor)
	p := &accountSettingsPage{Account: acc, Locales: membership.Locales, Tokens: tokens, Form: f,
		Profile: profileOf(actor, acc.DisplayName), FieldRows: fieldRows(f)}
	p.Profile.UploadTo = "/settings/avatar"
	if p.Warnings, err = s.members.Warnings(r.Context(), acc); err != nil {
		s.fail(w, r, err)
		return
	}
	if edit != nil {
		edit(p)
	}
	s.render(w, r, status, "account_settings", p)
}

// changeAccountSettings handles the page's forms: profile, password, and
// API tokens.
func (s *server) changeAccountSettings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, "/settings")
		return
	}
	f, err := readForm(r, accountFields, "current_password", "new_password", "delete_password")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Invalid() {
		s.showAccountSettings(w, r, f.Status(), acc, f, nil)
		return
	}
	switch f.Value("action") {
	case actionProfile:
		_, err = s.members.UpdateProfile(ctx, acc, membership.ProfileChange{DisplayName: f.ptr("display_name"), Email: f.ptr("email"),
			Locale: f.ptr("locale"), Fields: formFields(f)})
		if err == nil {
			redirect(w, r, "/settings?done="+actionProfile)
			return
		}
	case actionPassword:
		err = s.members.ChangePassword(ctx, acc, f.secret("current_password"), f.secret("new_password"))
		if err == nil {
			// Changing the password ends every session, this one too: open a
			// new one so that the person stays logged in here.
			if s.startSession(w, r, acc) {
				redirect(w, r, "/settings?done="+actionPassword)
			}
			return
		}
	case actionCreateToken:
		var secret string
		var tok membership.Token
		secret, tok, err = s.members.CreateToken(ctx, acc, f.Value("label"))
		if err == nil {
			delete(f.Values, "label")
			s.showAccountSettings(w, r, http.StatusOK, acc, f, func(p *accountSettingsPage) {
				p.NewSecret, p.NewLabel = secret, tok.Label
			})
			return
		}
	case actionRevokeToken:
		id, perr := uuid.Parse(f.Value("token"))
		if perr != nil {
			err = membership.ErrNoSuchToken
			break
		}
		if err = s.members.RevokeToken(ctx, acc, id); err == nil {
			redirect(w, r, "/settings?done=revoked")
			return
		}
	case actionDelete:
		err = s.members.DeleteOwnAccount(ctx, acc, f.secret("delete_password"))
		if err == nil {
			auth.ClearSessionCookie(w, s.secure)
			redirect(w, r, "/")
			return
		}
		if e, ok := core.As(err); ok && len(e.Fields) == 1 && e.Fields[0].Field == "password" {
			e.Fields[0].Field = "delete_password" // the field of this form
		}
	default:
		err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
	}
	if !f.take(err) {
		s.fail(w, r, err)
		return
	}
	s.showAccountSettings(w, r, f.Status(), acc, f, nil)
}
