package api

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/web/auth"
)

// DomainPolicy is what the admin routes need of the domain policy
// (domains.Service).
type DomainPolicy interface {
	Block(ctx context.Context, by domains.Admin, in domains.NewBlock) (domains.Block, int, error)
	Unblock(ctx context.Context, by domains.Admin, domain string) error
	Blocks(ctx context.Context, by domains.Admin) ([]domains.Block, error)
	UpdateBlock(ctx context.Context, by domains.Admin, domain string, in domains.BlockChange) (domains.Block, error)
	Export(ctx context.Context, by domains.Admin, w io.Writer) error
	Import(ctx context.Context, by domains.Admin, r io.Reader, confirm bool) (domains.Imported, error)
	Mode(ctx context.Context) (mode string, locked bool, err error)
	SetMode(ctx context.Context, by domains.Admin, mode string, confirm bool) error
	Allow(ctx context.Context, by domains.Admin, in domains.NewAllow) (domains.Allow, error)
	Disallow(ctx context.Context, by domains.Admin, domain string, confirm bool) error
	Allows(ctx context.Context, by domains.Admin) ([]domains.Allow, error)
}

// InboxFailures is what the admin routes need of the inbox processor: the
// received activities that kept failing, and a way to try them again.
type InboxFailures interface {
	Failed(ctx context.Context, before uuid.UUID, limit int) ([]store.InboxActivity, error)
	Retry(ctx context.Context, id uuid.UUID) error
}

var errNoSuchFailure = core.New(core.KindNotFound, "activity-not-found", "no received activity with this id has failed")

type domainBlockJSON struct {
	Domain         string `json:"domain"`
	Severity       string `json:"severity"`
	PublicComment  string `json:"public_comment"`
	PrivateComment string `json:"private_comment"`
	CreatedAt      string `json:"created_at"`
	// FollowsEnded is how many follows the block ended; only in the
	// answer to its creation.
	FollowsEnded *int `json:"follows_ended,omitempty"`
}

type domainBlockRequest struct {
	Domain         string `json:"domain"`
	Severity       string `json:"severity"`
	PublicComment  string `json:"public_comment"`
	PrivateComment string `json:"private_comment"`
	Confirm        bool   `json:"confirm"`
}

type failedActivityJSON struct {
	ID         uuid.UUID `json:"id"`
	ActivityID string    `json:"activity_id"`
	Type       string    `json:"type"`
	Actor      string    `json:"actor"`
	Attempts   int       `json:"attempts"`
	LastError  string    `json:"last_error"`
	ReceivedAt string    `json:"received_at"`
}

func renderDomainBlock(b domains.Block) domainBlockJSON {
	return domainBlockJSON{Domain: b.Domain, Severity: b.Severity, PublicComment: b.PublicComment,
		PrivateComment: b.PrivateComment, CreatedAt: timestamp(b.CreatedAt)}
}

// admin returns the caller's authority over the instance's policy.
func admin(r *http.Request) (domains.Admin, error) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		return domains.Admin{}, err
	}
	return domains.AdminOf(acc)
}

func (h *handlers) listDomainBlocks(w http.ResponseWriter, r *http.Request) {
	by, err := admin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	blocks, err := h.domains.Blocks(r.Context(), by)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]domainBlockJSON, len(blocks))
	for i, b := range blocks {
		items[i] = renderDomainBlock(b)
	}
	writeJSON(w, r, http.StatusOK, newList(items, ""))
}

func (h *handlers) blockDomain(w http.ResponseWriter, r *http.Request) {
	by, err := admin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	var in domainBlockRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	b, ended, err := h.domains.Block(r.Context(), by, domains.NewBlock{Domain: in.Domain, Severity: in.Severity,
		PublicComment: in.PublicComment, PrivateComment: in.PrivateComment, Confirm: in.Confirm})
	if err != nil {
		fail(w, r, err)
		return
	}
	out := renderDomainBlock(b)
	out.FollowsEnded = &ended
	created(w, r, "/admin/domain-blocks/"+b.Domain, out)
}

func (h *handlers) unblockDomain(w http.ResponseWriter, r *http.Request) {
	by, err := admin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	if err := h.domains.Unblock(r.Context(), by, chi.URLParam(r, "domain")); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}

// listFailedActivities answers the received activities that kept failing,
// newest first, so that admins can see what a peer sends that Holon
// cannot process.
func (h *handlers) listFailedActivities(w http.ResponseWriter, r *http.Request) {
	if _, err := admin(r); err != nil {
		fail(w, r, err)
		return
	}
	p, err := pageParams(r, 20, 100, uuidCursor)
	if err != nil {
		fail(w, r, err)
		return
	}
	before := uuid.Nil
	if p.cursor != "" {
		before = uuid.MustParse(p.cursor)
	}
	rows, err := h.inbox.Failed(r.Context(), before, p.limit+1)
	if err != nil {
		fail(w, r, err)
		return
	}
	next := ""
	if len(rows) > p.limit {
		rows = rows[:p.limit]
		next = rows[p.limit-1].ID.String()
	}
	items := make([]failedActivityJSON, len(rows))
	for i, a := range rows {
		items[i] = failedActivityJSON{ID: a.ID, ActivityID: a.ActivityID, Type: a.Type, Actor: a.Actor,
			Attempts: a.Attempts, LastError: a.LastError, ReceivedAt: timestamp(a.ReceivedAt)}
	}
	writeJSON(w, r, http.StatusOK, newList(items, next))
}

// retryFailedActivity puts a failed activity back in the queue.
func (h *handlers) retryFailedActivity(w http.ResponseWriter, r *http.Request) {
	if _, err := admin(r); err != nil {
		fail(w, r, err)
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, errNoSuchFailure)
		return
	}
	err = h.inbox.Retry(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		err = errNoSuchFailure
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}
