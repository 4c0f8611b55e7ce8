package federation

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// eventCopies keeps the events that partner associations publish (Create,
// Update, Delete of an Event, Holon's or Mobilizon's) as copies, and takes
// the organisers' Accept and Reject of the Joins sent from here for local
// people (docs/vocabulary.md §4.5, §5.11). The inbox has checked that the
// activity's actor signed it and that the object lives on the actor's
// host; agenda checks that the actor is the event's association or
// organiser and that someone here follows the association (or takes part
// in the event). What is not about events goes on to the handler
// registered before.
type eventCopies struct {
	events  *agenda.Service
	fetcher interface {
		Get(ctx context.Context, rawURL string) (fetch.Document, error)
	}
}

func (h *eventCopies) register(p *inbox.Processor) {
	p.Handle("Create", h.keep(p.Handler("Create")))
	p.Handle("Update", h.keep(p.Handler("Update")))
	p.Handle("Delete", h.forget(p.Handler("Delete")))
	p.Handle("Accept", h.answer(true, p.Handler("Accept")))
	p.Handle("Reject", h.answer(false, p.Handler("Reject")))
}

// keep takes the Event a Create or Update carries. A refusal (not a
// partner's, not the actor's own, out of bounds) is settled: nothing is
// kept, and nothing retried.
func (h *eventCopies) keep(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		obj, ok := doc["object"].(map[string]any)
		if !ok || vocab.FirstType(obj["type"]) != "Event" {
			return orNothing(ctx, next, a, doc)
		}
		_, err := h.events.CacheEvent(ctx, a.Actor, remoteEventOf(obj))
		return settled(err)
	}
}

// forget deletes the copy of the event a Delete names (by its id or a
// Tombstone); the Delete of anything else goes on.
func (h *eventCopies) forget(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		id := vocab.IDOf(doc["object"])
		if id == "" || id == a.Actor {
			return orNothing(ctx, next, a, doc)
		}
		kept, err := h.events.ForgetEvent(ctx, a.Actor, id)
		if !kept && err == nil {
			return orNothing(ctx, next, a, doc)
		}
		return settled(err)
	}
}

// answer takes an organiser's Accept or Reject of a Join sent from here;
// a Reject's summary (or content) says why.
func (h *eventCopies) answer(accepted bool, next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		join := vocab.IDOf(doc["object"])
		if join == "" {
			return orNothing(ctx, next, a, doc)
		}
		reason := vocab.TextOf(doc["summary"])
		if reason == "" {
			reason = news.PlainText(vocab.TextOf(doc["content"]))
		}
		err := h.events.ReceiveJoinAnswer(ctx, a.Actor, join, accepted, reason)
		if errors.Is(err, agenda.ErrNotOurJoin) {
			return orNothing(ctx, next, a, doc)
		}
		return settled(err)
	}
}

// ResolveEvent finds a partner's event by its id, fetching it from its
// origin when it is not kept here yet: the document served at its id is
// what its association says.
func (f *Federation) ResolveEvent(ctx context.Context, uri string) (agenda.RemoteEvent, error) {
	if f.copies == nil {
		return agenda.RemoteEvent{}, agenda.ErrNoSuchRemoteEvent
	}
	if e, err := f.copies.events.RemoteEventByURI(ctx, uri); !errors.Is(err, agenda.ErrNoSuchRemoteEvent) {
		return e, err
	}
	if !core.IsHTTPURL(uri) {
		return agenda.RemoteEvent{}, agenda.ErrNoSuchRemoteEvent
	}
	doc, err := f.copies.fetcher.Get(ctx, uri)
	if err != nil {
		return agenda.RemoteEvent{}, fetchFailure(err)
	}
	obj, err := vocab.Parse(doc.Raw)
	if err != nil {
		return agenda.RemoteEvent{}, unfetchable(err)
	}
	if vocab.FirstType(obj["type"]) != "Event" {
		return agenda.RemoteEvent{}, agenda.ErrNoSuchRemoteEvent
	}
	obj["id"] = doc.URL // the id the fetcher checked the document was served from
	e := remoteEventOf(obj)
	if !core.SameHost(e.Association, e.URI) {
		return agenda.RemoteEvent{}, fmt.Errorf("resolve event %s: %w", uri, agenda.ErrNotEventOwner)
	}
	// The association may be unknown here: a person joins an event of an
	// association nobody here follows, from its address.
	if _, err := f.Resolver.Actor(ctx, e.Association); err != nil {
		return agenda.RemoteEvent{}, fmt.Errorf("resolve event %s: its association: %w", uri, err)
	}
	return f.copies.events.CacheAskedEvent(ctx, e.Association, e)
}

