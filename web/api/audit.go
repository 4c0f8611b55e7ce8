package api

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/audit/auditlog"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// AuditLog is what the audit routes need of the audit log
// (auditlog.Service).
type AuditLog interface {
	Instance(ctx context.Context, viewer membership.Account, f auditlog.Filter) (auditlog.Page, error)
	OfAssociation(ctx context.Context, viewer *membership.Account, name string, f auditlog.Filter) (auditlog.Page, error)
}

type auditEntryJSON struct {
	ID        string         `json:"id"`
	CreatedAt string         `json:"created_at"`
	Account   *string        `json:"account"` // null: the operator or the instance itself
	Action    string         `json:"action"`
	Target    string         `json:"target"`
	Detail    map[string]any `json:"detail"`
}

func renderAuditPage(p auditlog.Page) list[auditEntryJSON] {
	items := make([]auditEntryJSON, len(p.Entries))
	for i, e := range p.Entries {
		items[i] = auditEntryJSON{ID: e.ID.String(), CreatedAt: timestamp(e.At), Action: e.Action, Target: e.Target, Detail: e.Detail}
		if e.Account != "" {
			name := e.Account
			items[i].Account = &name
		}
		if items[i].Detail == nil {
			items[i].Detail = map[string]any{}
		}
	}
	return newList(items, nextCursor(p.Next))
}

// auditFilter reads ?action=&limit=&cursor=.
func auditFilter(r *http.Request) (auditlog.Filter, error) {
	p, err := pageParams(r, auditlog.DefaultLimit, auditlog.MaxLimit, uuidCursor)
	if err != nil {
		return auditlog.Filter{}, err
	}
	f := auditlog.Filter{Action: r.URL.Query().Get("action"), Limit: p.limit}
	if p.cursor != "" {
		f.Before = uuid.MustParse(p.cursor) // checked by uuidCursor
	}
	return f, nil
}

func (h *handlers) instanceAudit(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	f, err := auditFilter(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	p, err := h.audit.Instance(r.Context(), acc, f)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderAuditPage(p))
}

func (h *handlers) associationAudit(w http.ResponseWriter, r *http.Request) {
	f, err := auditFilter(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	p, err := h.audit.OfAssociation(r.Context(), auth.Account(r.Context()), chi.URLParam(r, "name"), f)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderAuditPage(p))
}
