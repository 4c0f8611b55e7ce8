package federation

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// partnerObjects keeps the projects and tasks that partner associations
// publish (Create, Update, Delete), as structured copies for the network
// catalogue. The inbox has checked that the activity's actor signed it and
// that the object's id is on the actor's host; core checks that the
// object is the association's own and that someone here follows it.
//
// An embedded object is trusted only when the association itself sends
// it. Sent by another actor of its host (a member relaying it), or named
// only by its id, it is fetched from its origin, whose answer is what the
// association says.
type partnerObjects struct {
	projects *projects.Service // nil until the projects are wired: nothing is kept
	fetcher  interface {
		Get(ctx context.Context, rawURL string) (fetch.Document, error)
	}
}

// isPartnerObject tells the objects partnerObjects keeps: Holon's projects
// and tasks, whose type comes first (docs/vocabulary.md §2).
func isPartnerObject(t any) bool {
	switch vocab.FirstType(t) {
	case "Project", "Task":
		return true
	}
	return false
}

// active reports whether partners' objects are kept here.
func (h *partnerObjects) active() bool { return h != nil && h.projects != nil }

// receive keeps the project or task obj that a Create or Update carries.
func (h *partnerObjects) receive(ctx context.Context, a store.InboxActivity, obj map[string]any) error {
	id := vocab.IDOf(obj["id"])
	if id == "" {
		return nil
	}
	if vocab.IDOf(obj["audience"]) != a.Actor {
		fetched, err := h.fetch(ctx, id)
		if err != nil {
			return settled(err)
		}
		obj = fetched
	}
	return settled(h.keep(ctx, obj))
}

// keep stores obj, a document the association vouches for (sent by it, or
// served from its id): the association is its audience.
func (h *partnerObjects) keep(ctx context.Context, obj map[string]any) error {
	from := vocab.IDOf(obj["audience"])
	switch vocab.FirstType(obj["type"]) {
	case "Project":
		_, err := h.projects.CacheProject(ctx, from, remoteProjectOf(obj))
		return err
	case "Task":
		t, err := h.projects.CacheTask(ctx, from, remoteTaskOf(obj))
		if err != nil || t.ProjectID != nil {
			return err
		}
		// The task's project is not kept yet: ask its origin once. The
		// task stays kept whatever the answer.
		if p, err := h.fetch(ctx, t.ProjectURI); err == nil && vocab.FirstType(p["type"]) == "Project" {
			_, _ = h.projects.CacheProject(ctx, vocab.IDOf(p["audience"]), remoteProjectOf(p))
		}
		return nil
	}
	return nil
}

// forget deletes the copy of the project or task id when the association
// it belongs to deletes it. It reports whether id was a kept object.
func (h *partnerObjects) forget(ctx context.Context, a store.InboxActivity, id string) (bool, error) {
	kept, err := h.projects.IsKept(ctx, id)
	if err != nil || !kept {
		return false, err
	}
	return true, settled(h.projects.ForgetRemote(ctx, a.Actor, id))
}

// fetch reads the project or task uri from its origin.
func (h *partnerObjects) fetch(ctx context.Context, uri string) (map[string]any, error) {
	if !core.IsHTTPURL(uri) {
		return nil, unfetchable(fmt.Errorf("%q is not an address", uri))
	}
	doc, err := h.fetcher.Get(ctx, uri)
	if err != nil {
		return nil, fetchFailure(err)
	}
	obj, err := vocab.Parse(doc.Raw)
	if err != nil {
		return nil, unfetchable(err)
	}
	if !isPartnerObject(obj["type"]) {
		return nil, unfetchable(fmt.Errorf("%s is a %v, not a project or a task", doc.URL, obj["type"]))
	}
	obj["id"] = doc.URL // the id the fetcher checked the document was served from
	return obj, nil
}

func remoteProjectOf(obj map[string]any) projects.RemoteProject {
	p := projects.RemoteProject{
		URI:         vocab.IDOf(obj["id"]),
		Association: vocab.IDOf(obj["audience"]),
		Holder:      vocab.IDOf(first(obj["attributedTo"])),
		Name:        vocab.TextOf(obj["name"]),
		Summary:     vocab.TextOf(obj["summary"]),
		Description: sanitized(obj["content"]),
		Status:      str(obj["status"]),
		URL:         urlOf(obj["url"]),
		Published:   instant(obj["published"]),
		Updated:     instant(obj["updated"]),
	}
	p.Goal, p.Currency = amountOf(obj["goal"])
	if lic := vocab.IDOf(obj["license"]); lic != "" {
		p.Licence = spdxOf(lic)
	}
	if place, ok := first(obj["location"]).(map[string]any); ok {
		p.Place = vocab.TextOf(place["name"])
		if p.Place == "" {
			if addr, ok := place["address"].(map[string]any); ok {
				p.Place = str(addr["addressLocality"])
			}
		}
	}
	for i, t := range list(obj["tag"]) {
		if i == projects.MaxTags {
			break
		}
		if m, ok := t.(map[string]any); ok && hasType(m["type"], "Hashtag") {
			p.Tags = append(p.Tags, str(m["name"]))
		}
	}
	if p.URL == "" {
		p.URL = p.URI
	}
	return p
}

