package mastodon_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/web/mastodon"
	"github.com/holon-network/holon/web/webtest"
)

// objectWorld is an instance where the garden association (public)
// published a project, a task, an event and a proposal in its consensus
// round, in that order, and the circle association (members-only) a
// project; ada is on both boards, bob on neither.
type objectWorld struct {
	in                               *webtest.Instance
	deps                             mastodon.Deps
	ada, bob                         membership.Account
	garden, circle                   membership.Actor
	project, task, event, proposal   uuid.UUID
	hidden                           uuid.UUID // circle's project
	projectName, taskName, eventWhen string
}

func newObjectWorld(t *testing.T, in *webtest.Instance) objectWorld {
	t.Helper()
	ctx := context.Background()
	settle(t, in) // the instance is called Jardin
	w := objectWorld{in: in, deps: mastodon.Deps{Config: in.Config, Members: in.Members, Instance: in.Settings, News: in.News,
		Icon:       in.Config.BaseURL() + "/icon.svg",
		Governance: in.Governance, Projects: in.Projects, Events: in.Events, Fallbacks: in.Federation.Objects}}
	var err error
	for _, name := range []string{"ada", "bob"} {
		acc, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: name, Email: name + "@example.org",
			Password: "long enough pw"}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		if name == "ada" {
			w.ada = acc
		} else {
			w.bob = acc
		}
	}
	s := func(v string) *string { return &v }
	yes, none, members := true, "0s", membership.VisibilityMembers
	for _, a := range []struct {
		name   string
		change membership.SettingsChange
	}{
		{"garden", membership.SettingsChange{BoardMayEvaluateProjects: &yes, DebatePeriod: &none}},
		{"circle", membership.SettingsChange{BoardMayEvaluateProjects: &yes, Visibility: &members}},
	} {
		if _, err := in.Members.CreateAssociation(ctx, w.ada, membership.NewAssociation{Name: a.name}); err != nil {
			t.Fatal(err)
		}
		if _, err := in.Members.UpdateAssociation(ctx, w.ada, a.name, membership.AssociationChange{Settings: a.change}); err != nil {
			t.Fatal(err)
		}
	}
	if w.garden, err = in.Members.LocalActor(ctx, "garden"); err != nil {
		t.Fatal(err)
	}
	if w.circle, err = in.Members.LocalActor(ctx, "circle"); err != nil {
		t.Fatal(err)
	}

	w.projectName = "Community <garden> & orchard"
	p, err := in.Projects.Propose(ctx, w.ada, "garden", projects.ProjectInput{Name: s(w.projectName),
		Summary: s("Fruit trees for the street."), Licence: s("CC-BY-SA-4.0"), Architecture: s("centralised")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Projects.Evaluate(ctx, w.ada, p.ID, projects.Accept, ""); err != nil {
		t.Fatal(err)
	}
	w.project = p.ID
	w.taskName = "Build the raised beds"
	task, err := in.Projects.AddTask(ctx, w.ada, p.ID, projects.TaskInput{Name: w.taskName, Category: "other",
		DoneCriteria: []string{"Four beds of 2 m by 1 m", "Photos & a plan"}, Budget: "300.00", MaxReservation: "72h",
		Reviewers: []string{in.Config.BaseURL() + "/actors/ada"}})
	if err != nil {
		t.Fatal(err)
	}
	w.task = task.ID
	e, err := in.Events.Create(ctx, w.ada, "garden", agenda.EventInput{Name: s("Planting day"),
		Start: s("2030-04-13T14:00"), End: s("2030-04-13T18:00"), Timezone: s("Europe/Paris"),
		Place: &agenda.PlaceInput{Name: "Lot behind the school", Locality: "Lyon"}})
	if err != nil {
		t.Fatal(err)
	}
	w.event, w.eventWhen = e.ID, "Saturday 13 April 2030, 14:00 to 18:00 (Europe/Paris), Lot behind the school, Lyon."
	pr, err := in.Governance.Propose(ctx, w.ada, "garden", governance.ProposalInput{Category: governance.CategoryGeneral,
		Title: "Buy a greenhouse", Body: "A small one."})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Phase != governance.PhaseConsensus {
		t.Fatalf("the proposal is in its %s phase, want consensus", pr.Phase)
	}
	w.proposal = pr.ID
	hidden, err := in.Projects.Propose(ctx, w.ada, "circle", projects.ProjectInput{Name: s("Secret plans"),
		Licence: s("CC-BY-SA-4.0"), Architecture: s("centralised")})
	if err != nil {
		t.Fatal(err)
	}
	w.hidden = hidden.ID
	return w
}

func (w objectWorld) status(t *testing.T, viewer *membership.Account, id uuid.UUID) (status, bool) {
	t.Helper()
	body, ok, err := mastodon.ObjectStatus(context.Background(), w.deps, viewer, id)
	if err != nil {
		t.Fatal(err)
	}
	return decode[status](t, body), ok
}

func (w objectWorld) list(t *testing.T, viewer *membership.Account, actor uuid.UUID, r news.Range) []string {
	t.Helper()
	body, err := mastodon.AssociationStatuses(context.Background(), w.deps, viewer, actor, r)
	if err != nil {
		t.Fatal(err)
	}
	return ids(decode[[]status](t, body))
}

// Each object is a status of the garden's group account whose content
// and card say what the federation's documents say to Mastodon users.
func TestObjectStatus_ReadableFallbacks(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newObjectWorld(t, in)
		base := in.Config.BaseURL()
		for _, c := range []struct {
			name, kind string
			id         uuid.UUID
			title      string
			says       []string
		}{
			{"project", "projects", w.project, w.projectName,
				[]string{"Community &lt;garden&gt; &amp; orchard", "Accepted project of the garden association. Fruit trees for the street."}},
			{"task", "tasks", w.task, w.taskName, []string{"Open task. Budget 300.00 EUR. Reservable for up to",
				"<ul><li>Four beds of 2 m by 1 m</li><li>Photos &amp; a plan</li></ul>"}},
			{"event", "events", w.event, "Planting day", []string{w.eventWhen}},
			{"proposal", "proposals", w.proposal, "Buy a greenhouse", []string{"Consensus until ", ": agree, abstain or object."}},
		} {
			t.Run(c.name, func(t *testing.T) {
				st, ok := w.status(t, nil, c.id)
				if !ok {
					t.Fatal("a visitor does not see it")
				}
				page := base + "/" + c.kind + "/" + c.id.String()
				if st.ID != c.id.String() || st.URI != page || st.URL == nil || *st.URL != page || st.Visibility != "public" {
					t.Errorf("id %s uri %s url %v visibility %s", st.ID, st.URI, st.URL, st.Visibility)
				}
				if st.Account.ID != w.garden.ID.String() || st.Account.Acct != "garden" || !st.Account.Group {
					t.Errorf("account %+v, want the garden's group account", st.Account)
				}
				for _, s := range append([]string{"<strong>"}, c.says...) {
					if !strings.Contains(st.Content, s) {
						t.Errorf("content %q lacks %q", st.Content, s)
					}
				}
				if !strings.Contains(st.Content, `href="`+page+`"`) {
					t.Errorf("content %q does not link to %s", st.Content, page)
				}
				if st.Card == nil || st.Card.URL != page || st.Card.Title != c.title || st.Card.Type != "link" ||
					st.Card.ProviderName != "Jardin" || !strings.Contains(st.Content, st.Card.Description) || st.Card.Description == "" {
					t.Errorf("card %+v", st.Card)
				}
				// A proposal in its consensus round is a poll of the
				// round's positions (polls.go counts it).
				if wantPoll := c.kind == "proposals"; (st.Poll != nil) != wantPoll ||
					(wantPoll && (st.Poll.ID != c.id.String() || len(st.Poll.Options) != 3 || st.Poll.Options[0].Title != "agree")) {
					t.Errorf("poll %+v", st.Poll)
				}
			})
		}
		// A note's id, or no object's, is not an object.
		if _, ok := w.status(t, nil, uuid.Must(uuid.NewV7())); ok {
			t.Error("an unknown id answers")
		}
	})
}

