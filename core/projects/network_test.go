package projects_test

import (
	"context"
	"errors"
	"net/url"
	"path"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
)

const garden = "https://garden.example/actors/garden"

// remoteAssociation stores the remote Group actor uri and, when followed,
// an accepted follow of it by alice.
func (f fixture) remoteAssociation(t testing.TB, uri string, followed bool) {
	t.Helper()
	ctx := context.Background()
	now := f.clock.Now()
	u, _ := url.Parse(uri)
	a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: uri, Kind: "Group", Username: path.Base(u.Path), Host: u.Host,
		Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKey: "pem", CreatedAt: now, UpdatedAt: now}
	if err := f.db.Actors().SaveRemote(ctx, &a); err != nil {
		t.Fatal(err)
	}
	a, err := f.db.Actors().ByURI(ctx, uri)
	if err != nil {
		t.Fatal(err)
	}
	if !followed {
		return
	}
	alice, err := f.db.Actors().Local(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.Follows().Save(ctx, &store.Follow{ID: uuid.Must(uuid.NewV7()), FollowerID: alice.ID, FollowedID: a.ID,
		ActivityID: base + "/activities/f", State: "accepted", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
}

func remoteProject(published time.Time) projects.RemoteProject {
	return projects.RemoteProject{URI: "https://garden.example/projects/p1", Association: garden,
		Holder: "https://garden.example/actors/alice", Name: "Community garden", Status: "active", Place: "Lyon",
		Tags: []string{"Garden", "#food"}, Goal: 200000, Currency: "EUR", URL: "https://garden.example/projects/p1",
		Published: published}
}

func remoteTask(uri string, published time.Time) projects.RemoteTask {
	return projects.RemoteTask{URI: uri, Association: garden, ProjectURI: "https://garden.example/projects/p1",
		Name: "Build the raised beds", Category: "other", DoneCriteria: []string{"four beds"}, Budget: 30000,
		Currency: "EUR", MaxReservation: 14 * 24 * time.Hour, Reviewers: []string{"https://garden.example/actors/alice"},
		Status: "open", URL: uri, Published: published}
}

// A partner's task is kept, then listed in the network catalogue beside the
// local ones with the filters of the local catalogue; its updates apply in
// order, a stale one changes nothing, and a cancelled task leaves the
// catalogue of open tasks.
func TestNetworkCatalogue_ListsPartnersTasks(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.remoteAssociation(t, garden, true)
		local := f.fundedTask(t, f.acceptedProject(t))
		published := f.clock.Now().Add(-time.Hour) // before the local task

		task, err := f.svc.CacheTask(ctx, garden, remoteTask("https://garden.example/tasks/t1", published))
		if err != nil {
			t.Fatal(err)
		}
		if task.ProjectID != nil || task.Status != "open" || task.Budget != 30000 {
			t.Fatalf("kept %+v", task)
		}
		// The project arrives after its task and is linked to it.
		if _, err := f.svc.CacheProject(ctx, garden, remoteProject(published)); err != nil {
			t.Fatal(err)
		}
		task, err = f.svc.RemoteTaskByURI(ctx, "https://garden.example/tasks/t1")
		if err != nil || task.ProjectID == nil {
			t.Fatalf("task after its project: %+v %v", task, err)
		}

		list, next, err := f.svc.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "open"})
		if err != nil || next != uuid.Nil || len(list) != 2 {
			t.Fatalf("catalogue: %+v %v %v", list, next, err)
		}
		if list[0].ID != local.ID || list[0].Remote || list[0].Description != local.Description || len(list[0].DoneCriteria) != 2 || list[0].URI != base+"/tasks/"+local.ID.String() ||
			list[0].Association != base+"/actors/commons" || list[0].Place != "Lyon" {
			t.Fatalf("first (local, newer): %+v", list[0])
		}
		if list[0].AssociationHandle != "commons" || list[1].AssociationHandle != "garden@garden.example" {
			t.Fatalf("handles: %q, %q", list[0].AssociationHandle, list[1].AssociationHandle)
		}
		if only, _, err := f.svc.PartnerTasks(ctx, projects.CatalogueQuery{Status: "open"}); err != nil || len(only) != 1 || !only[0].Remote {
			t.Fatalf("partners' tasks only: %+v %v", only, err)
		}
		if only, _, err := f.svc.PartnerTasks(ctx, projects.CatalogueQuery{Status: "open", Association: "commons"}); err != nil || len(only) != 0 {
			t.Fatalf("partners' tasks of a local association: %+v %v", only, err)
		}
		if !list[1].Remote || list[1].URI != "https://garden.example/tasks/t1" || list[1].Association != garden ||
			list[1].ProjectName != "Community garden" || list[1].Place != "Lyon" || list[1].Budget != 30000 ||
			list[1].ProjectID != *task.ProjectID || len(list[1].DoneCriteria) != 1 || list[1].MaxReservation != 14*24*time.Hour ||
			list[1].AssociationID != uuid.Nil || !list[1].CreatedAt.Equal(published.Truncate(time.Microsecond)) {
			t.Fatalf("second (partner's): %+v", list[1])
		}

		filters := []struct {
			name string
			q    projects.CatalogueQuery
			want int
		}{
			{"category", projects.CatalogueQuery{Status: "open", Category: "other"}, 1},
			{"tag of the partner's project", projects.CatalogueQuery{Status: "open", Tag: "#Food"}, 1},
			{"tag of the local project", projects.CatalogueQuery{Status: "open", Tag: "mesh"}, 1},
			{"place", projects.CatalogueQuery{Status: "open", Place: "lyon"}, 2},
			{"budget range", projects.CatalogueQuery{Status: "open", MinBudget: "260.00", MaxBudget: "400"}, 1},
			{"budget in another currency", projects.CatalogueQuery{Status: "open", MinBudget: "1", Currency: "CHF"}, 0},
			{"one a page", projects.CatalogueQuery{Status: "open", Limit: 1}, 1},
		}
		for _, c := range filters {
			t.Run(c.name, func(t *testing.T) {
				got, _, err := f.svc.NetworkCatalogue(ctx, c.q)
				if err != nil || len(got) != c.want {
					t.Fatalf("got %d %+v %v, want %d", len(got), got, err, c.want)
				}
			})
		}
		first, next, err := f.svc.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "open", Limit: 1})
		if err != nil || next != local.ID {
			t.Fatalf("first page: %+v %v %v", first, next, err)
		}
		second, next, err := f.svc.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "open", Limit: 1, Cursor: next})
		if err != nil || len(second) != 1 || !second[0].Remote || next != uuid.Nil {
			t.Fatalf("second page: %+v %v %v", second, next, err)
		}

		// Updates: a newer one applies, an older one changes nothing.
		cancelled := remoteTask("https://garden.example/tasks/t1", published)
		cancelled.Status, cancelled.Updated = "cancelled", published.Add(2*time.Hour)
		if got, err := f.svc.CacheTask(ctx, garden, cancelled); err != nil || got.Status != "cancelled" || got.ID != task.ID {
			t.Fatalf("update: %+v %v", got, err)
		}
		stale := remoteTask("https://garden.example/tasks/t1", published)
		stale.Updated = published.Add(time.Hour)
		if got, err := f.svc.CacheTask(ctx, garden, stale); err != nil || got.Status != "cancelled" {
			t.Fatalf("stale update: %+v %v", got, err)
		}
		if got, _, _ := f.svc.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "open"}); len(got) != 1 || got[0].Remote {
			t.Fatalf("after the cancellation: %+v", got)
		}
		if got, _, _ := f.svc.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "cancelled"}); len(got) != 1 || !got[0].Remote {
			t.Fatalf("cancelled: %+v", got)
		}
		if err := f.svc.ForgetRemote(ctx, garden, "https://garden.example/tasks/t1"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RemoteTaskByURI(ctx, "https://garden.example/tasks/t1"); !errors.Is(err, projects.ErrNoSuchRemoteTask) {
			t.Fatalf("after Delete: %v", err)
		}
	})
}

