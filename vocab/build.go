package vocab

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/holon-network/holon/vocab/streams"
	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// ErrInvalidObject reports a builder's input that would not give a document
// peers can read as docs/vocabulary.md says.
var ErrInvalidObject = errors.New("invalid object")

// Limits of the plain-text lines every object carries, so that they stay
// lines: Mastodon shows the name and summary of a converted object whole.
const (
	MaxNameLength    = 200
	MaxSummaryLength = 500
)

// Object holds what every Holon object carries on the wire. The domain
// builders below (NewProject, NewTask…) embed it.
//
// Name and Summary are plain text (Mastodon escapes HTML in them); Summary
// is the one line a person reads first: budget, deadline, phase, place.
// Content is HTML the caller has already sanitised.
type Object struct {
	ID           string // the object's IRI, https://{host}/{kind}/{id}
	URL          string // its HTML page; ID when empty (Holon serves both there)
	Name         string
	Summary      string
	Content      string
	AttributedTo string    // who is responsible for it: holder, author, donor…
	Audience     string    // the association it belongs to (FEP-1b12)
	Context      string    // its parent: a task's project, a submission's task
	Published    time.Time // zero: omitted
	Updated      time.Time // zero: omitted; Mastodon applies an Update only when it is later
	To, Cc       []string
}

// objectSetters are the generated setters every object type has.
type objectSetters interface {
	GetJSONLDType() streamsvocab.JSONLDTypeProperty
	SetJSONLDId(streamsvocab.JSONLDIdProperty)
	SetActivityStreamsName(streamsvocab.ActivityStreamsNameProperty)
	SetActivityStreamsSummary(streamsvocab.ActivityStreamsSummaryProperty)
	SetActivityStreamsContent(streamsvocab.ActivityStreamsContentProperty)
	SetActivityStreamsUrl(streamsvocab.ActivityStreamsUrlProperty)
	SetActivityStreamsAttributedTo(streamsvocab.ActivityStreamsAttributedToProperty)
	SetActivityStreamsAudience(streamsvocab.ActivityStreamsAudienceProperty)
	SetActivityStreamsContext(streamsvocab.ActivityStreamsContextProperty)
	SetActivityStreamsPublished(streamsvocab.ActivityStreamsPublishedProperty)
	SetActivityStreamsUpdated(streamsvocab.ActivityStreamsUpdatedProperty)
	SetActivityStreamsTo(streamsvocab.ActivityStreamsToProperty)
	SetActivityStreamsCc(streamsvocab.ActivityStreamsCcProperty)
}

// objectRules says what one kind of object requires.
type objectRules struct {
	kind      string // for errors: "task"
	fallback  string // a core type Mastodon renders, written second; "" for none
	noID      bool   // the object may have no id (a Reservation inside an Offer)
	noURL     bool   // the object has no page of its own
	noText    bool   // name and summary are optional (embedded helpers)
	noSummary bool   // the object carries no summary (a Question, see NewProposal)
}

