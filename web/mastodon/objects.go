package mastodon

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// An association's projects, tasks, events and proposals appear to
// Mastodon apps as statuses of its group account: what a Mastodon server
// following the association shows of their documents (DESIGN §5), the
// name in bold, the summary line, the link, with a link card to the
// object's page, and a proposal's current vote as a poll. They are read
// where they are kept (news.AssociationObjects, HomeObjects,
// PublishedObject over store/object_statuses.go), not copied into notes:
// a copy would go stale at each change of state. Their ids are UUIDv7s
// like the notes', so a timeline merges both streams by id.

// Fallbacks gives the plain-text name and summary line the ActivityPub
// document of a local object carries for Mastodon; federation.Objects
// implements it, so that both sides show the same words, written once.
type Fallbacks interface {
	Fallback(ctx context.Context, viewer *membership.Account, kind string, id uuid.UUID) (name, summary string, err error)
}

// objectStatus is object id (a project, a task, an event, a proposal or a
// partner's copy of one) as a status, for GET /api/v1/statuses/:id; ok is
// false when id names no object viewer may read (a note, say, or one of a
// members-only association viewer is no member of), which answers 404.
func (h *handlers) objectStatus(ctx context.Context, viewer *membership.Account, id uuid.UUID) (st statusJSON, ok bool, err error) {
	if h.news == nil {
		return statusJSON{}, false, nil
	}
	e, err := h.news.PublishedObject(ctx, viewer, id)
	if errors.Is(err, news.ErrNoSuchObject) {
		return statusJSON{}, false, nil
	}
	if err != nil {
		return statusJSON{}, false, err
	}
	list, err := h.objectStatuses(ctx, viewer, []news.ObjectEntry{e})
	if err != nil {
		return statusJSON{}, false, err
	}
	return list[0], true, nil
}

