package mastodon

import (
	"net/http"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/holon-network/holon/core/membership"
)

// What client applications ask at start-up and Holon either answers from
// what it has (preferences, peers, blocks) or, having no such thing
// (lists, filters, custom emojis, trends…), answers as a Mastodon server
// with none would: an empty array, behind the scope Mastodon asks for.

// empty answers [] to a request whose token grants scope; an empty scope
// is a public route, answered to anyone.
func empty(scope string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if scope != "" {
			if _, ok := authorized(w, r, scope); !ok {
				return
			}
		}
		writeJSON(w, r, http.StatusOK, []struct{}{})
	}
}

// emptyOfAccount answers [] about a known account ({id}), 404 otherwise,
// as Mastodon answers its featured tags or lists of an account.
func (h *handlers) emptyOfAccount(scope string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if scope != "" {
			if _, ok := authorized(w, r, scope); !ok {
				return
			}
		}
		if _, ok := h.actorParam(w, r); !ok {
			return
		}
		writeJSON(w, r, http.StatusOK, []struct{}{})
	}
}

// preferencesJSON is Mastodon's Preferences entity.
type preferencesJSON struct {
	Visibility     string  `json:"posting:default:visibility"`
	Sensitive      bool    `json:"posting:default:sensitive"`
	Language       *string `json:"posting:default:language"`
	ExpandMedia    string  `json:"reading:expand:media"`
	ExpandSpoilers bool    `json:"reading:expand:spoilers"`
}

// preferences answers the posting and reading defaults: Holon keeps none
// per person, so Mastodon's defaults, with the person's language.
func (h *handlers) preferences(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "read:accounts")
	if !ok {
		return
	}
	p := preferencesJSON{Visibility: "public", ExpandMedia: "default"}
	if acc.Locale != "" {
		p.Language = &acc.Locale
	}
	writeJSON(w, r, http.StatusOK, p)
}

// peers answers the hosts of the other instances known here.
func (h *handlers) peers(w http.ResponseWriter, r *http.Request) {
	hosts, err := h.instance.Peers(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, hosts)
}

type languageJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// languages answers the languages the instance is run in, with their
// English names, as Mastodon's list of languages a post may be in.
func (h *handlers) languages(w http.ResponseWriter, r *http.Request) {
	set, err := h.instance.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	names := display.English.Languages()
	out := make([]languageJSON, 0, len(set.Languages))
	for _, code := range set.Languages {
		name := code
		if tag, err := language.Parse(code); err == nil {
			if n := names.Name(tag); n != "" {
				name = n
			}
		}
		out = append(out, languageJSON{Code: code, Name: name})
	}
	writeJSON(w, r, http.StatusOK, out)
}

// blocks lists the accounts the person blocks, newest first, paged by
// block id with Mastodon's Link header.
func (h *handlers) blocks(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "read:blocks")
	if !ok {
		return
	}
	win := pageWindow(r, defaultAccountsLimit, membership.MaxActorsAtOnce)
	list, _, err := h.members.Blocks(r.Context(), acc, win.MaxID, win.Limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	actors := make([]membership.Actor, 0, len(list))
	for _, b := range list {
		a, err := h.members.ActorByURI(r.Context(), b.BlockedURI)
		if err != nil {
			continue // gone since
		}
		actors = append(actors, a)
	}
	out, err := h.accountsOf(r.Context(), actors)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(list) > 0 {
		h.linkHeader(w, r, list[len(list)-1].ID.String(), list[0].ID.String())
	}
	writeJSON(w, r, http.StatusOK, out)
}

// noTranslation answers that no language translates into another here,
// as Mastodon without a translation service: an empty object.
func noTranslation(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, struct{}{})
}

// pushSubscription answers that there is no Web Push subscription: Holon
// does not push yet.
func pushSubscription(w http.ResponseWriter, r *http.Request) {
	if _, ok := authorized(w, r, "push"); !ok {
		return
	}
	notFound(w, r)
}