// remoteEventOf reads an Event as Holon and Mobilizon write it (§4.5):
// the association is its attributedTo (Holon's audience too), Mobilizon
// names the person organising it as its actor, its status as ical:status
// and its online link as the attachment named Website.
func remoteEventOf(obj map[string]any) agenda.RemoteEvent {
	e := agenda.RemoteEvent{
		URI:          vocab.IDOf(obj["id"]),
		URL:          urlOf(obj["url"]),
		Association:  vocab.IDOf(first(obj["attributedTo"])),
		Organiser:    vocab.IDOf(first(obj["actor"])),
		Name:         vocab.TextOf(obj["name"]),
		Summary:      news.PlainText(vocab.TextOf(obj["summary"])),
		Description:  sanitizedEvent(obj["content"]),
		Start:        instant(obj["startTime"]),
		End:          instant(obj["endTime"]),
		Timezone:     str(obj["timezone"]),
		OnlineLink:   websiteOf(obj["attachment"]),
		Capacity:     wholeNumber(obj["maximumAttendeeCapacity"]),
		Participants: wholeNumber(obj["participantCount"]),
		JoinMode:     str(obj["joinMode"]),
		Status:       str(obj[vocab.ICalStatus]),
		Category:     str(obj["category"]),
		Published:    instant(obj["published"]),
		Updated:      instant(obj["updated"]),
	}
	if e.Association == "" {
		e.Association = vocab.IDOf(obj["audience"])
	}
	if e.Status == "" {
		e.Status = str(obj["status"])
	}
	if place, ok := firstMap(obj["location"]); ok {
		p := agenda.Place{Name: vocab.TextOf(place["name"])}
		if addr, ok := firstMap(place["address"]); ok {
			p.StreetAddress, p.PostalCode = str(addr["streetAddress"]), str(addr["postalCode"])
			p.Locality, p.Region, p.Country = str(addr["addressLocality"]), str(addr["addressRegion"]), str(addr["addressCountry"])
		}
		at := place
		if geo, ok := firstMap(place["geo"]); ok && place["latitude"] == nil {
			at = geo
		}
		p.Latitude, p.Longitude = coordinate(at["latitude"]), coordinate(at["longitude"])
		e.Place = &p
	}
	// A few more tags than a copy keeps are read, not a peer's thousands:
	// agenda keeps the first ones that are tags here.
	for _, t := range list(obj["tag"]) {
		if len(e.Tags) > 4*agenda.MaxTags {
			break
		}
		if m, ok := t.(map[string]any); ok && hasType(m["type"], "Hashtag") {
			e.Tags = append(e.Tags, str(m["name"]))
		}
	}
	return e
}

// sanitizedEvent is an event's HTML description through the policy notes
// go through, or something agenda refuses when it is far over what a copy
// keeps.
func sanitizedEvent(v any) string {
	s := vocab.TextOf(v)
	if len(s) > 4*agenda.MaxRemoteDescription {
		return s[:agenda.MaxRemoteDescription+1]
	}
	return news.Sanitize(s)
}

// websiteOf is the online link of an event: the Link attachment named
// Website, as Mobilizon writes it.
func websiteOf(v any) string {
	for _, a := range list(v) {
		if m, ok := a.(map[string]any); ok && hasType(m["type"], "Link") && strings.EqualFold(str(m["name"]), "Website") {
			return str(m["href"])
		}
	}
	return ""
}

// wholeNumber reads a whole number; one that is not (negative, fractional, far
// too large) gives -1, which agenda refuses or clamps.
func wholeNumber(v any) int {
	switch n := v.(type) {
	case nil:
		return 0
	case float64:
		if n < 0 || n != math.Trunc(n) || n > 1e9 {
			return -1
		}
		return int(n)
	}
	return -1
}

// coordinate reads a latitude or longitude, a number or a numeric string
// as some servers write them; agenda checks its bounds.
func coordinate(v any) *float64 {
	switch n := v.(type) {
	case float64:
		return &n
	case string:
		var f float64
		if _, err := fmt.Sscan(n, &f); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return &f
		}
	}
	return nil
}

// participation sends the Join or Leave of an event elsewhere by a local
// person (§5.11) to the event's association, addressed to its organiser.
func (pb eventPublisher) participation(ctx context.Context, tx store.Tx, p agenda.Publication) error {
	e, part := p.Remote, p.Participation
	if e == nil || part == nil || part.Actor == "" {
		return fmt.Errorf("publish %s: no event elsewhere nor participant", p.Type)
	}
	from, err := tx.Actors().ByURI(ctx, part.Actor)
	if err != nil || !from.Local {
		return fmt.Errorf("publish %s of %s: %s is no local actor: %w", p.Type, e.URI, part.Actor, errors.Join(err, store.ErrNotFound))
	}
	to, ok := remoteInbox(ctx, tx, e.Association)
	if !ok {
		return fmt.Errorf("publish %s of %s: the association %s has no inbox known here", p.Type, e.URI, e.Association)
	}
	now := pb.clock.Now().UTC()
	id := part.JoinActivity
	if p.Type != "Join" || id == "" {
		id = pb.docs.baseURL + "/activities/" + uuid.Must(uuid.NewV7()).String()
	}
	doc := map[string]any{"@context": vocab.Context(), "id": id, "type": p.Type, "actor": part.Actor,
		"object": e.URI, "to": []string{e.Organiser}, "published": now.Format(time.RFC3339)}
	if e.Organiser != e.Association {
		doc["cc"] = []string{e.Association}
	}
	body, err := marshal(doc)
	if err != nil {
		return fmt.Errorf("publish %s of %s: %w", p.Type, e.URI, err)
	}
	if err := delivery.Enqueue(ctx, tx, id, from.Username, body, []string{to}, now); err != nil {
		return err
	}
	tx.AfterCommit(pb.queued)
	return nil
}
