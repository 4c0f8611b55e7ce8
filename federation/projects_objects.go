package federation

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// objectKinds are the first path segments of the objects whose ids answer
// with their ActivityPub document here; the same paths serve their pages.
var objectKinds = []string{"projects", "tasks", "reservations", "submissions", "transactions", "proposals", "events"}

// IsObjectPath reports whether path is the id of a project, task,
// reservation, submission, transaction, proposal or event (/{kind}/{id}), which
// answers with its ActivityPub document when asked for one.
func IsObjectPath(path string) bool {
	kind, id, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if !ok || strings.Contains(id, "/") || id == "" {
		return false
	}
	for _, k := range objectKinds {
		if kind == k {
			return true
		}
	}
	return false
}

// Objects serves the ActivityPub documents of an instance's projects,
// tasks, reservations, submissions, ledger transactions and (once
// UseGovernance has wired them) proposals, and its associations' ledgers
// as OrderedCollections. Unknown objects, drafts and
// the objects of members-only associations answer 404: the documents are
// the public's view (hidden donors stay hidden).
type Objects struct {
	projects   *projects.Service
	ledger     *ledger.Service
	governance *governance.Service
	db         *store.DB
	docs       objectDocs
	router     chi.Router
	// events and eventDocs are set by UseAgenda (events' summaries are
	// written in the instance's language).
	events    *agenda.Service
	eventDocs objectDocs
}

// newObjects returns the handler of the objects' documents.
func newObjects(p *projects.Service, l *ledger.Service, db *store.DB, baseURL string) *Objects {
	o := &Objects{projects: p, ledger: l, db: db, docs: objectDocs{baseURL: baseURL}}
	r := chi.NewRouter()
	r.Use(middleware.GetHead)
	r.Get("/projects/{id}", o.serve(o.project))
	r.Get("/tasks/{id}", o.serve(o.task))
	r.Get("/reservations/{id}", o.serve(o.reservation))
	r.Get("/submissions/{id}", o.serve(o.submission))
	r.Get("/transactions/{id}", o.serve(o.transaction))
	o.router = r
	return o
}

// ServeHTTP answers GET /{kind}/{id} with the object's document.
func (o *Objects) ServeHTTP(w http.ResponseWriter, r *http.Request) { o.router.ServeHTTP(w, r) }

// RegisterLedger adds GET /actors/{name}/ledger to r: the association's
// ledger as an OrderedCollection of its transactions, newest first
// (?page=true, then ?page=<cursor>).
func (o *Objects) RegisterLedger(r chi.Router) {
	r.Get("/actors/{name}/ledger", o.serveLedger)
}

// errHidden answers for an object its association does not show.
var errHidden = core.New(core.KindNotFound, "not-found", "no such object")

type lookup func(ctx context.Context, id uuid.UUID) (objectDoc, error)

func (o *Objects) serve(find lookup) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept")
		id, err := uuid.Parse(chi.URLParam(r, "id"))
		if err != nil {
			http.Error(w, "no such object", http.StatusNotFound)
			return
		}
		doc, err := find(r.Context(), id)
		if err == nil && !doc.owner.public() {
			err = errHidden
		}
		switch {
		case core.KindOf(err) == core.KindNotFound || core.KindOf(err) == core.KindForbidden:
			http.Error(w, "no such object", http.StatusNotFound)
			return
		case err != nil:
			hlog.FromRequest(r).Error().Err(err).Str("path", r.URL.Path).Msg("serve object")
			http.Error(w, "object unavailable", http.StatusInternalServerError)
			return
		}
		m, err := doc.document()
		var body []byte
		if err == nil {
			body, err = marshal(m)
		}
		if err != nil {
			hlog.FromRequest(r).Error().Err(err).Str("path", r.URL.Path).Msg("encode object")
			http.Error(w, "object unavailable", http.StatusInternalServerError)
			return
		}
		writeBody(w, body)
	}
}

func writeBody(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", actors.ContentType)
	w.Header().Set("Cache-Control", "max-age=60")
	_, _ = w.Write(body)
}

func (o *Objects) project(ctx context.Context, id uuid.UUID) (objectDoc, error) {
	p, err := o.projects.Project(ctx, id)
	if err != nil {
		return objectDoc{}, err
	}
	return o.docs.project(ctx, o.db.Tx, p)
}