// associationStatuses are the objects of the association whose actor (its
// Mastodon account id) is actorID, newest first within bounds, for GET
// /api/v1/accounts/:id/statuses; the notes of that account are the
// timelines' part, merged with these by id. A members-only association's
// objects are listed to its members only.
func (h *handlers) associationStatuses(ctx context.Context, viewer *membership.Account, actorID uuid.UUID, bounds news.Range) ([]statusJSON, error) {
	if h.news == nil {
		return []statusJSON{}, nil
	}
	entries, err := h.news.AssociationObjects(ctx, viewer, actorID, bounds)
	if errors.Is(err, news.ErrNoSuchActor) {
		return []statusJSON{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("statuses of association %s: %w", actorID, err)
	}
	return h.objectStatuses(ctx, viewer, entries)
}

// homeObjectStatuses are the objects of the associations viewer follows,
// newest first within bounds: the part of GET /api/v1/timelines/home that
// is not notes, merged with them by id.
func (h *handlers) homeObjectStatuses(ctx context.Context, viewer *membership.Account, bounds news.Range) ([]statusJSON, error) {
	if h.news == nil || viewer == nil {
		return []statusJSON{}, nil
	}
	entries, err := h.news.HomeObjects(ctx, viewer, bounds)
	if err != nil {
		return nil, fmt.Errorf("home objects: %w", err)
	}
	return h.objectStatuses(ctx, viewer, entries)
}

// objectContext is GET /api/v1/statuses/:id/context of an object: it
// answers nothing, so no ancestors, and its descendants are the notes
// replying to it that viewer may read (a proposal's debate), oldest first
// as Mastodon lists them, the first news.MaxReplies. ok is false when id
// names no object viewer may read.
func (h *handlers) objectContext(ctx context.Context, viewer *membership.Account, id uuid.UUID) (c contextJSON, ok bool, err error) {
	st, ok, err := h.objectStatus(ctx, viewer, id)
	if err != nil || !ok {
		return contextJSON{}, ok, err
	}
	page, err := h.news.Debate(ctx, viewer, st.URI, "")
	if err != nil {
		return contextJSON{}, false, fmt.Errorf("replies to %s: %w", st.URI, err)
	}
	c = contextJSON{Ancestors: []statusJSON{}, Descendants: make([]statusJSON, 0, len(page.Entries))}
	for _, e := range page.Entries {
		reply, err := h.statusOf(ctx, e)
		if err != nil {
			return contextJSON{}, false, err
		}
		c.Descendants = append(c.Descendants, reply)
	}
	return c, true, nil
}

// objectStatuses maps entries to statuses, reading each association's
// account and the instance's name once.
func (h *handlers) objectStatuses(ctx context.Context, viewer *membership.Account, entries []news.ObjectEntry) ([]statusJSON, error) {
	out := make([]statusJSON, 0, len(entries))
	if len(entries) == 0 {
		return out, nil
	}
	provider := h.cfg.Server.Host
	if h.instance != nil {
		set, err := h.instance.Get(ctx)
		if err != nil {
			return nil, fmt.Errorf("instance name: %w", err)
		}
		if set.Name != "" {
			provider = set.Name
		}
	}
	accounts := map[string]accountJSON{}
	for _, e := range entries {
		account, ok := accounts[e.ActorURI]
		if !ok {
			actor, err := h.members.ActorByURI(ctx, e.ActorURI)
			if err != nil {
				return nil, fmt.Errorf("association of %s %s: %w", e.Kind, e.ID, err)
			}
			if account, err = h.accountOf(ctx, actor); err != nil {
				return nil, err
			}
			accounts[e.ActorURI] = account
		}
		st, err := h.objectStatusOf(ctx, viewer, e, account, provider)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// objectStatusOf is one object as a status of account. Its content is
// what Mastodon makes of a document that is no Note: the name, the
// summary, the link.
func (h *handlers) objectStatusOf(ctx context.Context, viewer *membership.Account, e news.ObjectEntry, account accountJSON, provider string) (statusJSON, error) {
	name, summary, uri, page := e.Name, e.Summary, e.URI, e.URL
	providerURL := h.cfg.BaseURL()
	if e.Remote {
		if u, err := url.Parse(uri); err == nil && u.Host != "" {
			provider, providerURL = u.Host, u.Scheme+"://"+u.Host
		}
	} else {
		if h.fallbacks == nil {
			return statusJSON{}, fmt.Errorf("words of %s %s: the federation's documents are not wired", e.Kind, e.ID)
		}
		var err error
		if name, summary, err = h.fallbacks.Fallback(ctx, viewer, e.Kind, e.ID); err != nil {
			return statusJSON{}, err
		}
		uri = h.cfg.BaseURL() + "/" + e.Kind + "/" + e.ID.String()
	}
	if page == "" {
		page = uri // Holon serves an object's page at its id
	}
	visibility := "public"
	if e.Visibility == news.Followers {
		visibility = "private" // Mastodon's name for followers-only
	}
	content := objectContent(name, summary, page)
	if e.Kind == news.ObjectTask && !e.Remote && h.projects != nil {
		// What the task asks for, which Holon's Task carries apart from
		// its summary: a Mastodon app has nowhere else to show it.
		t, err := h.projects.Task(ctx, e.ID)
		if err != nil {
			return statusJSON{}, fmt.Errorf("done criteria of task %s: %w", e.ID, err)
		}
		content = objectContent(name, summary, "") + doneCriteria(t.DoneCriteria) + objectLink(page)
	}
	st := statusJSON{ID: e.ID.String(), URI: uri, CreatedAt: timestamp(e.Published), Account: account,
		Content: content, Visibility: visibility, URL: &page,
		MediaAttachments: []attachmentJSON{}, Mentions: []mentionJSON{}, Tags: []tagRefJSON{}, Emojis: []emojiJSON{},
		Filtered: []struct{}{},
		Card: &cardJSON{URL: page, Title: name, Description: summary, Type: "link",
			ProviderName: provider, ProviderURL: providerURL},
	}
	if e.Kind == news.ObjectProposal && !e.Remote {
		poll, err := h.proposalPoll(ctx, viewer, e.ID)
		if err != nil {
			return statusJSON{}, fmt.Errorf("poll of proposal %s: %w", e.ID, err)
		}
		st.Poll = poll
	}
	return st, nil
}

// objectContent is the HTML of an object's status: its name in bold, its
// summary line, its link (none when page is ""), each a paragraph, as
// plain text escaped.
func objectContent(name, summary, page string) string {
	s := "<p><strong>" + html.EscapeString(name) + "</strong></p>"
	if summary != "" {
		s += "<p>" + html.EscapeString(summary) + "</p>"
	}
	if page != "" {
		s += objectLink(page)
	}
	return s
}

func objectLink(page string) string {
	p := html.EscapeString(page)
	return `<p><a href="` + p + `" rel="nofollow noopener noreferrer" target="_blank">` + p + "</a></p>"
}

// doneCriteria is a task's done criteria as a list (Mastodon keeps ul and
// li since 4.2).
func doneCriteria(criteria []string) string {
	if len(criteria) == 0 {
		return ""
	}
	s := "<p>Done when:</p><ul>"
	for _, c := range criteria {
		s += "<li>" + html.EscapeString(c) + "</li>"
	}
	return s + "</ul>"
}
