package mastodon

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/auth"
)

// statusOf maps a timeline entry to Mastodon's Status entity. An entry that
// came by a boost is the booster's status wrapping the note (reblog), with
// the boost's own id, as Mastodon shows it.
func (h *handlers) statusOf(ctx context.Context, e news.Entry) (statusJSON, error) {
	out, err := h.statusesOf(ctx, []news.Entry{e})
	if err != nil {
		return statusJSON{}, err
	}
	return out[0], nil
}

// statusesOf maps a page of entries to statuses in a bounded number of
// reads, whatever the page's length: the entries carry their counts and
// the viewer's reactions and bookmarks (one query made them), and the
// actors they name (authors, boosters, mentioned actors) are read at once
// here. A home timeline page costs the same few queries for 20 statuses
// as for 40.
func (h *handlers) statusesOf(ctx context.Context, es []news.Entry) ([]statusJSON, error) {
	var uris []string
	seen := map[string]bool{}
	want := func(u string) {
		if u != "" && !seen[u] {
			seen[u] = true
			uris = append(uris, u)
		}
	}
	for _, e := range es {
		want(e.Note.Author.URI)
		if e.BoostedBy != nil {
			want(e.BoostedBy.URI)
		}
		for _, m := range e.Note.Mentions {
			want(m.Href)
		}
	}
	actors, err := h.members.ActorsByURIs(ctx, uris)
	if err != nil {
		return nil, err
	}
	// The authors and boosters are shown as accounts: mapped at once, so
	// that their counts cost the queries of one account.
	var shown []membership.Actor
	listed := map[string]bool{}
	for _, e := range es {
		for _, u := range []string{e.Note.Author.URI, boosterURI(e)} {
			if a, ok := actors[u]; ok && !listed[u] {
				listed[u] = true
				shown = append(shown, a)
			}
		}
	}
	accounts, err := h.accountsByURI(ctx, shown)
	if err != nil {
		return nil, err
	}
	account := func(uri string) (accountJSON, error) {
		if acc, ok := accounts[uri]; ok {
			return acc, nil
		}
		return accountJSON{}, fmt.Errorf("actor %s: %w", uri, membership.ErrNoSuchActor)
	}
	// The viewer's own votes show in polls.
	var viewer *membership.Account
	if id, ok := auth.From(ctx); ok {
		viewer = &id.Account
	}
	out := make([]statusJSON, 0, len(es))
	for _, e := range es {
		st, err := h.statusFrom(ctx, viewer, e, actors, account)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// boosterURI is who boosted e, "" when it came by no boost.
func boosterURI(e news.Entry) string {
	if e.BoostedBy == nil {
		return ""
	}
	return e.BoostedBy.URI
}

// visibilityOf is a note's visibility as Mastodon names it: Holon's
// followers-only is Mastodon's private.
func visibilityOf(v string) string {
	if v == news.Followers {
		return "private"
	}
	return v
}

// statusFrom builds the status of e from the actors of its page.
func (h *handlers) statusFrom(ctx context.Context, viewer *membership.Account, e news.Entry, actors map[string]membership.Actor, account func(string) (accountJSON, error)) (statusJSON, error) {
	n := e.Note
	author, err := account(n.Author.URI)
	if err != nil {
		return statusJSON{}, fmt.Errorf("author of note %s: %w", n.ID, err)
	}
	st := statusJSON{ID: n.ID.String(), URI: n.URI, CreatedAt: timestamp(n.Published), Account: author,
		Content: n.Content, Visibility: visibilityOf(n.Visibility), Sensitive: n.Sensitive || n.Summary != "", SpoilerText: n.Summary,
		MediaAttachments: []attachmentJSON{}, Mentions: []mentionJSON{}, Tags: []tagRefJSON{}, Emojis: []emojiJSON{},
		ReblogsCount: e.Boosts, FavouritesCount: e.Likes, RepliesCount: e.Replies,
		Favourited: e.Liked, Reblogged: e.Boosted, Bookmarked: e.Bookmarked, Filtered: []struct{}{}}
	st.MediaAttachments = h.attachmentsOf(n)
	if n.URL != "" {
		st.URL = &n.URL
	} else {
		st.URL = &n.URI
	}
	if n.InReplyToID != nil {
		id := n.InReplyToID.String()
		st.InReplyToID = &id
	}
	if e.ParentAuthor != nil {
		id := e.ParentAuthor.String()
		st.InReplyToAccountID = &id
	}
	if n.Updated != nil {
		at := timestamp(*n.Updated)
		st.EditedAt = &at
	}
	for _, m := range n.Mentions {
		a, ok := actors[m.Href]
		if !ok {
			continue // a mention of an actor not kept here shows as text only
		}
		acct, profile := a.Username+"@"+a.Host, a.URL
		if a.Local {
			acct, profile = a.Username, h.cfg.BaseURL()+"/@"+a.Username
		}
		if profile == "" {
			profile = a.URI
		}
		st.Mentions = append(st.Mentions, mentionJSON{ID: a.ID.String(), Username: a.Username, URL: profile, Acct: acct})
	}
	if st.Poll, err = h.notePoll(ctx, viewer, n); err != nil {
		return statusJSON{}, fmt.Errorf("poll of note %s: %w", n.ID, err)
	}
	for _, t := range n.Tags {
		st.Tags = append(st.Tags, tagRefJSON{Name: t, URL: h.cfg.BaseURL() + "/tags/" + url.PathEscape(t)})
	}
	if e.BoostedBy == nil {
		return st, nil
	}
	booster, err := account(e.BoostedBy.URI)
	if err != nil {
		return statusJSON{}, fmt.Errorf("booster of %s: %w", e.Key, err)
	}
	key := e.EntryID() // the boost's own id, a UUIDv7: its time is the boost's
	at := n.Published
	if sec, nsec := key.Time().UnixTime(); sec > 0 {
		at = time.Unix(sec, nsec)
	}
	wrap := statusJSON{ID: key.String(), URI: st.URI, CreatedAt: timestamp(at), Account: booster, Visibility: st.Visibility,
		URL: st.URL, MediaAttachments: []attachmentJSON{}, Mentions: []mentionJSON{}, Tags: []tagRefJSON{}, Emojis: []emojiJSON{},
		Filtered: []struct{}{}, Reblog: &st, ReblogsCount: st.ReblogsCount, FavouritesCount: st.FavouritesCount,
		RepliesCount: st.RepliesCount, Favourited: e.Liked, Reblogged: e.Boosted, Bookmarked: e.Bookmarked}
	return wrap, nil
}