func (o *Objects) task(ctx context.Context, id uuid.UUID) (objectDoc, error) {
	t, err := o.projects.Task(ctx, id)
	if err != nil {
		return objectDoc{}, err
	}
	if t.Status == projects.TaskDraft {
		return objectDoc{}, projects.ErrNoSuchTask // not published yet
	}
	return o.docs.task(ctx, o.db.Tx, t)
}

func (o *Objects) reservation(ctx context.Context, id uuid.UUID) (objectDoc, error) {
	res, err := o.projects.Reservation(ctx, id)
	if err != nil {
		return objectDoc{}, err
	}
	return o.docs.reservation(ctx, o.db.Tx, res)
}

func (o *Objects) submission(ctx context.Context, id uuid.UUID) (objectDoc, error) {
	s, err := o.projects.Submission(ctx, id)
	if errors.Is(err, projects.ErrNoSuchSubmission) {
		// Work hosted here for a task elsewhere (§5.3).
		h, err := o.projects.HostedSubmission(ctx, id)
		if err != nil {
			return objectDoc{}, err
		}
		obj, err := submissionObject(h)
		return objectDoc{obj: obj}, err
	}
	if err != nil {
		return objectDoc{}, err
	}
	if s.URI != "" {
		return objectDoc{}, projects.ErrNoSuchSubmission // hosted elsewhere, and served there
	}
	var review *projects.Review
	if rv, err := o.projects.ReviewOf(ctx, id); err == nil {
		review = &rv
	} else if !errors.Is(err, projects.ErrNotReviewed) {
		return objectDoc{}, err
	}
	return o.docs.submission(ctx, o.db.Tx, s, review)
}

func (o *Objects) transaction(ctx context.Context, id uuid.UUID) (objectDoc, error) {
	e, err := o.ledger.Transaction(ctx, nil, id)
	if err != nil {
		return objectDoc{}, err
	}
	return o.docs.transaction(ctx, o.db.Tx, e.Transaction, e.Payee)
}

// ledgerPageSize is how many transactions a page of the collection holds.
const ledgerPageSize = 50

func (o *Objects) serveLedger(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name := chi.URLParam(r, "name")
	id := o.docs.baseURL + r.URL.Path
	pageParam := r.URL.Query().Get("page")
	var before uuid.UUID
	if pageParam != "" && pageParam != "true" {
		var err error
		if before, err = uuid.Parse(pageParam); err != nil {
			http.Error(w, "page must be true or a cursor from a next link", http.StatusBadRequest)
			return
		}
	}
	fail := func(err error) {
		if k := core.KindOf(err); k == core.KindNotFound || k == core.KindForbidden {
			http.Error(w, "no such ledger", http.StatusNotFound)
			return
		}
		hlog.FromRequest(r).Error().Err(err).Msg("serve ledger")
		http.Error(w, "ledger unavailable", http.StatusInternalServerError)
	}
	total, err := o.ledger.LedgerSize(ctx, nil, name)
	if err != nil {
		fail(err)
		return
	}
	if pageParam == "" {
		writeDocument(w, r, http.StatusOK, map[string]any{"@context": vocab.Context(), "id": id,
			"type": "OrderedCollection", "totalItems": total, "first": id + "?page=true"})
		return
	}
	page, err := o.ledger.Ledger(ctx, nil, name, before, ledgerPageSize)
	if err != nil {
		fail(err)
		return
	}
	items := make([]any, 0, len(page.Items))
	for _, t := range page.Items {
		payee := ""
		if t.Kind == ledger.KindPayout {
			if p, err := o.db.Ledger().Payout(ctx, t.ID); err == nil {
				payee = p.Payee
			}
		}
		doc, err := o.docs.transaction(ctx, o.db.Tx, t, payee)
		if err != nil {
			fail(err)
			return
		}
		m, err := doc.document()
		if err != nil {
			fail(err)
			return
		}
		delete(m, "@context")
		items = append(items, m)
	}
	doc := map[string]any{"@context": vocab.Context(), "id": id + "?page=" + pageParam, "type": "OrderedCollectionPage",
		"partOf": id, "totalItems": total, "orderedItems": items}
	if page.Next != uuid.Nil {
		doc["next"] = id + "?page=" + page.Next.String()
	}
	writeDocument(w, r, http.StatusOK, doc)
}
