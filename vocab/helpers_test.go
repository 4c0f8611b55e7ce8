package vocab

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/vocab/streams"
	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func id(t testing.TB, s string) streamsvocab.JSONLDIdProperty {
	p := streams.NewJSONLDIdProperty()
	p.SetIRI(mustURL(t, s))
	return p
}

func name(s string) streamsvocab.ActivityStreamsNameProperty {
	p := streams.NewActivityStreamsNameProperty()
	p.AppendXMLSchemaString(s)
	return p
}

func summary(s string) streamsvocab.ActivityStreamsSummaryProperty {
	p := streams.NewActivityStreamsSummaryProperty()
	p.AppendXMLSchemaString(s)
	return p
}

func urlProp(t testing.TB, s string) streamsvocab.ActivityStreamsUrlProperty {
	p := streams.NewActivityStreamsUrlProperty()
	p.AppendIRI(mustURL(t, s))
	return p
}

var published = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// newNote is a public reply with a hashtag-free HTML body, as Holon posts it.
func newNote(t testing.TB) streamsvocab.ActivityStreamsNote {
	n := streams.NewActivityStreamsNote()
	n.SetJSONLDId(id(t, "https://holon.example/notes/0195551e-0000-7000-8000-000000000001"))
	content := streams.NewActivityStreamsContentProperty()
	content.AppendXMLSchemaString(`<p>Garden day on Saturday &amp; <a href="https://holon.example/events/1">join us</a></p>`)
	n.SetActivityStreamsContent(content)
	attributed := streams.NewActivityStreamsAttributedToProperty()
	attributed.AppendIRI(mustURL(t, "https://holon.example/actors/alice"))
	n.SetActivityStreamsAttributedTo(attributed)
	to := streams.NewActivityStreamsToProperty()
	to.AppendIRI(mustURL(t, PublicAudience))
	n.SetActivityStreamsTo(to)
	cc := streams.NewActivityStreamsCcProperty()
	cc.AppendIRI(mustURL(t, "https://holon.example/actors/alice/followers"))
	n.SetActivityStreamsCc(cc)
	reply := streams.NewActivityStreamsInReplyToProperty()
	reply.AppendIRI(mustURL(t, "https://mastodon.example/users/bob/statuses/1"))
	n.SetActivityStreamsInReplyTo(reply)
	p := streams.NewActivityStreamsPublishedProperty()
	p.Set(published)
	n.SetActivityStreamsPublished(p)
	n.SetActivityStreamsUrl(urlProp(t, "https://holon.example/@alice/0195551e"))
	return n
}

// newTask is a task as the wire table of DESIGN §5 says: Holon's type first,
// then a core type Mastodon renders, with name, summary and url set.
func newTask(t testing.TB) streamsvocab.HolonTask {
	task := streams.NewHolonTask()
	task.GetJSONLDType().AppendXMLSchemaString("Page")
	task.SetJSONLDId(id(t, "https://holon.example/tasks/0195551e-0000-7000-8000-000000000002"))
	task.SetActivityStreamsName(name("Build the raised beds"))
	task.SetActivityStreamsSummary(summary("Budget 300 EUR, open for reservation until 1 April."))
	task.SetActivityStreamsUrl(urlProp(t, "https://holon.example/tasks/0195551e-0000-7000-8000-000000000002"))
	ctx := streams.NewActivityStreamsContextProperty()
	ctx.AppendIRI(mustURL(t, "https://holon.example/projects/0195551e-0000-7000-8000-000000000003"))
	task.SetActivityStreamsContext(ctx)
	return task
}

// newProposal is a proposal in its consensus phase, as a Question.
func newProposal(t testing.TB) streamsvocab.ActivityStreamsQuestion {
	q := streams.NewActivityStreamsQuestion()
	q.SetJSONLDId(id(t, "https://holon.example/proposals/0195551e-0000-7000-8000-000000000004"))
	q.SetActivityStreamsName(name("Adopt the 2025 budget?"))
	phase := streams.NewHolonPhaseProperty()
	phase.Set("consensus")
	q.SetHolonPhase(phase)
	voters := streams.NewTootVotersCountProperty()
	voters.Set(12)
	q.SetTootVotersCount(voters)
	oneOf := streams.NewActivityStreamsOneOfProperty()
	for _, option := range []string{"agree", "abstain", "object"} {
		n := streams.NewActivityStreamsNote()
		n.SetActivityStreamsName(name(option))
		oneOf.AppendActivityStreamsNote(n)
	}
	q.SetActivityStreamsOneOf(oneOf)
	end := streams.NewActivityStreamsEndTimeProperty()
	end.Set(published.Add(7 * 24 * time.Hour))
	q.SetActivityStreamsEndTime(end)
	return q
}

// newGroup is an association's actor with its key and Mastodon's flags.
func newGroup(t testing.TB) streamsvocab.ActivityStreamsGroup {
	g := streams.NewActivityStreamsGroup()
	g.SetJSONLDId(id(t, "https://holon.example/actors/garden"))
	g.SetActivityStreamsName(name("Garden association"))
	user := streams.NewActivityStreamsPreferredUsernameProperty()
	user.SetXMLSchemaString("garden")
	g.SetActivityStreamsPreferredUsername(user)
	inbox := streams.NewActivityStreamsInboxProperty()
	inbox.SetIRI(mustURL(t, "https://holon.example/actors/garden/inbox"))
	g.SetActivityStreamsInbox(inbox)
	outbox := streams.NewActivityStreamsOutboxProperty()
	outbox.SetIRI(mustURL(t, "https://holon.example/actors/garden/outbox"))
	g.SetActivityStreamsOutbox(outbox)
	discoverable := streams.NewTootDiscoverableProperty()
	discoverable.Set(true)
	g.SetTootDiscoverable(discoverable)
	featured := streams.NewTootFeaturedProperty()
	featured.SetIRI(mustURL(t, "https://holon.example/actors/garden/featured"))
	g.SetTootFeatured(featured)

	key := streams.NewW3IDSecurityV1PublicKey()
	key.SetJSONLDId(id(t, "https://holon.example/actors/garden#main-key"))
	owner := streams.NewW3IDSecurityV1OwnerProperty()
	owner.SetIRI(mustURL(t, "https://holon.example/actors/garden"))
	key.SetW3IDSecurityV1Owner(owner)
	pem := streams.NewW3IDSecurityV1PublicKeyPemProperty()
	pem.Set("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n")
	key.SetW3IDSecurityV1PublicKeyPem(pem)
	keys := streams.NewW3IDSecurityV1PublicKeyProperty()
	keys.AppendW3IDSecurityV1PublicKey(key)
	g.SetW3IDSecurityV1PublicKey(keys)
	return g
}

// jsonValue decodes b into plain JSON values, for comparisons.
func jsonValue(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return v
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func contains(b []byte, s string) bool {
	return strings.Contains(string(b), s)
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixtures.Dir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
