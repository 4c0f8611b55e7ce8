package vocab

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// What a Mastodon server makes of an activity Holon sends, following the
// lines of Mastodon's source that decide it. docs/vocabulary.md ("What
// Mastodon shows") cites the same lines; keep the two together.
//
//   - app/lib/activitypub/activity.rb (mastodon/mastodon main, 4.5): the
//     activities Mastodon handles (klass_for), SUPPORTED_TYPES = Note,
//     Question and CONVERTED_TYPES = Image, Audio, Video, Article, Page,
//     Event, matched with equals_or_includes_any? so that any element of a
//     type array counts.
//   - app/helpers/jsonld_helper.rb: supported_context? (the @context must be
//     or include the ActivityStreams URL), as_array, value_or_id.
//   - app/lib/activitypub/activity/create.rb: process_status_params (text is
//     converted_text for converted types, content otherwise; spoiler_text is
//     empty for converted types, summary otherwise) and converted_text
//     (title, summary and url joined by blank lines, then linkified, so HTML
//     in them is escaped).
//   - app/lib/activitypub/parser/status_parser.rb: title = name, spoiler_text
//     = summary, url = url_to_href(url, "text/html").
//   - app/lib/activitypub/parser/poll_parser.rb: a poll only when the type
//     includes Question and anyOf or oneOf is an array; options are the
//     items' names; expires_at from closed, else endTime; tallies from each
//     item's replies.totalItems; voters_count from votersCount.
//   - app/services/activitypub/process_status_update_service.rb:
//     expected_type? (only Note and Question are updated).
type mastodonStatus struct {
	text, spoiler, url string
	poll               *mastodonPoll
}

type mastodonPoll struct {
	options   []string
	multiple  bool
	expiresAt string
	tallies   []int
	voters    any
}

var (
	mastodonActivities = []string{"Create", "Announce", "Delete", "Follow", "Like", "Block", "Update", "Undo",
		"Accept", "Reject", "Flag", "Add", "Remove", "Move", "QuoteRequest"}
	mastodonSupported = []string{"Note", "Question"}
	mastodonConverted = []string{"Image", "Audio", "Video", "Article", "Page", "Event"}
)

func asArray(v any) []any {
	switch a := v.(type) {
	case nil:
		return nil
	case []any:
		return a
	}
	return []any{v}
}

func includesAny(v any, names []string) bool {
	for _, t := range asArray(v) {
		if s, ok := t.(string); ok && slices.Contains(names, s) {
			return true
		}
	}
	return false
}

// mastodonReads returns the status Mastodon would make of activity, or why it
// makes none.
func mastodonReads(activity map[string]any) (*mastodonStatus, string) {
	if !includesAny(activity["@context"], []string{ActivityStreamsContext}) {
		return nil, "unsupported context"
	}
	kind, _ := activity["type"].(string)
	if !slices.Contains(mastodonActivities, kind) {
		return nil, "activity type " + kind + " not handled"
	}
	if kind != "Create" && kind != "Update" {
		return nil, kind + " makes no status"
	}
	obj, ok := activity["object"].(map[string]any)
	if !ok {
		return nil, "object not embedded"
	}
	supported, converted := includesAny(obj["type"], mastodonSupported), includesAny(obj["type"], mastodonConverted)
	if !supported && !converted {
		return nil, "unsupported object type"
	}
	if kind == "Update" && !supported {
		return nil, "Update of a type Mastodon does not update"
	}
	actor, _ := url.Parse(IDOf(activity["actor"]))
	objID, _ := url.Parse(IDOf(obj["id"]))
	if actor == nil || objID == nil || !strings.EqualFold(actor.Host, objID.Host) {
		return nil, "object from another host than the actor"
	}
	s := &mastodonStatus{url: IDOf(obj["id"])}
	if u, ok := obj["url"].(string); ok && u != "" {
		s.url = u
	}
	str := func(k string) string { v, _ := obj[k].(string); return v }
	if converted && !supported {
		var parts []string
		for _, p := range []string{str("name"), str("summary"), s.url} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		s.text = strings.Join(parts, "\n\n")
	} else {
		s.text, s.spoiler = str("content"), str("summary")
	}
	items, multiple := obj["oneOf"], false
	if a, ok := obj["anyOf"].([]any); ok {
		items, multiple = a, true
	}
	if list, ok := items.([]any); ok && includesAny(obj["type"], []string{"Question"}) {
		p := &mastodonPoll{multiple: multiple, voters: obj["votersCount"]}
		for _, it := range list {
			item, ok := it.(map[string]any)
			if !ok {
				continue
			}
			name, _ := item["name"].(string)
			if name == "" {
				name, _ = item["content"].(string)
			}
			p.options = append(p.options, name)
			n := 0
			if r, ok := item["replies"].(map[string]any); ok {
				if f, ok := r["totalItems"].(float64); ok {
					n = int(f)
				}
			}
			p.tallies = append(p.tallies, n)
		}
		switch c := obj["closed"].(type) {
		case string:
			p.expiresAt = c
		default:
			p.expiresAt = str("endTime")
		}
		s.poll = p
	}
	return s, ""
}

