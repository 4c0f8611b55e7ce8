package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/relays"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// UseRelays wires relay subscriptions (core/relays) into the federation,
// in the shape of Mastodon's relays (FEP-ae0c): the instance actor's
// Follow of as:Public to the relay's inbox and its Undo; the relay's
// Accept or Reject of that Follow; the Announces by which an accepted
// relay passes on its other subscribers' public posts. (Local public posts
// go to accepted relays' inboxes with every Create, Update and Delete: see
// relayInboxes.) Call it once, before the Processor runs.
func (f *Federation) UseRelays(r *relays.Service, members *membership.Service, notes *news.Service) {
	r.UseFederation(relayWire{f: f, members: members})
	h := relayHandlers{relays: r, notes: notes, fetcher: f.Fetcher, actors: f.Resolver, f: f}
	p := f.Processor
	p.Handle("Accept", h.answer(true, p.Handler("Accept")))
	p.Handle("Reject", h.answer(false, p.Handler("Reject")))
	p.Handle("Announce", h.announce(p.Handler("Announce")))
}

// relayWire sends the subscription's activities (relays.Federation).
type relayWire struct {
	f       *Federation
	members *membership.Service
}

// Locate implements relays.Federation: the relay's actor document, fetched
// signed through the guarded fetcher, names its inbox.
func (w relayWire) Locate(ctx context.Context, actorURL string) (string, string, error) {
	doc, err := w.f.Fetcher.Get(ctx, actorURL)
	if err != nil {
		return "", "", fmt.Errorf("%w: %v", relays.ErrUnreachable, err)
	}
	obj, err := vocab.Parse(doc.Raw)
	if err != nil {
		return "", "", fmt.Errorf("%w: %v", relays.ErrUnreachable, err)
	}
	inbox, _ := obj["inbox"].(string)
	if !core.IsHTTPURL(inbox) {
		return "", "", fmt.Errorf("%w: %s names no inbox", relays.ErrUnreachable, doc.URL)
	}
	return inbox, doc.URL, nil
}

// Follow implements relays.Federation: Mastodon's subscription, a Follow
// of the Public collection from the instance actor.
func (w relayWire) Follow(ctx context.Context, tx store.Tx, r store.Relay) error {
	return w.send(ctx, tx, r, func(instance membership.Actor) map[string]any {
		return map[string]any{"@context": vocab.Context(), "id": r.FollowActivityID, "type": "Follow",
			"actor": instance.URI, "object": vocab.PublicAudience}
	})
}

// Unfollow implements relays.Federation: the Undo of the Follow, embedded.
func (w relayWire) Unfollow(ctx context.Context, tx store.Tx, r store.Relay) error {
	return w.send(ctx, tx, r, func(instance membership.Actor) map[string]any {
		return map[string]any{"@context": vocab.Context(), "id": w.f.cfg.BaseURL() + "/activities/" + uuid.Must(uuid.NewV7()).String(),
			"type": "Undo", "actor": instance.URI, "object": map[string]any{
				"id": r.FollowActivityID, "type": "Follow", "actor": instance.URI, "object": vocab.PublicAudience}}
	})
}

// Prepare implements relays.Federation.
func (w relayWire) Prepare(ctx context.Context) error {
	_, err := w.members.EnsureInstanceActor(ctx)
	return err
}

func (w relayWire) send(ctx context.Context, tx store.Tx, r store.Relay, build func(membership.Actor) map[string]any) error {
	row, err := tx.Actors().Local(ctx, w.f.cfg.Server.Host)
	if err != nil {
		return fmt.Errorf("the instance actor: %w", err)
	}
	instance := membership.Actor{URI: row.URI, Username: row.Username}
	doc := build(instance)
	body, err := marshal(doc)
	if err != nil {
		return fmt.Errorf("relay %s: %w", doc["type"], err)
	}
	if err := delivery.Enqueue(ctx, tx, doc["id"].(string), instance.Username, body, []string{r.Inbox}, w.f.clock.Now()); err != nil {
		return err
	}
	tx.AfterCommit(w.f.Delivery.Wake)
	return nil
}

// relayInboxes adds the accepted relays' inboxes to those of a public
// note's Create, Update or Delete, as Mastodon delivers public statuses to
// its relays. Unlisted, followers-only and direct notes, and reactions,
// are never relayed.
func relayInboxes(ctx context.Context, tx store.Tx, p news.Publication) ([]string, error) {
	if p.Note.Visibility != news.Public || !p.Note.Author.Local {
		return p.Inboxes, nil
	}
	switch p.Type {
	case "Create", "Update", "Delete":
	default:
		return p.Inboxes, nil
	}
	extra, err := tx.Relays().AcceptedInboxes(ctx)
	if err != nil || len(extra) == 0 {
		return p.Inboxes, err
	}
	return append(slices.Clone(p.Inboxes), extra...), nil
}