// A members-only association's objects are its members' only: a visitor
// and a non-member (even one who follows it) neither read one by id nor
// see them listed; a member reads them as followers-only statuses.
func TestObjectStatus_MembersOnlyNeverLeaks(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newObjectWorld(t, in)
		ctx := context.Background()
		if _, err := in.Members.Follow(ctx, w.bob, w.circle); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			viewer *membership.Account
		}{{"visitor", nil}, {"non-member", &w.bob}} {
			if _, ok := w.status(t, c.viewer, w.hidden); ok {
				t.Errorf("%s reads the circle's project", c.name)
			}
			if got := w.list(t, c.viewer, w.circle.ID, news.Range{}); len(got) != 0 {
				t.Errorf("%s sees the circle's objects %v", c.name, got)
			}
			if _, ok, err := mastodon.ObjectContext(ctx, w.deps, c.viewer, w.hidden); err != nil || ok {
				t.Errorf("%s reads the context of the circle's project: %v %v", c.name, ok, err)
			}
		}
		body, err := mastodon.HomeObjectStatuses(ctx, w.deps, &w.bob, news.Range{})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(decode[[]status](t, body)); len(got) != 0 {
			t.Errorf("bob's home shows %v of the circle he follows without being a member", got)
		}
		st, ok := w.status(t, &w.ada, w.hidden)
		if !ok || st.Visibility != "private" || st.Account.Acct != "circle" {
			t.Errorf("ada, a member, reads %v %+v", ok, st)
		}
		if got := w.list(t, &w.ada, w.circle.ID, news.Range{}); !slices.Equal(got, []string{w.hidden.String()}) {
			t.Errorf("ada sees %v", got)
		}
	})
}

