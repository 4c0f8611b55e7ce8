package vocab

import (
	"fmt"
	"net/url"
	"time"

	"github.com/holon-network/holon/vocab/streams"
	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// ActivityFields is an activity that carries Holon objects or acts on them.
// The object is embedded (Object) or named by its IRI (ObjectIRI); exactly
// one is set.
type ActivityFields struct {
	ID        string // https://{host}/activities/{id}
	Actor     string
	Object    Type
	ObjectIRI string
	Target    string // Offer: the task a reservation is for
	Result    []Type // Accept or Reject of a submission: the criterion checks
	ResultIRI string // Accept of an offered object: the IRI the object now has
	Summary   string // an optional plain-text line (a reason)
	Published time.Time
	To, Cc    []string
}

// activitySetters are the generated setters every activity type has.
type activitySetters interface {
	Type
	SetJSONLDId(streamsvocab.JSONLDIdProperty)
	SetActivityStreamsActor(streamsvocab.ActivityStreamsActorProperty)
	SetActivityStreamsObject(streamsvocab.ActivityStreamsObjectProperty)
	SetActivityStreamsTarget(streamsvocab.ActivityStreamsTargetProperty)
	SetActivityStreamsResult(streamsvocab.ActivityStreamsResultProperty)
	SetActivityStreamsSummary(streamsvocab.ActivityStreamsSummaryProperty)
	SetActivityStreamsPublished(streamsvocab.ActivityStreamsPublishedProperty)
	SetActivityStreamsTo(streamsvocab.ActivityStreamsToProperty)
	SetActivityStreamsCc(streamsvocab.ActivityStreamsCcProperty)
}

// activityKinds are the activities Holon's flows use (docs/vocabulary.md).
var activityKinds = map[string]func() activitySetters{
	"Create": func() activitySetters { return streams.NewActivityStreamsCreate() },
	"Update": func() activitySetters { return streams.NewActivityStreamsUpdate() },
	"Delete": func() activitySetters { return streams.NewActivityStreamsDelete() },
	"Offer":  func() activitySetters { return streams.NewActivityStreamsOffer() },
	"Accept": func() activitySetters { return streams.NewActivityStreamsAccept() },
	"Reject": func() activitySetters { return streams.NewActivityStreamsReject() },
	"Join":   func() activitySetters { return streams.NewActivityStreamsJoin() },
	"Leave":  func() activitySetters { return streams.NewActivityStreamsLeave() },
	"Undo":   func() activitySetters { return streams.NewActivityStreamsUndo() },
}

// NewActivity builds an activity of kind Create, Update, Delete, Offer,
// Accept, Reject, Join, Leave or Undo.
func NewActivity(kind string, f ActivityFields) (Type, error) {
	mk, ok := activityKinds[kind]
	if !ok {
		return nil, fmt.Errorf("%w: %q is not an activity Holon sends", ErrInvalidObject, kind)
	}
	a := mk()
	set := func(field, s string) (*url.URL, error) { return absoluteIRI(kind, field, s) }
	u, err := set("id", f.ID)
	if err != nil {
		return nil, err
	}
	id := streams.NewJSONLDIdProperty()
	id.SetIRI(u)
	a.SetJSONLDId(id)
	if u, err = set("actor", f.Actor); err != nil {
		return nil, err
	}
	actor := streams.NewActivityStreamsActorProperty()
	actor.AppendIRI(u)
	a.SetActivityStreamsActor(actor)

	obj := streams.NewActivityStreamsObjectProperty()
	switch {
	case (f.Object == nil) == (f.ObjectIRI == ""):
		return nil, fmt.Errorf("%w: %s needs an object, embedded or by IRI", ErrInvalidObject, kind)
	case f.Object != nil:
		if err := obj.AppendType(f.Object); err != nil {
			return nil, fmt.Errorf("%s object: %w", kind, err)
		}
	default:
		if u, err = set("object", f.ObjectIRI); err != nil {
			return nil, err
		}
		obj.AppendIRI(u)
	}
	a.SetActivityStreamsObject(obj)
	if f.Target != "" {
		if u, err = set("target", f.Target); err != nil {
			return nil, err
		}
		t := streams.NewActivityStreamsTargetProperty()
		t.AppendIRI(u)
		a.SetActivityStreamsTarget(t)
	}
	if len(f.Result) > 0 || f.ResultIRI != "" {
		r := streams.NewActivityStreamsResultProperty()
		for _, v := range f.Result {
			if err := r.AppendType(v); err != nil {
				return nil, fmt.Errorf("%s result: %w", kind, err)
			}
		}
		if f.ResultIRI != "" {
			if u, err = set("result", f.ResultIRI); err != nil {
				return nil, err
			}
			r.AppendIRI(u)
		}
		a.SetActivityStreamsResult(r)
	}
	if f.Summary != "" {
		if err := plainLine(kind, "summary", f.Summary, MaxSummaryLength); err != nil {
			return nil, err
		}
		s := streams.NewActivityStreamsSummaryProperty()
		s.AppendXMLSchemaString(f.Summary)
		a.SetActivityStreamsSummary(s)
	}
	if !f.Published.IsZero() {
		p := streams.NewActivityStreamsPublishedProperty()
		p.Set(f.Published.UTC())
		a.SetActivityStreamsPublished(p)
	}
	if len(f.To) > 0 {
		us, err := iris(kind, "to", f.To)
		if err != nil {
			return nil, err
		}
		p := streams.NewActivityStreamsToProperty()
		for _, u := range us {
			p.AppendIRI(u)
		}
		a.SetActivityStreamsTo(p)
	}
	if len(f.Cc) > 0 {
		us, err := iris(kind, "cc", f.Cc)
		if err != nil {
			return nil, err
		}
		p := streams.NewActivityStreamsCcProperty()
		for _, u := range us {
			p.AppendIRI(u)
		}
		a.SetActivityStreamsCc(p)
	}
	return a, nil
}

// NewJoin builds the Join of an association (membership) or of an event
// (participation), addressed to its owner, as Mobilizon sends it.
func NewJoin(f ActivityFields) (Type, error) { return NewActivity("Join", f) }

// NewLeave builds the Leave of an association or of an event.
func NewLeave(f ActivityFields) (Type, error) { return NewActivity("Leave", f) }

// CriterionChecks builds the criterion checks a reviewer sends as the result
// of the Accept or Reject of a submission.
func CriterionChecks(checks []CriterionCheck) ([]Type, error) {
	out := make([]Type, 0, len(checks))
	for i, c := range checks {
		check, err := c.build(i)
		if err != nil {
			return nil, err
		}
		out = append(out, check)
	}
	return out, nil
}
