package pages

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/audit/auditlog"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// auditActions are the actions the audit log's pages say in words, each
// as the key "audit.action.<action>" (its message sees the entry's target
// as {{.Target}}). An action missing here shows its raw name; a test checks
// that every one listed is translated.
var auditActions = []string{
	// instance admins
	"account.approve", "association.create",
	"domain.block", "domain.update", "domain.unblock", "domain.allow", "domain.disallow", "domain.import",
	"federation.mode", "relay.subscribe", "relay.unsubscribe", "settings.update",
	"report.note", "report.resolve", "report.reopen", "report.forward",
	"account.warn", "account.silence", "account.unsilence", "account.suspend", "account.unsuspend", "account.delete",
	"note.remove",
	// boards, in their association's name
	"association.update", "association.avatar", "member.admit", "member.refuse", "member.role", "member.voting",
	"member.exclude", "follow.accept", "follow.reject", "project.evaluate", "project.status", "project.update",
	"task.add", "task.open", "task.cancel", "reservation.release", "submission.review",
	"ledger.allocate", "ledger.donation", "ledger.refund", "payout.paid", "governance.rules",
	"event.create", "event.update", "event.cancel", "event.approve", "event.reject",
	"partner.add", "partner.end",
}

// auditPage is the audit log of the instance (Association nil) or of an
// association.
type auditPage struct {
	frame
	Association *membership.Association
	Entries     []auditView
	Action      string // the filter, as given
	Next        string // the cursor of the next page
}

// auditView is one entry as the page shows it.
type auditView struct {
	auditlog.Entry
	Sentence string
	Decision string   // the adopted proposal that had it done, if any
	Details  []string // "name: value", the detail but the proposal
}

func (s *server) adminAudit(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/admin/audit")
		return
	}
	f := auditFilterOf(r)
	pg, err := s.audit.Instance(r.Context(), acc, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showAudit(w, r, nil, f, pg)
}

func (s *server) associationAudit(w http.ResponseWriter, r *http.Request) {
	a, err := s.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := auditFilterOf(r)
	pg, err := s.audit.OfAssociation(r.Context(), auth.Account(r.Context()), a.Name, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showAudit(w, r, &a, f, pg)
}

// auditFilterOf reads ?action=&before=; a malformed cursor starts over.
func auditFilterOf(r *http.Request) auditlog.Filter {
	q := r.URL.Query()
	f := auditlog.Filter{Action: strings.TrimSpace(q.Get("action")), Limit: auditlog.DefaultLimit}
	if len(f.Action) > auditlog.MaxAction {
		f.Action = ""
	}
	f.Before, _ = uuid.Parse(q.Get("before"))
	return f
}

func (s *server) showAudit(w http.ResponseWriter, r *http.Request, a *membership.Association, f auditlog.Filter, pg auditlog.Page) {
	sp := s.speaker(r)
	p := &auditPage{Association: a, Action: f.Action, Entries: make([]auditView, len(pg.Entries))}
	for i, e := range pg.Entries {
		p.Entries[i] = auditViewOf(sp, e)
	}
	if pg.Next != uuid.Nil {
		p.Next = pg.Next.String()
	}
	s.render(w, r, http.StatusOK, "audit", p)
}

// auditViewOf says e in sp's language: its sentence when the action is
// known, its raw name and target otherwise.
func auditViewOf(sp speaker, e auditlog.Entry) auditView {
	v := auditView{Entry: e, Sentence: strings.TrimSpace(e.Action + " " + e.Target)}
	if slices.Contains(auditActions, e.Action) {
		if msg, err := sp.td("audit.action."+e.Action, "Target", e.Target); err == nil {
			v.Sentence = msg
		}
	}
	for name, value := range e.Detail {
		if name == "proposal" {
			v.Decision, _ = value.(string)
			continue
		}
		v.Details = append(v.Details, fmt.Sprintf("%s: %v", name, value))
	}
	sort.Strings(v.Details)
	return v
}
