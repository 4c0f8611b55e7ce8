package federation

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/vocab"
)

// UseRemoteWork makes p hear the activities about projects and tasks that
// other instances send (docs/vocabulary.md §5.1–5.3) and send its own.
// Call it once, after New and before the Processor runs.
func (f *Federation) UseRemoteWork(p *projects.Service) {
	projectHandlers{projects: p, fetcher: f.Fetcher}.register(f.Processor)
	p.UseMessenger(&projectMessenger{baseURL: f.baseURL, clock: f.clock, queued: f.Delivery.Wake})
}

// Submissions is what serving submissions' ids needs of projects.
type Submissions interface {
	SubmissionOnWire(ctx context.Context, id uuid.UUID) (projects.RemoteSubmission, error)
}

// RegisterSubmissions adds GET /submissions/{id} to r: work delivered for
// a task here, or hosted here for a task elsewhere, as ActivityPub JSON
// (the association fetches it from here, §5.3); browsers are sent to its
// task.
func RegisterSubmissions(r chi.Router, s Submissions) {
	r.Get("/submissions/{id}", func(w http.ResponseWriter, req *http.Request) {
		w.Header().Add("Vary", "Accept")
		id, err := uuid.Parse(chi.URLParam(req, "id"))
		if err != nil {
			http.Error(w, "no such submission", http.StatusNotFound)
			return
		}
		sub, err := s.SubmissionOnWire(req.Context(), id)
		switch {
		case core.KindOf(err) == core.KindNotFound:
			http.Error(w, "no such submission", http.StatusNotFound)
			return
		case err != nil:
			hlog.FromRequest(req).Error().Err(err).Msg("serve submission")
			http.Error(w, "submission unavailable", http.StatusInternalServerError)
			return
		}
		if !actors.WantsActivityJSON(req.Header.Get("Accept")) {
			http.Redirect(w, req, sub.Task, http.StatusSeeOther)
			return
		}
		obj, err := submissionObject(sub)
		if err == nil {
			var doc map[string]any
			if doc, err = vocab.Serialize(obj); err == nil {
				writeDocument(w, req, http.StatusOK, doc)
				return
			}
		}
		hlog.FromRequest(req).Error().Err(err).Msg("serve submission")
		http.Error(w, "submission unavailable", http.StatusInternalServerError)
	})
}
