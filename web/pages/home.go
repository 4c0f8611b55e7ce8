package pages

import (
	"net/http"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

type homePage struct {
	frame
	Description  string
	Associations []membership.Association
	Next         string // cursor of the next page of associations
	MayCreate    bool
	Compose      *composeView  // a signed-in person's: post a note
	Timeline     *timelineView // a signed-in person's home timeline
	Done         string
}

// home shows the instance and its associations, a page at a time.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	after := r.URL.Query().Get("after")
	if len(after) > membership.MaxNameLength {
		after = ""
	}
	list, next, err := s.members.Associations(r.Context(), after, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &homePage{Description: s.cfg.Instance.Description, Associations: list, Next: next}
	if s.instance != nil {
		set, err := s.instance.Get(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Description = set.ShortDescription
	}
	if viewer := auth.Account(r.Context()); viewer != nil {
		if p.MayCreate, err = s.members.MayCreate(r.Context(), *viewer); err != nil {
			s.fail(w, r, err)
			return
		}
		if s.news != nil {
			if p.Compose, p.Timeline, err = s.homeNews(r, *viewer); err != nil {
				s.fail(w, r, err)
				return
			}
			p.Done = doneParam(r, "posted")
		}
	}
	s.render(w, r, http.StatusOK, "home", p)
}
