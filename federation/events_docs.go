package federation

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// event builds an event's document (docs/vocabulary.md §4.5): an Event with
// Mobilizon's and FEP-8a8e's terms, attributed to its association, whose
// summary tells a Mastodon user (who sees only the name, the summary and
// the link) the date, the time with its zone, the place and the places
// left.
func (d objectDocs) event(ctx context.Context, tx store.Tx, e agenda.Event) (objectDoc, error) {
	o, err := d.owner(ctx, tx, e.AssociationID)
	if err != nil {
		return objectDoc{}, err
	}
	to, cc := addressed(o)
	uri := e.URI
	if uri == "" {
		uri = d.uri("events", e.ID)
	}
	f := vocab.EventFields{
		Object: vocab.Object{ID: uri, Name: line(e.Name, vocab.MaxNameLength),
			Summary: line(eventLine(e), vocab.MaxSummaryLength), Content: paragraphsOf(e.Description),
			AttributedTo: o.actor.URI, Audience: o.actor.URI, Published: e.CreatedAt,
			Updated: later(e.UpdatedAt, e.CreatedAt), To: to, Cc: cc},
		Start: e.Start, End: e.End, TimeZone: e.Timezone, OnlineURL: e.OnlineLink,
		Capacity: e.Capacity, Participants: e.Participants,
		JoinMode: wireJoinMode(e.JoinMode), Status: strings.ToUpper(e.Status), Category: e.Category,
	}
	if e.Capacity > 0 && f.Participants > e.Capacity {
		f.Participants = e.Capacity // never more than the capacity on the wire
	}
	if p := e.Place; p != nil {
		f.Place = &vocab.Place{Name: line(p.Name, vocab.MaxNameLength), Latitude: p.Latitude, Longitude: p.Longitude}
		if p.StreetAddress != "" || p.PostalCode != "" || p.Locality != "" || p.Region != "" || p.Country != "" {
			f.Place.Address = &vocab.PostalAddress{Street: p.StreetAddress, PostalCode: p.PostalCode,
				Locality: p.Locality, Region: p.Region, Country: p.Country}
		}
	}
	for _, t := range e.Tags {
		f.Tags = append(f.Tags, vocab.Hashtag{Name: "#" + t, Href: d.baseURL + "/tags/" + url.PathEscape(t)})
	}
	doc, err := vocab.NewEvent(f)
	if err != nil {
		return objectDoc{}, fmt.Errorf("document of event %s: %w", e.ID, err)
	}
	return objectDoc{obj: doc, owner: o, updated: f.Updated}, nil
}

// wireJoinMode is Mobilizon's name of a join mode: approval is
// "restricted".
func wireJoinMode(mode string) string {
	if mode == agenda.JoinApproval {
		return "restricted"
	}
	return "free"
}

// eventLine is the summary of an event, in the instance's language
// (English): "Saturday 12 April 2025, 14:00 to 18:00 (Europe/Paris), Lot
// behind the school, Lyon. 18 places left."
func eventLine(e agenda.Event) string {
	loc := e.Location()
	start, end := e.Start.In(loc), e.End.In(loc)
	when := start.Format("Monday 2 January 2006, 15:04") + " to "
	if start.Format("2006-01-02") == end.Format("2006-01-02") {
		when += end.Format("15:04")
	} else {
		when += end.Format("Monday 2 January 2006, 15:04")
	}
	s := when + " (" + e.Timezone + ")"
	switch {
	case e.Place != nil:
		for _, part := range []string{e.Place.Name, e.Place.Locality} {
			if part != "" {
				s += ", " + part
			}
		}
	case e.OnlineLink != "":
		s += ", online"
	}
	s += "."
	if e.Status == agenda.StatusCancelled {
		return "Cancelled: " + s
	}
	if e.Status == agenda.StatusTentative {
		s = "To be confirmed: " + s
	}
	if left, ok := e.Remaining(); ok {
		switch left {
		case 0:
			s += " Full; a waiting list is open."
		case 1:
			s += " 1 place left."
		default:
			s += fmt.Sprintf(" %d places left.", left)
		}
	}
	if e.JoinMode == agenda.JoinApproval {
		s += " Participation on approval."
	}
	return s
}
