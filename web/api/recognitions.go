package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core/money"
)

// recognitionsJSON is an actor's record of verified work, newest first,
// and what is left of their rights to reallocate the budgets of tasks they
// completed as volunteers. Both are public: volunteers' work is meant to
// be seen.
type recognitionsJSON struct {
	Actor              string            `json:"actor"`
	Recognitions       []recognitionJSON `json:"recognitions"`
	ReallocationRights []rightJSON       `json:"reallocation_rights"`
}

type recognitionJSON struct {
	Task       string `json:"task"`
	TaskName   string `json:"task_name"`
	Project    string `json:"project"`
	Outcome    string `json:"outcome"`
	Value      string `json:"value"`
	Currency   string `json:"currency"`
	VerifiedAt string `json:"verified_at"`
}

// getRecognitions shows a local actor's recognitions.
func (h *handlers) getRecognitions(w http.ResponseWriter, r *http.Request) {
	a, err := h.members.LocalActor(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		fail(w, r, err)
		return
	}
	list, err := h.projects.Recognitions(r.Context(), a.URI)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := recognitionsJSON{Actor: a.URI, Recognitions: make([]recognitionJSON, len(list)), ReallocationRights: []rightJSON{}}
	for i, rc := range list {
		out.Recognitions[i] = recognitionJSON{Task: rc.TaskID.String(), TaskName: rc.TaskName, Project: rc.ProjectID.String(),
			Outcome: rc.Outcome, Value: money.Format(rc.Value, rc.Currency), Currency: rc.Currency, VerifiedAt: timestamp(rc.VerifiedAt)}
	}
	if h.ledger != nil {
		rights, err := h.ledger.RightsOf(r.Context(), a.URI)
		if err != nil {
			fail(w, r, err)
			return
		}
		for _, rt := range rights {
			if rt.Used >= rt.Amount {
				continue // spent: the recognition stays, the right is gone
			}
			cur, err := h.ledger.TaskCurrency(r.Context(), rt.Task)
			if err != nil {
				fail(w, r, err)
				return
			}
			out.ReallocationRights = append(out.ReallocationRights, renderRight(rt, cur))
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}