// relayHandlers handle what relays send.
type relayHandlers struct {
	relays  *relays.Service
	notes   *news.Service
	fetcher interface {
		Get(ctx context.Context, rawURL string) (fetch.Document, error)
	}
	actors interface {
		Actor(ctx context.Context, uri string) (membership.Actor, error)
	}
	f *Federation
}

// answer handles an Accept or Reject: of a relay subscription when it
// names one of our relay Follows (by id, or embedded), else as next does.
func (h relayHandlers) answer(accepted bool, next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		handled, err := h.relays.ReceiveAnswer(ctx, a.Actor, vocab.IDOf(doc["object"]), accepted)
		if handled {
			if err != nil && core.KindOf(err) != 0 {
				h.f.log.Info().Err(err).Str("activity", a.ActivityID).Msg("relay answer refused")
			}
			return settled(err)
		}
		if err != nil || next == nil {
			return err
		}
		return next(ctx, a, doc)
	}
}

// relayedTypes are the objects taken in from relays, as notes: Mastodon's
// Note, Articles and Pages, polls (Question) and Mobilizon's Events, whose
// text and title are kept (their options and dates are not, yet).
var relayedTypes = []string{"Note", "Article", "Page", "Question", "Event"}

// announce handles an Announce: from a subscribed relay, it passes on one
// public post (named by its id, embedded, or the Create of it embedded);
// from a relay that has not accepted our subscription, it is refused;
// from anyone else, it is next's (a boost).
func (h relayHandlers) announce(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		relay, err := h.relays.Sender(ctx, a.Actor)
		switch {
		case errors.Is(err, relays.ErrNoSuchRelay):
			if next == nil {
				return nil
			}
			return next(ctx, a, doc)
		case errors.Is(err, relays.ErrNotAccepted):
			h.f.log.Info().Str("relay", relay.Inbox).Str("state", relay.State).Str("activity", a.ActivityID).
				Msg("announce from a relay that has not accepted the subscription refused")
			return nil
		case err != nil:
			return err
		}
		object := doc["object"]
		if inner, ok := object.(map[string]any); ok {
			if _, isActivity := inner["actor"]; isActivity {
				// An activity embedded: one level, and only its object's id.
				id := vocab.IDOf(inner["object"])
				switch vocab.FirstType(inner["type"]) {
				case "Create":
					object = id
				case "Update":
					_, err := h.notes.ReceiveRelayedUpdate(ctx, id)
					return settled(err)
				case "Delete":
					return settled(h.notes.ReceiveRelayedDelete(ctx, id))
				default:
					return nil
				}
			}
		}
		uri := vocab.IDOf(object)
		if !core.IsHTTPURL(uri) {
			return nil
		}
		in, err := h.fetchRelayed(ctx, uri)
		if err != nil {
			return settled(err)
		}
		_, err = h.notes.ReceiveRelayed(ctx, relay.ID, in)
		return settled(err)
	}
}

// fetchRelayed fetches the post uri from its origin (the relay's copy, if
// any, is never trusted): a Note, Article, Page, Question or Event
// attributed to an actor of its own host, who is resolved and stored. An
// activity's id (some relays announce the Create) is followed one level,
// to its object on the same host.
func (h relayHandlers) fetchRelayed(ctx context.Context, uri string) (news.RemoteNote, error) {
	for hops := 0; ; hops++ {
		doc, err := h.fetcher.Get(ctx, uri)
		if err != nil {
			return news.RemoteNote{}, fetchFailure(err)
		}
		obj, err := vocab.Parse(doc.Raw)
		if err != nil {
			return news.RemoteNote{}, unfetchable(err)
		}
		t := obj["type"]
		if hasType(t, "Create") && hops == 0 {
			next := vocab.IDOf(obj["object"])
			if !core.SameHost(next, doc.URL) {
				return news.RemoteNote{}, unfetchable(fmt.Errorf("%s creates %q, not an object of its host", doc.URL, next))
			}
			uri = next
			continue
		}
		if !slices.ContainsFunc(relayedTypes, func(want string) bool { return hasType(t, want) }) {
			return news.RemoteNote{}, fmt.Errorf("%s is a %v: %w", doc.URL, t, news.ErrNotANote)
		}
		n := remoteNote(obj, nil, "")
		n.URI = doc.URL
		if n.AttributedTo == "" {
			n.AttributedTo = vocab.IDOf(obj["actor"])
		}
		if !core.IsHTTPURL(n.AttributedTo) || !core.SameHost(n.AttributedTo, n.URI) {
			return news.RemoteNote{}, unfetchable(fmt.Errorf("%s is attributed to %q, not to an actor of its host", n.URI, n.AttributedTo))
		}
		if _, err := h.actors.Actor(ctx, n.AttributedTo); err != nil {
			if core.KindOf(err) == core.KindUnavailable {
				return news.RemoteNote{}, fmt.Errorf("author of %s: %s", n.URI, err.Error())
			}
			return news.RemoteNote{}, fmt.Errorf("author of %s: %w", n.URI, err)
		}
		return n, nil
	}
}
