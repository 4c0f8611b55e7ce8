package projects

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// NetworkTask is one task of the network catalogue: a task of this
// instance (Remote false) or the copy of a partner association's task.
// Task.ID is the local id of either: the task's, or its copy's
// (RemoteTask); for a copy, Task.ProjectID is its project's copy
// (uuid.Nil while that is not kept), Task.AssociationID is uuid.Nil and
// CreatedAt is when the partner published it. URI is the task's id on the
// wire, where its page lives too.
type NetworkTask struct {
	Task
	Remote      bool
	URI         string
	Association string // the association's actor id on the wire
	// AssociationHandle names the association as people write it: its
	// name here, name@host for a partner.
	AssociationHandle string
	ProjectURI        string
	ProjectName       string
	Place             string
}

// NetworkCatalogue lists the tasks q selects among this instance's and
// its partners' (the associations a local actor follows, whose tasks are
// kept here as they publish them), newest first, limit at a time after the
// cursor. With budget bounds, only tasks budgeted in q.Currency are
// listed: amounts of different currencies do not compare.
func (s *Service) NetworkCatalogue(ctx context.Context, q CatalogueQuery) (list []NetworkTask, next uuid.UUID, err error) {
	return s.network(ctx, q, false)
}

// PartnerTasks is NetworkCatalogue without this instance's own tasks: the
// partners' only. With q.Association (a local association) it lists none.
func (s *Service) PartnerTasks(ctx context.Context, q CatalogueQuery) (list []NetworkTask, next uuid.UUID, err error) {
	return s.network(ctx, q, true)
}

func (s *Service) network(ctx context.Context, q CatalogueQuery, partnersOnly bool) (list []NetworkTask, next uuid.UUID, err error) {
	f, cur, err := s.catalogueFilter(ctx, q)
	if err != nil {
		return nil, uuid.Nil, err
	}
	nf := store.NetworkFilter{CatalogueFilter: f, PartnersOnly: partnersOnly}
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
	t := NetworkTask{Task: taskFrom(r.Task), Remote: r.Remote, URI: r.URI, Association: r.AssociationURI,
		AssociationHandle: r.AssociationName, ProjectURI: r.ProjectURI, ProjectName: r.ProjectName, Place: r.Place}
	if r.Remote {
		t.AssociationHandle += "@" + r.AssociationHost
		t.AssociationID = uuid.Nil // the row held the association's actor
		return t
	}
	t.URI = s.policy.BaseURL + "/tasks/" + r.ID.String()
	t.ProjectURI = s.policy.BaseURL + "/projects/" + r.ProjectID.String()
	return t
}
