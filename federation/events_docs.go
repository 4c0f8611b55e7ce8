package federation

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

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
			Summary: clip(eventLine(e, d.locale), vocab.MaxSummaryLength), Content: paragraphsOf(e.Description),
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
	return objectDoc{obj: doc, owner: o, updated: f.Updated, name: f.Name, summary: f.Summary}, nil
}

// wireJoinMode is Mobilizon's name of a join mode: approval is
// "restricted".
func wireJoinMode(mode string) string {
	if mode == agenda.JoinApproval {
		return "restricted"
	}
	return "free"
}

// eventLine is the summary of an event in the language locale ("en" or
// "fr"): "Saturday 12 April 2025, 14:00 to 18:00 (Europe/Paris), Lot
// behind the school, Lyon. 18 places left."
func eventLine(e agenda.Event, locale string) string {
	w := eventWords[locale]
	if w.to == "" {
		w = eventWords["en"]
	}
	loc := e.Location()
	start, end := e.Start.In(loc), e.End.In(loc)
	when := w.date(start) + ", " + w.clock(start) + " " + w.to + " "
	if start.Format("2006-01-02") != end.Format("2006-01-02") {
		when += w.date(end) + ", "
	}
	s := when + w.clock(end) + " (" + e.Timezone + ")"
	switch {
	case e.Place != nil:
		for _, part := range []string{line(e.Place.Name, vocab.MaxNameLength), line(e.Place.Locality, vocab.MaxNameLength)} {
			if part != "" {
				s += ", " + part
			}
		}
	case e.OnlineLink != "":
		s += ", " + w.online
	}
	s += "."
	switch e.Status {
	case agenda.StatusCancelled:
		return w.cancelled + s
	case agenda.StatusTentative:
		s = w.tentative + s
	}
	if left, ok := e.Remaining(); ok {
		switch left {
		case 0:
			s += " " + w.full
		case 1:
			s += " " + w.oneLeft
		default:
			s += " " + fmt.Sprintf(w.left, left)
		}
	}
	if e.JoinMode == agenda.JoinApproval {
		s += " " + w.approval
	}
	return s
}

// eventSentences are the words of an event's summary in one language.
type eventSentences struct {
	days, months                           []string
	to, online, cancelled, tentative, full string
	oneLeft, left, approval, clockFmt      string
}

var eventWords = map[string]eventSentences{
	"en": {days: []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		months: []string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
			"October", "November", "December"},
		to: "to", online: "online", cancelled: "Cancelled: ", tentative: "To be confirmed: ",
		full: "Full; a waiting list is open.", oneLeft: "1 place left.", left: "%d places left.",
		approval: "Participation on approval.", clockFmt: "15:04"},
	"fr": {days: []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
		months: []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
			"octobre", "novembre", "décembre"},
		to: "à", online: "en ligne", cancelled: "Annulé\u00a0: ", tentative: "À confirmer\u00a0: ",
		full: "Complet\u202f; une liste d’attente est ouverte.", oneLeft: "1 place restante.", left: "%d places restantes.",
		approval: "Participation sur validation.", clockFmt: "15\u00a0h\u00a004"},
}

// date writes "Saturday 12 April 2025" ("samedi 12 avril 2025").
func (w eventSentences) date(t time.Time) string {
	return fmt.Sprintf("%s %d %s %d", w.days[t.Weekday()], t.Day(), w.months[t.Month()-1], t.Year())
}

func (w eventSentences) clock(t time.Time) string { return t.Format(w.clockFmt) }

// clip cuts s to max characters. Unlike line it keeps the no-break spaces
// of French typography: the summary's words are ours, and what a person
// typed in it (the place) is already made a line.
func clip(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return strings.TrimSpace(string(r[:max-1])) + "…"
}
