package pages

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

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
	Apps      []appView // the OAuth applications holding a live token
	NewSecret string    // a token just created: shown this once
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
	actionRevokeApp   = "revoke-app"
	actionAvatar      = "avatar" // its own form: POST /settings/avatar
	actionDelete      = "delete-account"
)

var accountFields = append([]string{"action", "display_name", "email", "locale", "label", "token", "app"}, fieldInputs...)

// confirmations are the "done" values a change redirects with.
var confirmations = map[string]bool{actionProfile: true, actionPassword: true, "revoked": true, actionAvatar: true, "app-revoked": true}

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
	apps, err := s.members.AuthorizedApps(r.Context(), acc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &accountSettingsPage{Account: acc, Locales: membership.Locales, Tokens: tokens, Apps: appViews(apps), Form: f,
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
	case actionRevokeApp:
		// Every token of the app for this account, at once; another
		// person's app, or an unknown id, is not found (404).
		id, perr := uuid.Parse(f.Value("app"))
		if perr != nil {
			err = membership.ErrNoSuchApp
			break
		}
		if err = s.members.RevokeApp(ctx, acc, id); err == nil {
			redirect(w, r, "/settings?done=app-revoked")
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

// appView is an authorised application as the settings page shows it.
type appView struct {
	ID                uuid.UUID
	Name              string
	Website           string // http or https only, else empty: it becomes a link
	Scopes            []grantView
	FirstAuthorizedAt time.Time
	LastUsedAt        *time.Time
}

// grantView is a granted OAuth scope: Top alone ("read"), or Top with a Sub
// ("read" "statuses"), which the page words.
type grantView struct{ Top, Sub string }

// Mastodon's top-level scopes (web/oauth/scopes.go), worded on the page,
// and the revocation form's field.
func init() {
	labelSets["oauth_scope"] = labelKeys("oauth_scope", "read", "write", "follow", "push", "profile")
	fieldMax["app"] = 64 // an application's id
}

func appViews(apps []membership.AuthorizedApp) []appView {
	out := make([]appView, 0, len(apps))
	for _, a := range apps {
		v := appView{ID: a.App.ID, Name: a.App.Name, FirstAuthorizedAt: a.FirstAuthorizedAt, LastUsedAt: a.LastUsedAt}
		if u, err := url.Parse(a.App.Website); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			v.Website = a.App.Website
		}
		for _, sc := range a.Scopes {
			top, sub, _ := strings.Cut(sc, ":")
			// "read:statuses" says nothing more when "read" is granted too.
			if sub != "" && slices.Contains(a.Scopes, top) {
				continue
			}
			v.Scopes = append(v.Scopes, grantView{Top: top, Sub: sub})
		}
		out = append(out, v)
	}
	return out
}