// setObject checks o against rules and sets it on t.
func setObject(t objectSetters, o Object, r objectRules) error {
	if r.fallback != "" {
		t.GetJSONLDType().AppendXMLSchemaString(r.fallback)
	}
	if o.ID != "" || !r.noID {
		u, err := absoluteIRI(r.kind, "id", o.ID)
		if err != nil {
			return err
		}
		p := streams.NewJSONLDIdProperty()
		p.SetIRI(u)
		t.SetJSONLDId(p)
	}
	if !r.noText || o.Name != "" || o.Summary != "" {
		if err := plainLine(r.kind, "name", o.Name, MaxNameLength); err != nil {
			return err
		}
		t.SetActivityStreamsName(nameProp(o.Name))
	}
	if !r.noSummary && (!r.noText || o.Summary != "") {
		if err := plainLine(r.kind, "summary", o.Summary, MaxSummaryLength); err != nil {
			return err
		}
		s := streams.NewActivityStreamsSummaryProperty()
		s.AppendXMLSchemaString(o.Summary)
		t.SetActivityStreamsSummary(s)
	}
	if o.Content != "" {
		c := streams.NewActivityStreamsContentProperty()
		c.AppendXMLSchemaString(o.Content)
		t.SetActivityStreamsContent(c)
	}
	page := o.URL
	if page == "" && !r.noURL {
		page = o.ID
	}
	if page != "" {
		u, err := absoluteIRI(r.kind, "url", page)
		if err != nil {
			return err
		}
		p := streams.NewActivityStreamsUrlProperty()
		p.AppendIRI(u)
		t.SetActivityStreamsUrl(p)
	}
	if o.AttributedTo != "" {
		u, err := absoluteIRI(r.kind, "attributedTo", o.AttributedTo)
		if err != nil {
			return err
		}
		p := streams.NewActivityStreamsAttributedToProperty()
		p.AppendIRI(u)
		t.SetActivityStreamsAttributedTo(p)
	}
	if o.Audience != "" {
		u, err := absoluteIRI(r.kind, "audience", o.Audience)
		if err != nil {
			return err
		}
		p := streams.NewActivityStreamsAudienceProperty()
		p.AppendIRI(u)
		t.SetActivityStreamsAudience(p)
	}
	if o.Context != "" {
		u, err := absoluteIRI(r.kind, "context", o.Context)
		if err != nil {
			return err
		}
		p := streams.NewActivityStreamsContextProperty()
		p.AppendIRI(u)
		t.SetActivityStreamsContext(p)
	}
	if !o.Published.IsZero() {
		p := streams.NewActivityStreamsPublishedProperty()
		p.Set(o.Published.UTC())
		t.SetActivityStreamsPublished(p)
	}
	if !o.Updated.IsZero() {
		p := streams.NewActivityStreamsUpdatedProperty()
		p.Set(o.Updated.UTC())
		t.SetActivityStreamsUpdated(p)
	}
	if len(o.To) > 0 {
		p := streams.NewActivityStreamsToProperty()
		for _, a := range o.To {
			u, err := absoluteIRI(r.kind, "to", a)
			if err != nil {
				return err
			}
			p.AppendIRI(u)
		}
		t.SetActivityStreamsTo(p)
	}
	if len(o.Cc) > 0 {
		p := streams.NewActivityStreamsCcProperty()
		for _, a := range o.Cc {
			u, err := absoluteIRI(r.kind, "cc", a)
			if err != nil {
				return err
			}
			p.AppendIRI(u)
		}
		t.SetActivityStreamsCc(p)
	}
	return nil
}

// absoluteIRI parses an http(s) IRI with a host, as every id and reference
// Holon writes must be.
func absoluteIRI(kind, field, s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%w: %s %s %q is not an absolute http(s) IRI", ErrInvalidObject, kind, field, s)
	}
	return u, nil
}

// iris parses a list of IRIs.
func iris(kind, field string, ss []string) ([]*url.URL, error) {
	out := make([]*url.URL, 0, len(ss))
	for _, s := range ss {
		u, err := absoluteIRI(kind, field, s)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// plainLine checks a non-empty line of plain text.
func plainLine(kind, field, s string, max int) error {
	switch {
	case strings.TrimSpace(s) == "":
		return fmt.Errorf("%w: %s has no %s", ErrInvalidObject, kind, field)
	case utf8.RuneCountInString(s) > max:
		return fmt.Errorf("%w: %s %s is longer than %d characters", ErrInvalidObject, kind, field, max)
	case strings.ContainsAny(s, "\n\r"):
		return fmt.Errorf("%w: %s %s must be one line", ErrInvalidObject, kind, field)
	}
	return nil
}

// oneOf checks that value is one of the allowed words; "" is allowed when
// optional.
func oneOf(kind, field, value string, optional bool, allowed ...string) error {
	if value == "" && optional {
		return nil
	}
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return fmt.Errorf("%w: %s %s %q is not one of %s", ErrInvalidObject, kind, field, value, strings.Join(allowed, ", "))
}

// Words of the vocabulary, shared with the API (DESIGN §7) and listed in
// docs/vocabulary.md.
var (
	projectStatuses     = []string{"proposed", "evaluating", "accepted", "rejected", "active", "completed", "archived"}
	taskStatuses        = []string{"draft", "open", "reserved", "submitted", "done", "paid", "cancelled"}
	reservationStatuses = []string{"active", "released", "lapsed", "delivered"}
	submissionStatuses  = []string{"submitted", "accepted", "rejected"}
	eventStatuses       = []string{"CONFIRMED", "TENTATIVE", "CANCELLED"}
	phases              = []string{"debate", "consensus", "value_vote", "adopted", "rejected", "withdrawn"}
	positions           = []string{"agree", "abstain", "object"}
	transactionKinds    = []string{"donation", "allocation", "reallocation", "payout", "refund", "transfer"}
	actionKinds         = []string{"allocate", "accept_project", "reject_project", "verify_submission", "change_setting", "change_rules", "admit_member", "exclude_member"}
	architectures       = []string{"centralised", "decentralised", "distributed"}
	roleNames           = []string{"member", "board", "treasurer", "beneficiary"}
	joinModes           = []string{"free", "restricted", "invite", "external"}
)