// An association's statuses come newest first by id and page by
// Mastodon's max_id, since_id, min_id and limit; the home timeline of a
// follower has them too.
func TestObjectStatus_OrderAndPaging(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newObjectWorld(t, in)
		ctx := context.Background()
		pr, ev, ta, pj := w.proposal.String(), w.event.String(), w.task.String(), w.project.String()
		for _, c := range []struct {
			name string
			r    news.Range
			want []string
		}{
			{"all", news.Range{}, []string{pr, ev, ta, pj}},
			{"limit", news.Range{Limit: 2}, []string{pr, ev}},
			{"max_id", news.Range{Max: w.event, Limit: 2}, []string{ta, pj}},
			{"since_id", news.Range{Since: w.task}, []string{pr, ev}},
			{"since_id, limit", news.Range{Since: w.project, Limit: 2}, []string{pr, ev}},
			{"min_id", news.Range{Min: w.project, Limit: 2}, []string{ev, ta}},
			{"between", news.Range{Max: w.proposal, Since: w.project}, []string{ev, ta}},
			{"limit out of range", news.Range{Limit: 10_000}, []string{pr, ev, ta, pj}},
		} {
			if got := w.list(t, nil, w.garden.ID, c.r); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
		if got := w.list(t, nil, w.garden.ID, news.Range{Max: w.project}); len(got) != 0 {
			t.Errorf("before the first object: %v", got)
		}
		// A person's account lists no objects.
		bobActor, err := in.Members.LocalActor(ctx, "bob")
		if err != nil {
			t.Fatal(err)
		}
		if got := w.list(t, nil, bobActor.ID, news.Range{}); len(got) != 0 {
			t.Errorf("bob's account lists objects %v", got)
		}

		// bob's home: nothing before he follows the garden, its objects after.
		home := func() []string {
			body, err := mastodon.HomeObjectStatuses(ctx, w.deps, &w.bob, news.Range{Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			return ids(decode[[]status](t, body))
		}
		if got := home(); len(got) != 0 {
			t.Fatalf("home before following: %v", got)
		}
		if _, err := in.Members.Follow(ctx, w.bob, w.garden); err != nil {
			t.Fatal(err)
		}
		if got := home(); !slices.Equal(got, []string{pr, ev, ta}) {
			t.Errorf("home after following: %v", got)
		}
	})
}

// The context of a proposal: no ancestors, its debate as descendants,
// oldest first.
func TestObjectStatus_ContextIsTheDebate(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newObjectWorld(t, in)
		ctx := context.Background()
		topic := in.Config.BaseURL() + "/proposals/" + w.proposal.String()
		var replies []string
		for _, text := range []string{"Yes, by the shed", "Not too big"} {
			n, err := in.News.Post(ctx, w.ada, news.PostInput{Content: text, InReplyTo: topic})
			if err != nil {
				t.Fatal(err)
			}
			replies = append(replies, n.ID.String())
		}
		body, ok, err := mastodon.ObjectContext(ctx, w.deps, nil, w.proposal)
		if err != nil || !ok {
			t.Fatalf("context: %v %v", ok, err)
		}
		c := decode[struct {
			Ancestors   []status `json:"ancestors"`
			Descendants []status `json:"descendants"`
		}](t, body)
		if c.Ancestors == nil || len(c.Ancestors) != 0 || !slices.Equal(ids(c.Descendants), replies) {
			t.Errorf("context %s", body)
		}
		body, ok, err = mastodon.ObjectContext(ctx, w.deps, nil, w.task)
		if err != nil || !ok || string(body) != `{"ancestors":[],"descendants":[]}`+"\n" {
			t.Errorf("context of a task without replies: %s %v %v", body, ok, err)
		}
	})
}

