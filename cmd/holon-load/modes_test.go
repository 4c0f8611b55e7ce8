package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// instance is a real Holon instance on loopback whose Processor and
// delivery Worker run, with bob and a note of his.
type instance struct {
	*webtest.Instance
	driver store.Driver
	dsn    string
	bob    membership.Account
	note   news.Note
}

func startInstance(t *testing.T, driver store.Driver) instance {
	t.Helper()
	ctx := context.Background()
	driver, dsn := storetest.DSN(t, driver)
	db, err := store.Open(ctx, driver, dsn, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	in := webtest.StartOn(t, db, "127.0.0.1", nil)
	bob, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "bob", Email: "bob@example.org", Password: "long enough pw"}, membership.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	note, err := in.News.Post(ctx, bob, news.PostInput{Content: "Le jardin ouvre samedi."})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{}, 2)
	go func() { in.Federation.Processor.Run(runCtx); done <- struct{}{} }()
	go func() { in.Federation.Delivery.Run(runCtx); done <- struct{}{} }()
	t.Cleanup(func() { stop(); <-done; <-done })
	return instance{Instance: in, driver: driver, dsn: dsn, bob: bob, note: note}
}

// number reads the integer after prefix in out.
func number(t *testing.T, out, prefix string) int {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + ` (\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %q in:\n%s", prefix, out)
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

func TestInbox_AcceptsAndProcessesEverySignedActivity(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			in := startInstance(t, driver)
			ctx := context.Background()
			common := []string{"inbox", "-inbox", in.URL + "/inbox", "-mention", in.Members.ActorURI("bob"), "-note", in.note.URI,
				"-actors", "3", "-keys", "2", "-ip", "127.0.0.9", "-db-driver", string(in.driver), "-db-dsn", in.dsn, "-drain-timeout", "1m"}
			for _, mode := range []struct {
				name string
				args []string
				sent int
			}{
				{"open loop", []string{"-rate", "40", "-duration", "1s", "-warmup", "250ms"}, 40},
				{"closed loop", []string{"-closed", "3", "-activities", "30"}, 30},
			} {
				var out bytes.Buffer
				if err := run(ctx, append(common, mode.args...), &out); err != nil {
					t.Fatalf("%s: %v\n%s", mode.name, err, out.String())
				}
				s := out.String()
				t.Logf("%s:\n%s", mode.name, s)
				if got := number(t, s, "requests"); got != mode.sent {
					t.Errorf("%s: %d requests measured, want %d:\n%s", mode.name, got, mode.sent, s)
				}
				for _, want := range []string{"errors 0,", "the server fetched 3 actor documents", "during the run: 0", "p99.9"} {
					if !strings.Contains(s, want) {
						t.Errorf("%s: no %q in:\n%s", mode.name, want, s)
					}
				}
				// Every stored activity was processed: none pending, none failed.
				if !strings.Contains(s, "all processed") || strings.Contains(s, "failed") || strings.Contains(s, "pending") {
					t.Errorf("%s: not all processed:\n%s", mode.name, s)
				}
			}
			// What the Processor did is real: the Creates are notes, the Likes likes.
			likes, _, err := in.News.Reactions(ctx, in.note.ID)
			if err != nil {
				t.Fatal(err)
			}
			if likes != 6 {
				t.Errorf("the note has %d likes, want one per remote account (3 per run)", likes)
			}
			counts, err := in.DB.Inbox().CountByState(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// 3 warm-ups per run, then every activity sent, warm-up of the open loop included.
			if want := 3 + (40 + 10) + 3 + 30; counts[store.InboxDone] != want {
				t.Errorf("inbox states %v, want %d done", counts, want)
			}
		})
	}
}

func TestFanout_DeliversThePostOncePerServer(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			in := startInstance(t, driver)
			token, _, err := in.Members.CreateToken(context.Background(), in.bob, "fan-out")
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			err = run(t.Context(), []string{"fanout", "-target", in.URL, "-author", "bob", "-token", token,
				"-hosts", "5", "-per-host", "3", "-ips", "2", "-net", "127.0.1", "-keys", "2", "-verify-every", "2", "-wait", "1m"}, &out)
			s := out.String()
			t.Log(s)
			if err != nil {
				t.Fatalf("%v\n%s", err, s)
			}
			for _, want := range []string{
				"15 Follows accepted", "its followers collection says 15",
				"deliveries: 5 requests (5 Creates, 0 other), 5 of 5 servers reached, 0 reached twice",
				"refused: 0", "wall time from the POST to the last 2xx",
			} {
				if !strings.Contains(s, want) {
					t.Errorf("no %q in:\n%s", want, s)
				}
			}
			if strings.Contains(s, "WRONG") || number(t, s, "signatures checked:") == 0 {
				t.Errorf("deliveries not checked:\n%s", s)
			}
		})
	}
}
