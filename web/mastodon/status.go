package mastodon

import (
	"context"
	"fmt"
	"net/url"

	"github.com/holon-network/holon/core/news"
)

// statusOf maps a timeline entry to Mastodon's Status entity. An entry that
// came by a boost is the booster's status wrapping the note (reblog), with
// the boost's own id, as Mastodon shows it.
func (h *handlers) statusOf(ctx context.Context, e news.Entry) (statusJSON, error) {
	n := e.Note
	author, err := h.members.ActorByURI(ctx, n.Author.URI)
	if err != nil {
		return statusJSON{}, fmt.Errorf("author of note %s: %w", n.ID, err)
	}
	account, err := h.accountOf(ctx, author)
	if err != nil {
		return statusJSON{}, err
	}
	st := statusJSON{ID: n.ID.String(), URI: n.URI, CreatedAt: timestamp(n.Published), Account: account,
		Content: n.Content, Visibility: n.Visibility, Sensitive: n.Sensitive || n.Summary != "", SpoilerText: n.Summary,
		MediaAttachments: []attachmentJSON{}, Mentions: []mentionJSON{}, Tags: []tagRefJSON{}, Emojis: []emojiJSON{},
		ReblogsCount: e.Boosts, FavouritesCount: e.Likes, Favourited: e.Liked, Reblogged: e.Boosted, Filtered: []struct{}{}}
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
	if n.Updated != nil {
		at := timestamp(*n.Updated)
		st.EditedAt = &at
	}
	for _, m := range n.Mentions {
		a, err := h.members.ActorByURI(ctx, m.Href)
		if err != nil {
			continue // a mention of an actor not kept here shows as text only
		}
		acct := a.Username + "@" + a.Host
		if a.Local {
			acct = a.Username
		}
		st.Mentions = append(st.Mentions, mentionJSON{ID: a.ID.String(), Username: a.Username, URL: a.URL, Acct: acct})
	}
	// The poll as a visitor sees it: statusOf has no viewer yet; pass the
	// viewer here once it has one (voted and own_votes need it).
	if st.Poll, err = h.notePoll(ctx, nil, n); err != nil {
		return statusJSON{}, fmt.Errorf("poll of note %s: %w", n.ID, err)
	}
	for _, t := range n.Tags {
		st.Tags = append(st.Tags, tagRefJSON{Name: t, URL: h.cfg.BaseURL() + "/tags/" + url.PathEscape(t)})
	}
	if e.BoostedBy == nil {
		return st, nil
	}
	booster, err := h.members.ActorByURI(ctx, e.BoostedBy.URI)
	if err != nil {
		return statusJSON{}, fmt.Errorf("booster of %s: %w", e.Key, err)
	}
	boosterAccount, err := h.accountOf(ctx, booster)
	if err != nil {
		return statusJSON{}, err
	}
	key, err := news.ParseCursor(e.Key) // the boost's own id
	if err != nil {
		return statusJSON{}, fmt.Errorf("boost of %s: %w", n.ID, err)
	}
	wrap := statusJSON{ID: key.String(), URI: st.URI, CreatedAt: st.CreatedAt, Account: boosterAccount, Visibility: n.Visibility,
		MediaAttachments: []attachmentJSON{}, Mentions: []mentionJSON{}, Tags: []tagRefJSON{}, Emojis: []emojiJSON{},
		Filtered: []struct{}{}, Reblog: &st, Favourited: e.Liked, Reblogged: e.Boosted}
	return wrap, nil
}
