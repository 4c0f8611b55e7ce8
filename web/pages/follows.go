package pages

import (
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// followFields are the fields of the follows page's forms and of the
// follow buttons on profiles.
var followFields = []string{"action", "target", "follow", "back"}

// Actions of the follow forms.
const (
	actionFollow   = "follow"
	actionUnfollow = "unfollow"
)

// followView is one of the viewer's follows, with the page of the actor
// followed.
type followView struct {
	membership.FollowListItem
	Path string
	Acct string
}

type followsPage struct {
	frame
	Follows []followView
	Form    *form
	Done    string
}

func (s *server) followsPage(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/follows")
		return
	}
	s.showFollows(w, r, http.StatusOK, acc, newForm(followFields...))
}

// showFollows lists whom acc follows, with a form to follow someone else.
func (s *server) showFollows(w http.ResponseWriter, r *http.Request, status int, acc membership.Account, f *form) {
	list, err := s.members.Follows(r.Context(), acc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &followsPage{Form: f, Done: doneParam(r, "followed", "unfollowed")}
	for _, item := range list {
		v := followView{FollowListItem: item, Path: "/@" + item.FollowedUsername, Acct: "@" + item.FollowedUsername}
		if !strings.EqualFold(item.FollowedHost, s.cfg.Server.Host) {
			v.Path += "@" + item.FollowedHost
			v.Acct += "@" + item.FollowedHost
		}
		p.Follows = append(p.Follows, v)
	}
	s.render(w, r, status, "follows", p)
}

// changeFollows follows an actor given as name@host or by its address
// (found here, or fetched from its server), or ends a follow; then goes
// back to the page the form was on.
func (s *server) changeFollows(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, "/follows")
		return
	}
	f, err := readForm(r, followFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Invalid() {
		s.showFollows(w, r, f.Status(), acc, f)
		return
	}
	back, done := "/follows", ""
	if b := f.Value("back"); b != "" {
		back = safeNext(b)
	}
	switch f.Value("action") {
	case actionFollow:
		target := strings.TrimSpace(f.Value("target"))
		if target == "" {
			err = core.Invalid(core.FieldError{Field: "target", Code: "required", Detail: "give an account as name@host, or the address of an actor"})
			break
		}
		var a membership.Actor
		if a, err = s.remote.Lookup(ctx, target); err != nil {
			err = onField(err, "target")
			break
		}
		_, err = s.members.Follow(ctx, acc, a)
		err, done = onField(err, "target"), "followed"
	case actionUnfollow:
		id, perr := uuid.Parse(f.Value("follow"))
		if perr != nil {
			err = membership.ErrNoSuchFollow
			break
		}
		err, done = s.members.Unfollow(ctx, acc, id), "unfollowed"
	default:
		err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
	}
	if err == nil {
		redirect(w, r, withDone(back, done))
		return
	}
	if !f.take(err) {
		s.fail(w, r, err)
		return
	}
	s.showFollows(w, r, f.Status(), acc, f)
}

// onField makes a refusal that names no field one about field, so that
// the page shows it next to the input it is about.
func onField(err error, field string) error {
	e, ok := core.As(err)
	if !ok || len(e.Fields) > 0 {
		return err
	}
	return &core.Error{Kind: e.Kind, Code: e.Code, Detail: e.Detail, Err: err,
		Fields: []core.FieldError{{Field: field, Code: e.Code, Detail: e.Detail}}}
}
