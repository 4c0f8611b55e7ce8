package mastodon

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/auth"
)

// Bounds of a search, as Mastodon's: 20 results by default, 40 at most.
const (
	searchDefaultLimit = 20
	searchMaxLimit     = 40
	maxSearchQuery     = 1000 // characters
	maxSearchOffset    = 10_000
)

// Mastodon's answers to a visitor asking what only users may.
const (
	errResolveVisitor    = "Search queries that resolve remote resources are not supported without authentication"
	errPaginationVisitor = "Search queries pagination is not supported without authentication"
)

// searchJSON is Mastodon's Search entity: the three arrays always there.
type searchJSON struct {
	Accounts []accountJSON `json:"accounts"`
	Statuses []statusJSON  `json:"statuses"`
	Hashtags []tagJSON     `json:"hashtags"`
}

// search answers GET /api/v2/search. Visitors may search what is stored
// here; fetching from other servers (resolve=true) and paging need a
// user, as in Mastodon. A URL is resolved to the account or the status it
// names; name@host to the account. Otherwise accounts are found by name
// or display name prefix, hashtags by prefix. Statuses are found by URL
// only: Mastodon without its full-text index does the same.
func (h *handlers) search(w http.ResponseWriter, r *http.Request) {
	var viewer *membership.Account
	if _, found := auth.From(r.Context()); found {
		acc, ok := authorized(w, r, "read:search")
		if !ok {
			return
		}
		viewer = &acc
	}
	qs := r.URL.Query()
	q := strings.TrimSpace(qs.Get("q"))
	if q == "" {
		writeJSON(w, r, http.StatusBadRequest, errorJSON{Error: "Param is missing or the value is empty: q"})
		return
	}
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > maxSearchQuery {
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: the query must be valid text of at most 1000 characters"})
		return
	}
	resolve := truthy(qs.Get("resolve"))
	offset, _ := strconv.Atoi(qs.Get("offset"))
	offset = max(0, min(offset, maxSearchOffset))
	if viewer == nil && resolve {
		writeJSON(w, r, http.StatusUnauthorized, errorJSON{Error: errResolveVisitor})
		return
	}
	if viewer == nil && qs.Get("offset") != "" {
		writeJSON(w, r, http.StatusUnauthorized, errorJSON{Error: errPaginationVisitor})
		return
	}
	limit, err := strconv.Atoi(qs.Get("limit"))
	if err != nil || limit <= 0 {
		limit = searchDefaultLimit
	}
	limit = min(limit, searchMaxLimit)
	typ := qs.Get("type")
	// An unknown type asks for none of the three, as in Mastodon.
	wantAccounts, wantStatuses, wantTags := typ == "" || typ == "accounts", typ == "" || typ == "statuses", typ == "" || typ == "hashtags"
	out := searchJSON{Accounts: []accountJSON{}, Statuses: []statusJSON{}, Hashtags: []tagJSON{}}

	if isURL(q) {
		// A URL names one thing; only resolving may fetch it.
		if err := h.searchURL(r, viewer, q, resolve && offset == 0, wantAccounts, wantStatuses, &out); err != nil {
			h.failMedia(w, r, err)
			return
		}
		writeJSON(w, r, http.StatusOK, out)
		return
	}
	if wantAccounts {
		if err := h.searchAccounts(r, q, resolve, limit, offset, &out); err != nil {
			h.failMedia(w, r, err)
			return
		}
	}
	if wantTags && !strings.Contains(q, "@") {
		tags, err := h.news.SearchTags(r.Context(), q, limit, offset)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, t := range tags {
			out.Hashtags = append(out.Hashtags, tagJSON{Name: t, URL: h.cfg.BaseURL() + "/tags/" + url.PathEscape(t), History: []tagHistJSON{}})
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// searchAccounts finds accounts: with resolve, name@host is looked up on
// its server (WebFinger, then the actor, fetched through federation's
// guarded fetcher); and those known here whose name starts with the
// query's name part are listed.
func (h *handlers) searchAccounts(r *http.Request, q string, resolve bool, limit, offset int, out *searchJSON) error {
	ctx := r.Context()
	seen := map[string]bool{}
	add := func(a membership.Actor) error {
		if seen[a.URI] || len(out.Accounts) >= limit {
			return nil
		}
		seen[a.URI] = true
		acc, err := h.accountOf(ctx, a)
		if err != nil {
			return err
		}
		out.Accounts = append(out.Accounts, acc)
		return nil
	}
	name, host, isAcct := strings.Cut(strings.TrimPrefix(q, "@"), "@")
	isAcct = isAcct && name != "" && host != "" && !strings.ContainsAny(q, " \t/")
	if isAcct && resolve && offset == 0 && h.remote != nil {
		a, err := h.remote.Lookup(ctx, q)
		switch {
		case err == nil:
			if err := add(a); err != nil {
				return err
			}
		default:
			// Nothing found there, or its server failed: what is known
			// here is still listed, as Mastodon does.
			remoteMiss(r, q, err)
		}
	}
	found, err := h.members.SearchActors(ctx, name, limit, offset)
	if err != nil {
		return err
	}
	for _, a := range found {
		if isAcct && !strings.EqualFold(a.Host, host) && !strings.HasPrefix(strings.ToLower(a.Host), strings.ToLower(host)) {
			continue
		}
		if err := add(a); err != nil {
			return err
		}
	}
	return nil
}

// searchURL finds what the URL q names: an actor, or a note (as a status
// the viewer may read). Without fetch, only what is stored here.
func (h *handlers) searchURL(r *http.Request, viewer *membership.Account, q string, fetch, wantAccounts, wantStatuses bool, out *searchJSON) error {
	ctx := r.Context()
	if wantAccounts {
		var a membership.Actor
		var err error
		if fetch && h.remote != nil {
			if a, err = h.remote.Lookup(ctx, q); err != nil {
				remoteMiss(r, q, err)
				err = news.ErrNoSuchActor // a note, perhaps
			}
		} else {
			a, err = h.members.ActorByURI(ctx, q)
		}
		switch {
		case err == nil:
			acc, err := h.accountOf(ctx, a)
			if err != nil {
				return err
			}
			out.Accounts = append(out.Accounts, acc)
			return nil
		case !ignorable(err):
			return err
		}
	}
	if !wantStatuses {
		return nil
	}
	var n news.Note
	var err error
	if fetch && viewer != nil {
		if n, err = h.news.Resolve(ctx, *viewer, q); err != nil {
			remoteMiss(r, q, err)
			return nil
		}
	} else {
		n, err = h.news.ByURI(ctx, q)
		if err == nil {
			n, err = h.news.Get(ctx, viewer, n.ID) // what the viewer may read only
		}
	}
	switch {
	case err == nil:
		st, err := h.statusOf(ctx, news.Entry{Note: n})
		if err != nil {
			return err
		}
		out.Statuses = append(out.Statuses, st)
	case !ignorable(err):
		return err
	}
	return nil
}

// ignorable tells whether a failure to find what a search names leaves
// the answer empty rather than failing it: nothing there, not an actor or
// not a note, its server unreachable or refusing. Mastodon answers empty
// results too.
func ignorable(err error) bool {
	switch core.KindOf(err) {
	case core.KindNotFound, core.KindInvalid, core.KindUnavailable, core.KindForbidden:
		return true
	}
	return errors.Is(err, news.ErrNotANote)
}

// remoteMiss notes a search that found nothing on another server: an
// empty answer to the client, a line in the log for whoever wonders why.
func remoteMiss(r *http.Request, q string, err error) {
	if !ignorable(err) {
		hlog.FromRequest(r).Warn().Err(err).Str("q", q).Msg("mastodon search: resolve")
	}
}

func isURL(q string) bool {
	return strings.HasPrefix(q, "https://") || strings.HasPrefix(q, "http://")
}