// An object's status has every attribute of the Status in Mastodon's
// documentation (testdata/mastodon_status_with_card.json), with the same
// JSON types (null where Mastodon may send null), and so has its card and
// its account.
func TestObjectStatus_MastodonShape(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "mastodon_status_with_card.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := decode[map[string]any](t, raw)
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newObjectWorld(t, in)
		body, ok, err := mastodon.ObjectStatus(context.Background(), w.deps, nil, w.project)
		if err != nil || !ok {
			t.Fatalf("%v %v", ok, err)
		}
		sameShape(t, "status", decode[map[string]any](t, body), want)
	})
}

// A partner's project and event kept here are statuses of its group
// account with the words its server sent, linking to its pages; its
// followers here have them at home; a blocked domain's are shown to no
// one.
func TestObjectStatus_PartnersCopies(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newObjectWorld(t, in)
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		group := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: "https://partner.example/actors/gardeners", Kind: "Group",
			Username: "gardeners", Host: "partner.example", KeyID: "https://partner.example/actors/gardeners#key",
			PublicKey: "pem", CreatedAt: now, UpdatedAt: now}
		if err := in.DB.Actors().Create(ctx, &group); err != nil {
			t.Fatal(err)
		}
		project := store.RemoteProject{ID: uuid.Must(uuid.NewV7()), URI: "https://partner.example/projects/1",
			AssociationActorID: group.ID, Name: "Seed library", Summary: "Active project. <Seeds> for all.", Status: "active",
			Licence: "CC0-1.0", Currency: "EUR", URL: "https://partner.example/p/seeds", PublishedAt: now, UpdatedAt: now, ReceivedAt: now}
		if err := in.DB.RemoteProjects().Create(ctx, &project, nil); err != nil {
			t.Fatal(err)
		}
		event := store.RemoteEvent{ID: uuid.Must(uuid.NewV7()), URI: "https://partner.example/events/1", AssociationActorID: group.ID,
			Name: "Seed swap", Summary: "Sunday 1 June 2031, 10:00 to 12:00 (Europe/Paris), Halle, Paris.",
			StartsAt: now.Add(24 * time.Hour), EndsAt: now.Add(26 * time.Hour), Timezone: "Europe/Paris", JoinMode: "free",
			Status: "confirmed", PublishedAt: now, UpdatedAt: now, ReceivedAt: now}
		if err := in.DB.RemoteEvents().Create(ctx, &event); err != nil {
			t.Fatal(err)
		}
		if got, want := w.list(t, nil, group.ID, news.Range{}), []string{event.ID.String(), project.ID.String()}; !slices.Equal(got, want) {
			t.Fatalf("the partner's statuses %v, want %v", got, want)
		}
		st, ok := w.status(t, nil, project.ID)
		if !ok {
			t.Fatal("a visitor does not read the partner's project")
		}
		if st.URI != project.URI || st.URL == nil || *st.URL != project.URL || st.Account.Acct != "gardeners@partner.example" ||
			!st.Account.Group || !strings.Contains(st.Content, "Active project. &lt;Seeds&gt; for all.") || st.Card == nil ||
			st.Card.URL != project.URL || st.Card.ProviderName != "partner.example" || st.Poll != nil {
			t.Errorf("the partner's project as %+v, card %+v", st, st.Card)
		}
		if st, _ := w.status(t, nil, event.ID); st.URL == nil || *st.URL != event.URI { // no url: its id is its page
			t.Errorf("the partner's event links to %v", st.URL)
		}

		bob, err := in.Members.LocalActor(ctx, "bob")
		if err != nil {
			t.Fatal(err)
		}
		if err := in.DB.Follows().Save(ctx, &store.Follow{ID: uuid.Must(uuid.NewV7()), FollowerID: bob.ID, FollowedID: group.ID,
			ActivityID: in.Config.BaseURL() + "/follows/1", State: "accepted", CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		home := func() []string {
			body, err := mastodon.HomeObjectStatuses(ctx, w.deps, &w.bob, news.Range{})
			if err != nil {
				t.Fatal(err)
			}
			return ids(decode[[]status](t, body))
		}
		if got := home(); !slices.Equal(got, []string{event.ID.String(), project.ID.String()}) {
			t.Errorf("bob's home %v", got)
		}

		if err := in.DB.DomainBlocks().Add(ctx, &store.DomainBlock{ID: uuid.Must(uuid.NewV7()), Domain: "partner.example",
			Severity: "suspend", CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if got := w.list(t, nil, group.ID, news.Range{}); len(got) != 0 {
			t.Errorf("a blocked domain's copies are listed: %v", got)
		}
		if _, ok := w.status(t, &w.bob, project.ID); ok {
			t.Error("a blocked domain's copy is read")
		}
		if got := home(); len(got) != 0 {
			t.Errorf("bob's home shows a blocked domain's copies: %v", got)
		}
	})
}
