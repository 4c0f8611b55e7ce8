package mastodon

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// accountOf maps an actor to Mastodon's Account entity: acct is name for a
// local actor and name@host for a remote one, an association (a Group) is
// a group account. Without an avatar or a header, the instance's icon
// stands in: clients expect image addresses.
//
// Within one request an actor is mapped once (see memoAccounts): a page of
// statuses by a few authors reads each author's counts once.
func (h *handlers) accountOf(ctx context.Context, a membership.Actor) (accountJSON, error) {
	list, err := h.accountsOf(ctx, []membership.Actor{a})
	if err != nil {
		return accountJSON{}, err
	}
	return list[0], nil
}

// accountsByURI maps actors to Account entities by their ids on the wire,
// membership.MaxActorsAtOnce at a time: the page of a list of statuses or
// notifications costs the queries of one account per such slice.
func (h *handlers) accountsByURI(ctx context.Context, actors []membership.Actor) (map[string]accountJSON, error) {
	out := make(map[string]accountJSON, len(actors))
	for start := 0; start < len(actors); start += membership.MaxActorsAtOnce {
		chunk := actors[start:min(start+membership.MaxActorsAtOnce, len(actors))]
		list, err := h.accountsOf(ctx, chunk)
		if err != nil {
			return nil, err
		}
		for i, a := range chunk {
			out[a.URI] = list[i]
		}
	}
	return out, nil
}

// accountsOf maps a page of actors (at most membership.MaxActorsAtOnce) to
// Account entities, in order. Their counts are read for the whole page at
// once: a page of 40 costs the queries of one.
func (h *handlers) accountsOf(ctx context.Context, actors []membership.Actor) ([]accountJSON, error) {
	if len(actors) > membership.MaxActorsAtOnce {
		actors = actors[:membership.MaxActorsAtOnce]
	}
	memo, _ := ctx.Value(memoKey{}).(*accountMemo)
	out := make([]accountJSON, len(actors))
	var missing []membership.Actor
	for i, a := range actors {
		if acc, ok := memo.get(a.ID); ok {
			out[i] = acc
		} else {
			missing = append(missing, a)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	mapped, err := h.mapAccounts(ctx, missing)
	if err != nil {
		return nil, err
	}
	for i, j := 0, 0; i < len(actors); i++ {
		if out[i].ID == "" {
			out[i] = mapped[j]
			memo.put(actors[i].ID, mapped[j])
			j++
		}
	}
	return out, nil
}

// mapAccounts reads the counts of actors and maps them.
func (h *handlers) mapAccounts(ctx context.Context, actors []membership.Actor) ([]accountJSON, error) {
	standings, err := h.members.Standings(ctx, actors)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	stats := map[uuid.UUID]news.AuthorStats{}
	if h.news != nil {
		ids := make([]uuid.UUID, len(actors))
		for i, a := range actors {
			ids[i] = a.ID
		}
		if stats, err = h.news.AuthorStats(ctx, ids); err != nil {
			return nil, fmt.Errorf("accounts: %w", err)
		}
	}
	out := make([]accountJSON, len(actors))
	for i, a := range actors {
		out[i] = h.account(a, standings[a.ID], stats[a.ID])
	}
	return out, nil
}

func (h *handlers) account(a membership.Actor, st membership.Standing, notes news.AuthorStats) accountJSON {
	display := a.DisplayName
	acct := a.Username + "@" + a.Host
	profile := a.URL
	note := a.Summary // a remote actor's, sanitised HTML
	if a.Local {
		acct = a.Username
		profile = h.cfg.BaseURL() + "/@" + a.Username
		display = st.DisplayName // a local actor's name is its account's or its association's
		note = paragraphs(a.Summary)
		if a.AssociationID != nil {
			note = paragraphs(st.Summary)
		}
	}
	if profile == "" {
		profile = a.URI
	}
	if display == "" {
		display = a.Username
	}
	avatar := a.IconURL
	if avatar == "" {
		avatar = h.icon
	}
	fields := make([]fieldJSON, 0, len(a.Fields))
	for _, f := range a.Fields {
		fields = append(fields, fieldJSON{Name: f.Name, Value: f.HTML})
	}
	acc := accountJSON{ID: a.ID.String(), Username: a.Username, Acct: acct, DisplayName: display,
		Locked: st.Locked, Group: a.Kind == membership.ActorGroup, Bot: a.Kind == membership.ActorApplication || a.Kind == "Service",
		// Mastodon gives the day of creation only (3.4), at midnight.
		CreatedAt: timestamp(a.CreatedAt.UTC().Truncate(24 * time.Hour)), Note: note, URL: profile, URI: a.URI,
		Avatar: avatar, AvatarStatic: avatar, Header: h.icon, HeaderStatic: h.icon, Discoverable: true,
		FollowersCount: st.Followers, FollowingCount: st.Following, StatusesCount: notes.Notes,
		Emojis: []emojiJSON{}, Fields: fields}
	if notes.Last != nil {
		day := notes.Last.UTC().Format(time.DateOnly) // a date, as Mastodon gives it (3.1)
		acc.LastStatusAt = &day
	}
	return acc
}

// paragraphs renders plain text as HTML paragraphs, as a local profile's
// document shows it to other servers.
func paragraphs(text string) string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	var b strings.Builder
	for _, para := range strings.Split(text, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>")
		}
	}
	return b.String()
}

// accountMemo keeps the accounts mapped during one request.
type accountMemo struct {
	mu sync.Mutex
	m  map[uuid.UUID]accountJSON
}

type memoKey struct{}

func (m *accountMemo) get(id uuid.UUID) (accountJSON, bool) {
	if m == nil {
		return accountJSON{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.m[id]
	return a, ok
}

func (m *accountMemo) put(id uuid.UUID, a accountJSON) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[id] = a
}

// memoAccounts gives each request its own memo of mapped accounts. It
// lives no longer than the request: counts change between requests, and
// a handler that changes a profile maps it only after the change.
func memoAccounts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), memoKey{}, &accountMemo{m: map[uuid.UUID]accountJSON{}})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
