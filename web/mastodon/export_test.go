package mastodon

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// The objects' functions have no routes of their own (the statuses and
// timelines routes call them): the tests in mastodon_test call them
// through these, on handlers built from an instance's services, and read
// their JSON as a client would.

func asJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func newHandlers(d Deps) *handlers {
	return &handlers{cfg: d.Config, members: d.Members, instance: d.Instance, icon: d.Icon, news: d.News,
		governance: d.Governance, projects: d.Projects, events: d.Events, fallbacks: d.Fallbacks}
}

func ObjectStatus(ctx context.Context, d Deps, viewer *membership.Account, id uuid.UUID) ([]byte, bool, error) {
	st, ok, err := newHandlers(d).objectStatus(ctx, viewer, id)
	return asJSON(st), ok, err
}

func AssociationStatuses(ctx context.Context, d Deps, viewer *membership.Account, actor uuid.UUID, r news.Range) ([]byte, error) {
	list, err := newHandlers(d).associationStatuses(ctx, viewer, actor, r)
	return asJSON(list), err
}

func HomeObjectStatuses(ctx context.Context, d Deps, viewer *membership.Account, r news.Range) ([]byte, error) {
	list, err := newHandlers(d).homeObjectStatuses(ctx, viewer, r)
	return asJSON(list), err
}

func ObjectContext(ctx context.Context, d Deps, viewer *membership.Account, id uuid.UUID) ([]byte, bool, error) {
	c, ok, err := newHandlers(d).objectContext(ctx, viewer, id)
	return asJSON(c), ok, err
}