// Only a followed association's own objects, from its own host, within the
// bounds of local ones, are kept; an unfollowed partner's tasks leave the
// catalogue.
func TestCacheTask_RefusesWhatIsNotThePartnersOwn(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.remoteAssociation(t, garden, true)
		f.remoteAssociation(t, "https://other.example/actors/other", false)
		now := f.clock.Now()
		long := make([]string, projects.MaxCriteria+1)
		for i := range long {
			long[i] = "c"
		}
		cases := []struct {
			name   string
			from   string
			mutate func(*projects.RemoteTask)
			code   string
		}{
			{"sent by another actor", "https://garden.example/actors/bob", nil, "not-owner"},
			{"of another association", garden, func(t *projects.RemoteTask) { t.Association = "https://garden.example/actors/other" }, "not-owner"},
			{"on another host", garden, func(t *projects.RemoteTask) {
				t.URI, t.ProjectURI = "https://evil.example/tasks/t1", "https://evil.example/projects/1"
			}, "not-owner"},
			{"unknown association", "https://unknown.example/actors/x", func(t *projects.RemoteTask) {
				t.Association, t.URI, t.ProjectURI = "https://unknown.example/actors/x", "https://unknown.example/tasks/1", "https://unknown.example/projects/1"
			}, "not-partner"},
			{"association followed by nobody here", "https://other.example/actors/other", func(t *projects.RemoteTask) {
				t.Association, t.URI, t.ProjectURI = "https://other.example/actors/other", "https://other.example/tasks/1", "https://other.example/projects/1"
			}, "not-partner"},
			{"project on another host", garden, func(t *projects.RemoteTask) { t.ProjectURI = "https://evil.example/projects/1" }, "remote-object-invalid"},
			{"too many criteria", garden, func(t *projects.RemoteTask) { t.DoneCriteria = long }, "remote-object-invalid"},
			{"unknown status", garden, func(t *projects.RemoteTask) { t.Status = "stolen" }, "remote-object-invalid"},
			{"negative budget", garden, func(t *projects.RemoteTask) { t.Budget = -1 }, "remote-object-invalid"},
			{"no currency", garden, func(t *projects.RemoteTask) { t.Currency = "" }, "remote-object-invalid"},
			{"huge description", garden, func(t *projects.RemoteTask) { t.Description = string(make([]byte, projects.MaxRemoteContent+1)) }, "remote-object-invalid"},
			{"no publication time", garden, func(t *projects.RemoteTask) { t.Published = time.Time{} }, "remote-object-invalid"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				task := remoteTask("https://garden.example/tasks/t1", now)
				if c.mutate != nil {
					c.mutate(&task)
				}
				_, err := f.svc.CacheTask(ctx, c.from, task)
				if e, ok := core.As(err); !ok || e.Code != c.code {
					t.Fatalf("got %v, want %s", err, c.code)
				}
			})
		}
		// A future publication time does not put the task ahead of everyone.
		future := remoteTask("https://garden.example/tasks/t2", now.Add(24*time.Hour))
		kept, err := f.svc.CacheTask(ctx, garden, future)
		if err != nil {
			t.Fatal(err)
		}
		if sec, _ := kept.ID.Time().UnixTime(); time.Unix(sec, 0).After(now.Add(time.Second)) {
			t.Fatalf("id dated %v, later than now %v", time.Unix(sec, 0), now)
		}
		if got, _, err := f.svc.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "open"}); err != nil || len(got) != 1 || got[0].ProjectID != uuid.Nil {
			t.Fatalf("catalogue with a task whose project is not kept: %+v %v", got, err)
		}
		// Unfollowed: its tasks stay kept but leave the catalogue.
		alice, _ := f.db.Actors().Local(ctx, "alice")
		partner, _ := f.db.Actors().ByURI(ctx, garden)
		if err := f.db.Follows().Delete(ctx, alice.ID, partner.ID); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := f.svc.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "open"}); len(got) != 0 {
			t.Fatalf("catalogue after the unfollow: %+v", got)
		}
		// Another actor may not delete the copy.
		err = f.svc.ForgetRemote(ctx, "https://other.example/actors/other", "https://garden.example/tasks/t2")
		if e, ok := core.As(err); !ok || e.Code != "not-owner" {
			t.Fatalf("forget by another: %v", err)
		}
	})
}

// A Create and Updates of one task arriving at once all land: those that
// find no copy and lose the race to insert it update the winner's copy,
// and the newest version stands.
func TestCacheTask_ConcurrentCreateAndUpdates(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		f.remoteAssociation(t, garden, true)
		published := f.clock.Now().Add(-time.Hour)
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			go func() {
				v := remoteTask("https://garden.example/tasks/race", published)
				v.Updated = published.Add(time.Duration(i) * time.Minute)
				v.Name = "version " + string(rune('0'+i))
				_, err := f.svc.CacheTask(ctx, garden, v)
				errs <- err
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Errorf("keep the task: %v", err)
			}
		}
		got, err := f.svc.RemoteTaskByURI(ctx, "https://garden.example/tasks/race")
		if err != nil || got.Name != "version 7" {
			t.Errorf("kept %q, %v; want the newest, version 7", got.Name, err)
		}
	})
}
