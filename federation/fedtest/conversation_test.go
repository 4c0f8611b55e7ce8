package fedtest_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/fedtest"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(fedtest.Main(m)) }

// within bounds every wait for something to cross between instances:
// generous for a loaded machine, while a pass takes a fraction of it.
const within = 20 * time.Second

// eachDriver runs fn on SQLite and on PostgreSQL, in parallel.
func eachDriver(t *testing.T, fn func(t *testing.T, driver store.Driver)) {
	t.Helper()
	for _, d := range storetest.Drivers {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

// arrived waits until in has the note uri and returns its copy.
func arrived(t *testing.T, in *fedtest.Instance, uri string) news.Note {
	t.Helper()
	var n news.Note
	fedtest.Eventually(t, within, fmt.Sprintf("%s receives %s", in.Name, uri), func() error {
		var ok bool
		if n, ok = in.NoteByURI(t, uri); !ok {
			return fmt.Errorf("not there; %s's deliveries: %v", in.Name, in.Deliveries(t))
		}
		return nil
	})
	return n
}

// A conversation between two running instances, step by step: zoe on B
// follows ada on A and is accepted; ada's note reaches B; zoe's reply
// reaches A, threaded under the note; zoe's like and boost are counted on
// A and withdrawn; ada's deletion reaches B; zoe unfollows, and A stops
// delivering to B.
func TestConversation_BetweenRunningInstances(t *testing.T) {
	t.Parallel()
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		lap := stopwatch(t)
		c := fedtest.New(t, driver)
		in := c.StartAll([]string{"a", "b"})
		a, b := in[0], in[1]
		users := fedtest.NewUsers(t, fedtest.Account{In: a, Name: "ada"}, fedtest.Account{In: b, Name: "zoe"})
		ada, zoe := users[0], users[1]
		lap("set up")
		var (
			follow fedtest.Follow
			note   fedtest.Note
			copyB  news.Note // B's copy of ada's note
		)
		// Each step builds on the ones before; after a failure the rest
		// would only fail for it.
		failed := false
		step := func(name string, fn func(t *testing.T)) {
			if !failed && !t.Run(name, fn) {
				failed = true
			}
		}

		step("follow and accept", func(t *testing.T) {
			if got := zoe.Resolve(t, ada.Acct()); got != ada.URI() {
				t.Fatalf("%s resolves to %s, want %s", ada.Acct(), got, ada.URI())
			}
			follow = zoe.Follow(t, ada.Acct())
			if follow.State != "pending" || follow.Target != ada.URI() {
				t.Fatalf("the follow starts as %+v, want pending on %s", follow, ada.URI())
			}
			fedtest.Eventually(t, within, "B learns that A accepted", func() error {
				if st := zoe.FollowState(t, ada.URI()); st != "accepted" {
					return fmt.Errorf("zoe's follow is %q", st)
				}
				return nil
			})
			if st, err := a.Members(t).FollowState(t.Context(), zoe.URI(), ada.URI()); err != nil || st != "accepted" {
				t.Fatalf("A has zoe's follow as %q (%v)", st, err)
			}
		})

		step("post delivered", func(t *testing.T) {
			note = ada.Post(t, "Assemblée **jeudi** #Commons")
			copyB = arrived(t, b, note.URI)
			if copyB.Local || copyB.Author.URI != ada.URI() || copyB.Content != note.Content {
				t.Fatalf("B stored %+v, want ada's %q", copyB, note.Content)
			}
			if status, got := zoe.Note(t, copyB.ID); status != http.StatusOK || got.URI != note.URI || got.AuthorURI != ada.URI() {
				t.Fatalf("zoe reads B's copy: %d %+v", status, got)
			}
		})

		step("reply threading", func(t *testing.T) {
			reply := zoe.Reply(t, copyB.ID, "Je viens !")
			if reply.InReplyTo == nil || *reply.InReplyTo != note.URI {
				t.Fatalf("the reply on B answers %v, want %s", reply.InReplyTo, note.URI)
			}
			atA := arrived(t, a, reply.URI)
			if atA.InReplyTo != note.URI || atA.InReplyToID == nil || *atA.InReplyToID != note.ID {
				t.Fatalf("A threads the reply under %v (%s), want note %s", atA.InReplyToID, atA.InReplyTo, note.ID)
			}
			if status, got := ada.Note(t, atA.ID); status != http.StatusOK || got.InReplyToID == nil || *got.InReplyToID != note.ID {
				t.Fatalf("ada reads the reply: %d %+v", status, got)
			}
			replies, err := a.News(t).Replies(t.Context(), nil, note.ID, uuid.Nil, 10)
			if err != nil || len(replies) != 1 || replies[0].URI != reply.URI {
				t.Fatalf("A lists the replies of ada's note as %v (%v)", replies, err)
			}
		})

		reactions := func(t *testing.T) (likes, boosts int) {
			t.Helper()
			likes, boosts, err := a.News(t).Reactions(t.Context(), note.ID)
			if err != nil {
				t.Fatal(err)
			}
			return likes, boosts
		}
		counted := func(t *testing.T, what string, wantLikes, wantBoosts int) {
			t.Helper()
			fedtest.Eventually(t, within, what, func() error {
				if l, b := reactions(t); l != wantLikes || b != wantBoosts {
					return fmt.Errorf("A counts %d likes and %d boosts", l, b)
				}
				return nil
			})
		}

		step("like", func(t *testing.T) {
			if n := zoe.Like(t, copyB.ID); n != 1 {
				t.Fatalf("B counts %d likes", n)
			}
			counted(t, "A counts zoe's like", 1, 0)
			zoe.Unlike(t, copyB.ID)
			counted(t, "A forgets zoe's like", 0, 0)
		})

		step("boost", func(t *testing.T) {
			if n := zoe.Boost(t, copyB.ID); n != 1 {
				t.Fatalf("B counts %d boosts", n)
			}
			counted(t, "A counts zoe's boost", 0, 1)
			zoe.Unboost(t, copyB.ID)
			counted(t, "A forgets zoe's boost", 0, 0)
		})

		step("delete propagates", func(t *testing.T) {
			ada.Delete(t, note.ID)
			fedtest.Eventually(t, within, "B deletes its copy", func() error {
				if n, _ := b.NoteByURI(t, note.URI); n.Deleted == nil {
					return fmt.Errorf("B's copy is still there: %q", n.Content)
				}
				return nil
			})
			if status, _ := zoe.Note(t, copyB.ID); status != http.StatusGone && status != http.StatusNotFound {
				t.Fatalf("zoe still reads the deleted note: %d", status)
			}
		})

		step("unfollow", func(t *testing.T) {
			zoe.Unfollow(t, follow.ID)
			fedtest.Eventually(t, within, "A learns that zoe unfollowed", func() error {
				st, err := a.Members(t).FollowState(t.Context(), zoe.URI(), ada.URI())
				if err != nil || st != "" {
					return fmt.Errorf("A has zoe's follow as %q (%v)", st, err)
				}
				return nil
			})
			// A queues its deliveries in the transaction of the post: once
			// the post is answered, B is in the queue or never will be.
			later := ada.Post(t, "Compte rendu de l'assemblée")
			for _, d := range a.DeliveriesOf(t, "Create", later.URI) {
				if strings.HasPrefix(d.Inbox, b.BaseURL+"/") {
					t.Fatalf("A queued a delivery of a new note to %s after zoe unfollowed", d.Inbox)
				}
			}
		})
	})
}

// stopwatch returns a function that logs how long each phase of a
// scenario took, for whoever reads a failure or a -v run.
func stopwatch(t *testing.T) func(phase string) {
	t.Helper()
	last := time.Now()
	return func(phase string) {
		t.Helper()
		t.Logf("%s: %s", phase, time.Since(last).Round(time.Millisecond))
		last = time.Now()
	}
}
