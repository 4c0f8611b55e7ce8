package projects

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// NetworkTask is one task of the network catalogue: a task of this
// instance (Remote false) or the copy of a partner association's task.
// ID is the local id of either: GET /tasks/{id} for a local task, the
// partner task's copy otherwise (RemoteTask). URI is the task's id on the
// wire, where its page lives too.
type NetworkTask struct {
	ID            uuid.UUID
	Remote        bool
	URI           string
	Association   string    // the association's actor id on the wire
	ProjectID     uuid.UUID // the local project, or the project's copy; uuid.Nil when not kept
	ProjectURI    string
	ProjectName   string
	Place         string
	Name          string
	Category      string
	Status        string
	Budget        int64 // minor units of Currency
	Currency      string
	ReservedUntil *time.Time
	CreatedAt     time.Time
}

// NetworkCatalogue lists the tasks q selects among this instance's and
// its partners' (the associations a local actor follows, whose tasks are
// kept here as they publish them), newest first, limit at a time after the
// cursor. With budget bounds, only tasks budgeted in q.Currency are
// listed: amounts of different currencies do not compare.
func (s *Service) NetworkCatalogue(ctx context.Context, q CatalogueQuery) (list []NetworkTask, next uuid.UUID, err error) {
	f, cur, err := s.catalogueFilter(ctx, q)
	if err != nil {
		return nil, uuid.Nil, err
	}
	nf := store.NetworkFilter{CatalogueFilter: f}
	if q.MinBudget != "" || q.MaxBudget != "" {
		nf.Currency = cur
	}
	limit := clampLimit(q.Limit)
	nf.Limit = limit + 1
	rows, err := s.db.Tasks().NetworkCatalogue(ctx, nf)
	if err != nil {
		return nil, uuid.Nil, fmt.Errorf("network task catalogue: %w", err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	for _, r := range rows {
		list = append(list, s.networkTaskFrom(r))
	}
	return list, next, nil
}

func (s *Service) networkTaskFrom(r store.NetworkTaskRow) NetworkTask {
	t := NetworkTask{ID: r.ID, Remote: r.Remote, URI: r.URI, Association: r.AssociationURI, ProjectURI: r.ProjectURI,
		ProjectName: r.ProjectName, Place: r.Place, Name: r.Name, Category: r.Category, Status: r.Status, Budget: r.Budget,
		Currency: r.Currency, ReservedUntil: r.ReservedUntil, CreatedAt: r.CreatedAt}
	if r.ProjectID != nil {
		t.ProjectID = *r.ProjectID
	}
	if !r.Remote {
		t.URI = s.policy.BaseURL + "/tasks/" + r.ID.String()
		t.ProjectURI = s.policy.BaseURL + "/projects/" + t.ProjectID.String()
	}
	return t
}