// sendAs wraps a serialised object in the activity its owner sends.
func sendAs(t *testing.T, kind, actor string, v Type) map[string]any {
	t.Helper()
	a, err := NewActivity(kind, ActivityFields{ID: activityID("garden.example", 99), Actor: actor, Object: v,
		To: publicAll, Cc: []string{followers}, Published: opened})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return jsonValue(t, b).(map[string]any)
}

// Every object Holon publishes to the world is shown by Mastodon as its
// name, its one-line summary and a link to its page, with no content
// warning.
func TestMastodon_ShowsNameSummaryAndLinkOfEveryPublishedObject(t *testing.T) {
	examples := map[string]docExample{}
	for _, e := range docExamples(t) {
		examples[e.name] = e
	}
	for _, tt := range []struct{ example, owner string }{
		{"project", garden},
		{"task", garden},
		{"transaction", garden},
		{"event", garden},
		{"submission", bob},
	} {
		t.Run(tt.example, func(t *testing.T) {
			v, err := examples[tt.example].build()
			if err != nil {
				t.Fatal(err)
			}
			m, err := Serialize(v)
			if err != nil {
				t.Fatal(err)
			}
			s, why := mastodonReads(sendAs(t, "Create", tt.owner, v))
			if s == nil {
				t.Fatalf("Mastodon shows nothing: %s", why)
			}
			want := m["name"].(string) + "\n\n" + m["summary"].(string) + "\n\n" + m["url"].(string)
			if s.text != want {
				t.Errorf("Mastodon shows %q, want %q", s.text, want)
			}
			if s.spoiler != "" {
				t.Errorf("content warning %q", s.spoiler)
			}
			if s.url != m["url"] {
				t.Errorf("link %q, want %q", s.url, m["url"])
			}
		})
	}
}