func remoteTaskOf(obj map[string]any) projects.RemoteTask {
	t := projects.RemoteTask{
		URI:         vocab.IDOf(obj["id"]),
		Association: vocab.IDOf(obj["audience"]),
		ProjectURI:  vocab.IDOf(first(obj["context"])),
		Name:        vocab.TextOf(obj["name"]),
		Summary:     vocab.TextOf(obj["summary"]),
		Description: sanitized(obj["content"]),
		Category:    str(obj["category"]),
		Status:      str(obj["status"]),
		ReservedBy:  vocab.IDOf(obj["reservedBy"]),
		CompletedBy: vocab.IDOf(obj["completedBy"]),
		URL:         urlOf(obj["url"]),
		Published:   instant(obj["published"]),
		Updated:     instant(obj["updated"]),
	}
	t.Budget, t.Currency = amountOf(obj["budget"])
	t.Effort, _ = xsdDuration(obj["effort"])
	t.MaxReservation, _ = xsdDuration(obj["maxReservation"])
	// Lists are bounded by core; reading at most one more than it keeps
	// lets it say so instead of reading a peer's ten thousand entries.
	for i, c := range list(obj["doneCriteria"]) {
		if i > projects.MaxCriteria {
			break
		}
		t.DoneCriteria = append(t.DoneCriteria, str(c))
	}
	for _, r := range list(obj["reviewers"]) {
		if len(t.Reviewers) > projects.MaxReviewers {
			break
		}
		if id := vocab.IDOf(r); id != "" {
			t.Reviewers = append(t.Reviewers, id)
		}
	}
	if until := instant(obj["reservedUntil"]); !until.IsZero() {
		t.ReservedUntil = &until
	}
	if t.URL == "" {
		t.URL = t.URI
	}
	return t
}

// sanitized is an object's HTML content through the policy notes go
// through, or "" when it is far over what a copy keeps (core refuses what
// is still too long once sanitised).
func sanitized(v any) string {
	s := vocab.TextOf(v)
	if len(s) > 4*projects.MaxRemoteContent {
		return s[:projects.MaxRemoteContent+1] // refused by core as too long
	}
	return news.Sanitize(s)
}

// amountOf reads a MonetaryAmount as minor units; a value that does not
// have its currency's scale gives -1, which core refuses.
func amountOf(v any) (int64, string) {
	m, ok := v.(map[string]any)
	if !ok {
		return 0, ""
	}
	cur, value := str(m["currency"]), str(m["value"])
	// Exactly the currency's decimals, as the vocabulary writes amounts
	// (docs/vocabulary.md §2.1): a peer that writes otherwise may have
	// meant minor units, and a copy off by a factor of 100 is worse than
	// none.
	_, frac, dot := strings.Cut(value, ".")
	if scale := money.Scale(cur); len(frac) != scale || (scale == 0 && dot) {
		return -1, cur
	}
	n, err := money.Parse(value, cur)
	if err != nil {
		return -1, cur
	}
	return n, cur
}

// spdxOf reads the SPDX identifier of a licence page
// (https://spdx.org/licenses/MIT.html).
func spdxOf(page string) string {
	m := spdxPage.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return m[1]
}

var spdxPage = regexp.MustCompile(`^https://spdx\.org/licenses/([A-Za-z0-9.+-]{1,64})\.html$`)

// xsdDuration reads an xsd:duration as Holon writes it (years of 365 days,
// months of 30, as the generated code does), with few enough digits that
// no sum overflows.
func xsdDuration(v any) (time.Duration, bool) {
	m := xsdDurationShape.FindStringSubmatch(str(v))
	if m == nil || m[0] == "P" || m[0] == "PT" {
		return 0, false
	}
	units := []time.Duration{8760 * time.Hour, 720 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second}
	var d time.Duration
	for i, u := range units {
		if m[i+1] != "" {
			n, _ := strconv.ParseInt(m[i+1], 10, 64)
			d += time.Duration(n) * u
		}
	}
	return d, true
}

var xsdDurationShape = regexp.MustCompile(`^P(?:(\d{1,2})Y)?(?:(\d{1,3})M)?(?:(\d{1,4})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,7})M)?(?:(\d{1,9})S)?)?$`)

func str(v any) string {
	s, _ := v.(string)
	return s
}

func first(v any) any {
	if l := list(v); len(l) > 0 {
		return l[0]
	}
	return nil
}
