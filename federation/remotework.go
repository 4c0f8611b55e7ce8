package federation

import (
	"context"
	"errors"

	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/vocab"
)

// useRemoteWork makes p hear the activities by which actors elsewhere act
// on projects and tasks (docs/vocabulary.md §5.1–5.3) and send its own.
// It wraps the handlers registered before it (follows, notes, partners'
// objects), which get what is not about remote work.
func (f *Federation) useRemoteWork(p *projects.Service) {
	projectHandlers{projects: p, fetcher: f.Fetcher}.register(f.Processor)
	p.UseMessenger(&projectMessenger{baseURL: f.cfg.BaseURL(), clock: f.clock, queued: f.Delivery.Wake})
}

// ResolveTask returns the partner's task whose id is uri: the copy kept
// here, or the task fetched from its origin and kept, when someone here
// follows its association (projects.ErrNotPartner otherwise).
func (f *Federation) ResolveTask(ctx context.Context, uri string) (projects.RemoteTask, error) {
	if t, err := f.partners.projects.RemoteTaskByURI(ctx, uri); !errors.Is(err, projects.ErrNoSuchRemoteTask) {
		return t, err
	}
	obj, err := f.partners.fetch(ctx, uri)
	if err != nil {
		return projects.RemoteTask{}, err
	}
	if vocab.FirstType(obj["type"]) != "Task" {
		return projects.RemoteTask{}, projects.ErrNoSuchRemoteTask
	}
	if err := f.partners.keep(ctx, obj); err != nil {
		return projects.RemoteTask{}, err
	}
	return f.partners.projects.RemoteTaskByURI(ctx, vocab.IDOf(obj["id"]))
}
