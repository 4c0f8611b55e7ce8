package pages

import (
	"net/http"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// homeNews is what the home page shows a signed-in person: the form to
// post, and their home timeline.
func (s *server) homeNews(r *http.Request, acc membership.Account) (*composeView, *timelineView, error) {
	page, err := s.news.Home(r.Context(), acc, cursorParam(r), 0)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.composeView(r, acc, newForm(composeFields...), "/")
	if err != nil {
		return nil, nil, err
	}
	return c, s.timelineView(r, page), nil
}

// associationNews is the news on an association's page: its notes and its
// boosts of its members' posts, and for its board the form to post as it.
func (s *server) associationNews(r *http.Request, a membership.Association, board bool) (*composeView, *timelineView, error) {
	ctx := r.Context()
	actor, err := s.members.LocalActor(ctx, a.Name)
	if err != nil {
		return nil, nil, err
	}
	viewer := auth.Account(ctx)
	page, err := s.news.ActorNews(ctx, viewer, actor.ID, cursorParam(r), 0)
	if err != nil {
		return nil, nil, err
	}
	var c *composeView
	if board && viewer != nil {
		f := newForm(composeFields...)
		f.Values["author"] = a.Name
		if c, err = s.composeView(r, *viewer, f, "/@"+a.Name); err != nil {
			return nil, nil, err
		}
		c.Authors, c.Fixed = nil, a.Name
	}
	return c, s.timelineView(r, page), nil
}
