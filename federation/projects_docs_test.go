package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/vocab"
)

// updateGolden rewrites the golden documents from the code:
//
//	go test ./federation/ -run TestObjectDocuments -update-golden
var updateGolden = flag.Bool("update-golden", false, "rewrite federation/testdata/*.golden.json")

const goldenBase = "https://garden.example"

var (
	goldenAt      = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	goldenProject = uuid.MustParse("0195551e-0000-7000-8000-000000000001")
	goldenTask    = uuid.MustParse("0195551e-0000-7000-8000-000000000002")
	goldenSub     = uuid.MustParse("0195551e-0000-7000-8000-000000000003")
	goldenRes     = uuid.MustParse("0195551e-0000-7000-8000-000000000015")
	goldenTx      = uuid.MustParse("0195551e-0000-7000-8000-000000000006")
	goldenPayout  = uuid.MustParse("0195551e-0000-7000-8000-000000000011")
)

// goldenWorld stores the garden association of docs/vocabulary.md, its
// project and task, and a remote professional, bob@pro.example.
func goldenWorld(t *testing.T, db *store.DB) (projects.Project, projects.Task) {
	t.Helper()
	ctx := context.Background()
	members := membership.New(db, core.SystemClock{}, membership.Policy{Registrations: membership.RegistrationsOpen,
		BaseURL: goldenBase, Host: "garden.example"})
	alice, err := members.CreateAccount(ctx, membership.NewAccount{Username: "alice", Email: "alice@example.org",
		Password: "long enough pw"}, membership.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	a, err := members.CreateAssociation(ctx, alice, membership.NewAssociation{Name: "garden"})
	if err != nil {
		t.Fatal(err)
	}
	bob := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: "https://pro.example/actors/bob", Kind: "Person", Username: "bob",
		Host: "pro.example", Inbox: "https://pro.example/actors/bob/inbox", KeyID: "https://pro.example/actors/bob#main-key",
		PublicKey: "pem", CreatedAt: goldenAt, UpdatedAt: goldenAt}
	if err := db.Actors().SaveRemote(ctx, &bob); err != nil {
		t.Fatal(err)
	}
	p := projects.Project{ID: goldenProject, AssociationID: a.ID, Holder: goldenBase + "/actors/alice", Name: "Community garden",
		Summary: "Turn the empty lot behind the school into a vegetable garden.", Description: "Bring gloves.\n\nAnd <seeds>.",
		Licence: "CC-BY-SA-4.0", Architecture: "centralised", Checklist: []string{"The school agrees in writing", "A budget\nunder 2500 EUR"},
		Beneficiaries: []string{"the school", "https://garden.example/actors/school"}, Tags: []string{"garden"}, Place: "Lot behind the school",
		Goal: 200000, Currency: "EUR", Status: projects.ProjectActive, CreatedAt: goldenAt, UpdatedAt: goldenAt.Add(time.Hour)}
	prow := store.Project{ID: p.ID, AssociationID: a.ID, Holder: p.Holder, Name: p.Name, Licence: p.Licence, Architecture: p.Architecture,
		Checklist: "[]", Beneficiaries: "[]", Currency: "EUR", Status: p.Status, CreatedAt: goldenAt, UpdatedAt: goldenAt}
	if err := db.Projects().Create(ctx, &prow); err != nil {
		t.Fatal(err)
	}
	task := projects.Task{ID: goldenTask, ProjectID: p.ID, AssociationID: a.ID, Name: "Build the raised beds",
		Description: "Four raised beds along the south wall.", Category: "other",
		DoneCriteria: []string{"Four beds of 2 m by 1 m, 40 cm high", "Untreated larch wood", "Photos of each bed"},
		Budget:       30000, Currency: "EUR", EstimatedEffort: 16 * time.Hour, MaxReservation: 14 * 24 * time.Hour,
		Reviewers: []string{goldenBase + "/actors/alice"}, Status: projects.TaskOpen, CreatedBy: p.Holder,
		CreatedAt: goldenAt, UpdatedAt: goldenAt}
	trow := store.Task{ID: task.ID, ProjectID: p.ID, AssociationID: a.ID, Name: task.Name, Category: task.Category,
		DoneCriteria: `["Four beds of 2 m by 1 m, 40 cm high","Untreated larch wood","Photos of each bed"]`, Budget: task.Budget,
		Currency: "EUR", MaxReservation: 3600, Reviewers: "[]", Status: task.Status, CreatedBy: p.Holder, CreatedAt: goldenAt, UpdatedAt: goldenAt}
	if err := db.Tasks().Create(ctx, &trow); err != nil {
		t.Fatal(err)
	}
	sub := store.Submission{ID: goldenSub, TaskID: task.ID, By: bob.URI, Text: "Built.", Links: "[]", Status: projects.SubmissionAccepted,
		SubmittedAt: goldenAt.Add(10 * 24 * time.Hour)}
	if err := db.Submissions().Create(ctx, &sub); err != nil {
		t.Fatal(err)
	}
	if err := db.Submissions().AddReview(ctx, &store.Review{ID: uuid.Must(uuid.NewV7()), SubmissionID: sub.ID, Reviewer: p.Holder,
		Verdict: projects.Accept, Criteria: "[]", Outcome: projects.OutcomePayout, Value: 30000,
		ReviewedAt: goldenAt.Add(11 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return p, task
}

// The documents of projects, tasks, submissions, reservations and ledger
// transactions are the vocabulary's (docs/vocabulary.md §4), written by its
// builders, the same on both databases; Mastodon shows each as its name,
// its summary line and its link.
func TestObjectDocuments_Golden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p, task := goldenWorld(t, db)
		d := objectDocs{baseURL: goldenBase}
		reserved := task
		until := goldenAt.Add(15 * 24 * time.Hour)
		reserved.Status, reserved.ReservedBy, reserved.ReservedUntil, reserved.UpdatedAt =
			projects.TaskReserved, "https://pro.example/actors/bob", &until, goldenAt.Add(24*time.Hour+123456*time.Microsecond)
		done := task
		done.Status, done.UpdatedAt = projects.TaskDone, goldenAt.Add(11*24*time.Hour)
		paid := task
		paid.Status, paid.UpdatedAt = projects.TaskPaid, goldenAt.Add(13*24*time.Hour)
		reviewed := projects.Submission{ID: goldenSub, TaskID: task.ID, By: "https://pro.example/actors/bob",
			Text: "The four beds are built.\nPhotos attached.", Links: []string{"https://pro.example/files/beds.zip", "not a link"},
			Status: projects.SubmissionAccepted, SubmittedAt: goldenAt.Add(10 * 24 * time.Hour)}
		review := projects.Review{Verdict: projects.Accept, ReviewedAt: goldenAt.Add(11 * 24 * time.Hour),
			Criteria: []projects.CriterionCheck{{Met: true}, {Met: true}, {Met: true, Comment: "Photos 3 and 4 show the same bed; fine."}}}
		pending := reviewed
		pending.Status = projects.SubmissionPending
		reservation := projects.Reservation{ID: goldenRes, TaskID: task.ID, Actor: "https://pro.example/actors/bob",
			Status: "active", ReservedAt: goldenAt.Add(24 * time.Hour), Deadline: until}
		donation := ledger.Transaction{ID: goldenTx, AssociationID: p.AssociationID, Kind: ledger.KindDonation,
			Cause: goldenBase + "/donations/" + goldenTx.String(), Amount: 5000, CreatedAt: goldenAt,
			Postings: []ledger.Posting{{Account: ledger.KeyDonors, Amount: -5000}, {Account: ledger.ProjectKey(p.ID), Amount: 5000}}}
		payout := ledger.Transaction{ID: goldenPayout, AssociationID: p.AssociationID, Kind: ledger.KindPayout,
			Cause: goldenBase + "/submissions/" + goldenSub.String(), Amount: 30000, CreatedAt: goldenAt.Add(11 * 24 * time.Hour),
			Postings: []ledger.Posting{{Account: ledger.TaskKey(task.ID), Amount: -30000}, {Account: ledger.KeyPayees, Amount: 30000}}}

		cases := []struct {
			name     string
			build    func() (objectDoc, error)
			mastodon string
		}{
			{"project", func() (objectDoc, error) { return d.project(ctx, db.Tx, p) },
				"Community garden\n\nActive project of the garden association. Goal 2000.00 EUR. Turn the empty lot behind the school into a vegetable garden."},
			{"task-open", func() (objectDoc, error) { return d.task(ctx, db.Tx, task) },
				"Build the raised beds\n\nOpen task. Budget 300.00 EUR. Reservable for up to 14 days."},
			{"task-reserved", func() (objectDoc, error) { return d.task(ctx, db.Tx, reserved) },
				"Build the raised beds\n\nReserved by bob@pro.example until 16 March 2025. Budget 300.00 EUR."},
			{"task-done", func() (objectDoc, error) { return d.task(ctx, db.Tx, done) },
				"Build the raised beds\n\nDone by bob@pro.example on 12 March 2025; 300.00 EUR to be paid."},
			{"task-paid", func() (objectDoc, error) { return d.task(ctx, db.Tx, paid) },
				"Build the raised beds\n\nDone by bob@pro.example on 12 March 2025; 300.00 EUR paid on 14 March 2025."},
			{"submission", func() (objectDoc, error) { return d.submission(ctx, db.Tx, pending, nil) },
				"Delivery: Build the raised beds\n\nSubmitted for Build the raised beds, awaiting review."},
			{"submission-reviewed", func() (objectDoc, error) { return d.submission(ctx, db.Tx, reviewed, &review) },
				"Delivery: Build the raised beds\n\nAccepted after review: the 3 done criteria are met."},
			{"reservation", func() (objectDoc, error) { return d.reservation(ctx, db.Tx, reservation) }, ""},
			{"transaction-donation", func() (objectDoc, error) { return d.transaction(ctx, db.Tx, donation, "") },
				"Donation of 50.00 EUR\n\nA donor gave 50.00 EUR to the Community garden project."},
			{"transaction-payout", func() (objectDoc, error) {
				return d.transaction(ctx, db.Tx, payout, "https://pro.example/actors/bob")
			}, "Payout of 300.00 EUR to bob@pro.example\n\nThe task Build the raised beds was verified; its budget is paid to bob@pro.example."},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				doc, err := c.build()
				if err != nil {
					t.Fatal(err)
				}
				m, err := doc.document()
				if err != nil {
					t.Fatal(err)
				}
				delete(m, "@context") // vocab's tests check it
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(m); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", c.name+".golden.json")
				if *updateGolden {
					if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update-golden to write it)", err)
				}
				if !bytes.Equal(buf.Bytes(), want) {
					t.Fatalf("%s differs from the golden file:\n%s", c.name, buf.String())
				}
				if c.mastodon == "" {
					return
				}
				types, _ := m["type"].([]any)
				if len(types) != 2 || types[1] != "Page" {
					t.Fatalf("type %v: Mastodon shows only a type it knows", m["type"])
				}
				name, _ := m["name"].(string)
				summary, _ := m["summary"].(string)
				if got := name + "\n\n" + summary; got != c.mastodon || m["url"] != m["id"] || strings.ContainsAny(got, "<>") {
					t.Fatalf("Mastodon shows %q and %v, want %q and the id", got, m["url"], c.mastodon)
				}
				to, _ := m["to"].([]any)
				if len(to) != 1 || to[0] != vocab.PublicAudience {
					t.Fatalf("to %v: not public", m["to"])
				}
			})
		}
	})
}
