package pages

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/relays"
	"github.com/holon-network/holon/web/auth"
)

// adminRelaysPage lists the relay subscriptions, with the form to add one.
type adminRelaysPage struct {
	frame
	Relays []relays.Relay
	Max    int
	Done   string // "added" or "removed" after a change
	Form   *form
}

func (s *server) adminRelays(w http.ResponseWriter, r *http.Request) {
	done := r.URL.Query().Get("done")
	if done != "added" && done != "removed" {
		done = ""
	}
	s.showRelays(w, r, http.StatusOK, &adminRelaysPage{Done: done, Form: newForm()})
}

func (s *server) showRelays(w http.ResponseWriter, r *http.Request, status int, p *adminRelaysPage) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/admin/relays")
		return
	}
	by, err := relays.AdminOf(acc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Relays, err = s.relays.List(r.Context(), by); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Max = relays.MaxRelays
	s.render(w, r, status, "admin_relays", p)
}

// changeRelays subscribes to a relay (action add, field inbox) or
// unsubscribes from one (action remove, field id).
func (s *server) changeRelays(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/admin/relays")
		return
	}
	by, err := relays.AdminOf(acc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := readForm(r, []string{"action", "inbox", "id"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		switch f.Value("action") {
		case "add":
			if _, err = s.relays.Subscribe(r.Context(), by, f.Value("inbox")); err == nil {
				redirect(w, r, "/admin/relays?done=added")
				return
			}
		case "remove":
			id, perr := uuid.Parse(f.Value("id"))
			if perr != nil {
				err = relays.ErrNoSuchRelay
			} else if err = s.relays.Unsubscribe(r.Context(), by, id); err == nil {
				redirect(w, r, "/admin/relays?done=removed")
				return
			}
		default:
			err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
		}
		if !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	for name, fe := range f.Errors {
		if name == "inbox" {
			continue
		}
		delete(f.Errors, name)
		f.Problems = append(f.Problems, fe)
	}
	s.showRelays(w, r, f.Status(), &adminRelaysPage{Form: f})
}

func init() {
	if _, ok := fieldMax["inbox"]; !ok {
		fieldMax["inbox"] = relays.MaxURL
	}
	if _, ok := fieldMax["id"]; !ok {
		fieldMax["id"] = 64
	}
}
