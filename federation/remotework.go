package federation

import "github.com/holon-network/holon/core/projects"

// useRemoteWork makes p hear the activities by which actors elsewhere act
// on projects and tasks (docs/vocabulary.md §5.1–5.3) and send its own.
// It wraps the handlers registered before it (follows, notes, partners'
// objects), which get what is not about remote work.
func (f *Federation) useRemoteWork(p *projects.Service) {
	projectHandlers{projects: p, fetcher: f.Fetcher}.register(f.Processor)
	p.UseMessenger(&projectMessenger{baseURL: f.cfg.BaseURL(), clock: f.clock, queued: f.Delivery.Wake})
}