// A proposal is a poll whose options are the current phase's, closing at the
// phase's deadline; its name and summary line head its text, and nothing
// hides it behind a content warning.
func TestMastodon_ShowsAProposalAsAPoll(t *testing.T) {
	for _, tt := range []struct {
		name      string
		fields    func() ProposalFields
		options   []string
		tallies   []int
		expiresAt string
	}{
		{"consensus", consensusFields, []string{"agree", "abstain", "object"}, []int{5, 1, 0}, "2025-03-08T12:00:00Z"},
		{"adopted", func() ProposalFields {
			f := consensusFields()
			f.Phase, f.Closed, f.Outcome = "adopted", opened.Add(7*day), "adopt"
			return f
		}, []string{"agree", "abstain", "object"}, []int{5, 1, 0}, "2025-03-08T12:00:00Z"},
		{"two options", func() ProposalFields {
			f := consensusFields()
			f.Phase = "value_vote"
			f.Phases = append(f.Phases, PhaseSpan{Phase: "value_vote", Start: opened.Add(7 * day), End: opened.Add(14 * day)})
			f.Options = []Option{{Name: "North corner", Count: 21}, {Name: "Beside the shed", Count: 14}}
			return f
		}, []string{"North corner", "Beside the shed"}, []int{21, 14}, "2025-03-15T12:00:00Z"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fields()
			q, err := NewProposal(f)
			if err != nil {
				t.Fatal(err)
			}
			s, why := mastodonReads(sendAs(t, "Create", garden, q))
			if s == nil {
				t.Fatalf("Mastodon shows nothing: %s", why)
			}
			if s.spoiler != "" {
				t.Errorf("content warning %q hides the proposal", s.spoiler)
			}
			if !strings.Contains(s.text, f.Name) || !strings.Contains(s.text, f.Summary) {
				t.Errorf("text %q lacks the name or the summary line", s.text)
			}
			if s.poll == nil {
				t.Fatal("no poll")
			}
			if !slices.Equal(s.poll.options, tt.options) || !slices.Equal(s.poll.tallies, tt.tallies) || s.poll.multiple {
				t.Errorf("poll = %+v", s.poll)
			}
			if s.poll.expiresAt != tt.expiresAt {
				t.Errorf("poll closes at %q, want %q", s.poll.expiresAt, tt.expiresAt)
			}
			if s.poll.voters == nil {
				t.Error("no votersCount")
			}
			// A phase change changes the options: Mastodon applies the Update
			// of a Question (and resets its votes).
			if s, why := mastodonReads(sendAs(t, "Update", garden, q)); s == nil {
				t.Errorf("Mastodon ignores the Update of a proposal: %s", why)
			}
		})
	}
}

// What is only for Holon peers makes no status on Mastodon: the types have
// no fallback Mastodon renders, and the activities are not ones it handles.
func TestMastodon_MakesNothingOfHolonOnlyDocuments(t *testing.T) {
	for _, e := range docExamples(t) {
		switch e.name {
		case "reservation", "ballot-consensus", "ballot-value-vote", "delegation", "membership":
		default:
			if !strings.HasPrefix(e.name, "flow-") {
				continue
			}
		}
		t.Run(e.name, func(t *testing.T) {
			v, err := e.build()
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if strings.HasPrefix(e.name, "flow-") {
				b, err := Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				doc = jsonValue(t, b).(map[string]any)
			} else {
				doc = sendAs(t, "Create", carol, v)
			}
			s, why := mastodonReads(doc)
			kind := doc["type"].(string)
			obj, _ := doc["object"].(map[string]any)
			published := kind == "Create" && obj != nil && includesAny(obj["type"], append(mastodonSupported, mastodonConverted...))
			switch {
			case published && s == nil:
				t.Errorf("a published object makes no status: %s", why)
			case !published && s != nil:
				t.Errorf("Mastodon would show %q", s.text)
			}
		})
	}
}

// Mastodon updates only Notes and Questions: the Update of a task is not
// applied there, so the page its link leads to is the live view.
func TestMastodon_DoesNotUpdateConvertedObjects(t *testing.T) {
	task, err := NewTask(reservedTaskFields())
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := mastodonReads(sendAs(t, "Update", garden, task)); s != nil {
		t.Errorf("the model says Mastodon applies the Update of a task: %q", s.text)
	}
}

// A document without the ActivityStreams context is dropped: Serialize
// always writes it first.
func TestMastodon_NeedsTheActivityStreamsContext(t *testing.T) {
	task, err := NewTask(taskFields())
	if err != nil {
		t.Fatal(err)
	}
	doc := sendAs(t, "Create", garden, task)
	if s, why := mastodonReads(doc); s == nil {
		t.Fatalf("rejected: %s", why)
	}
	doc["@context"] = []any{ContextURL}
	if s, _ := mastodonReads(doc); s != nil {
		t.Error("the model accepts a document without the ActivityStreams context")
	}
}
