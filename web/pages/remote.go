package pages

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/auth"
)

type remotePage struct {
	frame
	Profile  news.Profile
	Summary  template.HTML // sanitised by news
	Acct     string
	Path     string
	Follow   *membership.FollowListItem // the viewer's follow, if any
	Follows  bool                       // the viewer may follow from here
	Timeline *timelineView
	Done     string
}

// showRemote shows what this instance knows of the remote actor
// username@host: its name and summary, its notes and boosts stored here,
// and a button to follow it or stop.
func (s *server) showRemote(w http.ResponseWriter, r *http.Request, username, host string) {
	ctx := r.Context()
	if strings.EqualFold(host, s.cfg.Server.Host) {
		redirect(w, r, "/@"+username)
		return
	}
	if s.news == nil {
		s.notFound(w, r)
		return
	}
	prof, err := s.news.RemoteProfile(ctx, username, host)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	viewer := auth.Account(ctx)
	page, err := s.news.ActorNews(ctx, viewer, prof.Author.ID, cursorParam(r), 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &remotePage{Profile: prof, Summary: template.HTML(prof.Summary), //nolint:gosec // sanitised by news
		Acct: "@" + prof.Author.Acct(), Path: "/@" + prof.Author.Acct(), Timeline: s.timelineView(r, page),
		Done: doneParam(r, "followed", "unfollowed")}
	if viewer != nil && s.remote != nil {
		p.Follows = true
		f, err := s.members.FollowOf(ctx, *viewer, prof.Author.ID)
		switch {
		case err == nil:
			p.Follow = &f
		case !errors.Is(err, membership.ErrNoSuchFollow):
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "remote", p)
}
