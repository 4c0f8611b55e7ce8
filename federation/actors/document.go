package actors

import (
	"html"
	"strings"
	"time"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/vocab"
)

// LocalDocument is the ActivityPub document of a local actor, as every
// peer reads it: Mastodon's shape (one publicKey object, endpoints with the
// shared inbox, the collections, profile fields as PropertyValue
// attachments, the avatar as an Image icon), with Holon's fixed inline
// context. The summary is plain text, rendered as escaped HTML paragraphs.
func LocalDocument(a membership.Actor, p membership.Profile, baseURL string) map[string]any {
	doc := map[string]any{
		"@context":          vocab.Context(),
		"id":                a.URI,
		"type":              a.Kind,
		"preferredUsername": a.Username,
		"inbox":             a.URI + "/inbox",
		"outbox":            a.URI + "/outbox",
		"followers":         a.URI + "/followers",
		"following":         a.URI + "/following",
		"endpoints":         map[string]any{"sharedInbox": baseURL + "/inbox"},
		"publicKey": map[string]any{
			"id":           a.KeyID,
			"owner":        a.URI,
			"publicKeyPem": a.PublicKeyPEM,
		},
		"manuallyApprovesFollowers": p.ManuallyApprovesFollowers,
		"published":                 a.CreatedAt.UTC().Format(time.RFC3339),
	}
	if a.ProfileUpdatedAt != nil {
		// To the microsecond: two changes within a second must still be
		// told apart by whoever receives their Updates out of order.
		doc["updated"] = a.ProfileUpdatedAt.UTC().Format(updatedLayout)
	}
	if a.IconURL != "" {
		doc["icon"] = map[string]any{"type": "Image", "mediaType": a.IconMediaType, "url": a.IconURL}
	}
	if a.Kind == membership.ActorApplication {
		// The instance actor has no profile page and follows nobody.
		doc["url"] = baseURL + "/"
		doc["name"] = p.DisplayName
		return doc
	}
	doc["url"] = baseURL + "/@" + a.Username
	doc["featured"] = a.URI + "/featured"
	doc["discoverable"] = true
	doc["name"] = p.DisplayName
	doc["summary"] = paragraphs(p.Summary)
	attachment := make([]any, 0, len(a.Fields))
	for _, f := range a.Fields {
		attachment = append(attachment, map[string]any{"type": "PropertyValue", "name": f.Name, "value": f.HTML})
	}
	doc["attachment"] = attachment
	if a.Kind == membership.ActorGroup {
		// An association's ledger: ActivityStreams' streams lists an
		// actor's supplementary collections.
		doc["streams"] = []string{a.URI + "/ledger"}
		if l := p.Location; l != nil {
			if place, ok := locationDocument(*l); ok {
				doc["location"] = place
			}
		}
	}
	return doc
}

// locationDocument is an association's location as a Place with its
// PostalAddress, as Mobilizon's Group and our Event documents write it
// (docs/vocabulary.md §4.5). A location that does not build (it was
// checked when set) is left out rather than failing the whole actor.
func locationDocument(l membership.Location) (map[string]any, bool) {
	p := vocab.Place{Name: l.PlaceName, Latitude: l.Latitude, Longitude: l.Longitude}
	if l.Locality != "" || l.Country != "" {
		p.Address = &vocab.PostalAddress{Locality: l.Locality, Country: l.Country}
	}
	doc, err := vocab.PlaceDocument(p)
	return doc, err == nil
}

// updatedLayout is RFC 3339 with microseconds, what both databases keep.
const updatedLayout = "2006-01-02T15:04:05.000000Z07:00"

// Tombstone is what stays of a deleted local actor at its id, served with
// 410 Gone.
func Tombstone(a membership.Actor) map[string]any {
	t := map[string]any{"@context": vocab.Context(), "id": a.URI, "type": "Tombstone", "formerType": a.Kind}
	if a.DeletedAt != nil {
		t["deleted"] = a.DeletedAt.UTC().Format(time.RFC3339)
	}
	return t
}

// paragraphs renders plain text as HTML paragraphs, escaped, as Mastodon
// expects a summary to be.
func paragraphs(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}
