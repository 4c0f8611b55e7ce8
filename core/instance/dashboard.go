package instance

import (
	"context"
	"fmt"
	"time"

	"github.com/holon-network/holon/store"
)

// Bounds on the dashboard's lists, and how far back a host's failure
// makes it failing.
const (
	MaxFailingHosts = 50
	MaxKnownHosts   = 50
	FailingWindow   = 24 * time.Hour
)

// Dashboard is what admins see of the instance at a glance.
type Dashboard struct {
	store.Overview
	FailingHosts []store.FailingHost
	KnownHosts   []store.KnownHost
}

// Dashboard counts accounts, associations, notes and known instances, and
// shows the federation's health: the delivery queue, the retries, the
// deliveries given up, the hosts failing and the received activities whose
// processing failed.
func (s *Service) Dashboard(ctx context.Context, by Admin) (Dashboard, error) {
	_ = by // holding an Admin is the permission
	now := s.clock.Now().UTC()
	var d Dashboard
	var err error
	if d.Overview, err = s.db.Overview(ctx); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	if d.FailingHosts, err = s.db.FailingHosts(ctx, now.Add(-FailingWindow), now, MaxFailingHosts); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	if d.KnownHosts, err = s.db.KnownHosts(ctx, MaxKnownHosts); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	if d.FailingHosts == nil {
		d.FailingHosts = []store.FailingHost{}
	}
	if d.KnownHosts == nil {
		d.KnownHosts = []store.KnownHost{}
	}
	return d, nil
}

// Usage counts what the instance tells the public about itself: its
// accounts, local notes and known instances.
func (s *Service) Usage(ctx context.Context) (store.Overview, error) {
	o, err := s.db.Overview(ctx)
	if err != nil {
		return store.Overview{}, fmt.Errorf("usage: %w", err)
	}
	return o, nil
}
