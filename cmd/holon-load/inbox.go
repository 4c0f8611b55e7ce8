package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"path"
	"runtime"
	"time"

	"github.com/holon-network/holon/store"
)

// inboxRun is a load of signed activities on a server's shared inbox, sent
// by accounts of a peer that holon-load plays.
type inboxRun struct {
	inbox   string // the shared inbox URL
	mention string // a local actor, mentioned by every Create
	note    string // a local note, liked by every Like; "" for Creates only
	runID   int64  // makes this run's activity ids new to the server
	peer    *peer
}

// runInbox is `holon-load inbox`: see the flags.
func runInbox(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("holon-load inbox", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var (
		inbox    = fs.String("inbox", "", "the server's shared inbox, e.g. http://127.0.0.1:8080/inbox (required)")
		mention  = fs.String("mention", "", "id of a local actor that every Create mentions (required)")
		note     = fs.String("note", "", "id of a local note that every Like likes; without it only Creates are sent")
		actors   = fs.Int("actors", 100, "remote accounts sending the activities")
		nkeys    = fs.Int("keys", 16, "distinct RSA-2048 keys among the accounts (generating one takes about 0.1 s)")
		ip       = fs.String("ip", "127.0.0.9", "loopback address the remote accounts' server listens on")
		rate     = fs.Float64("rate", 500, "activities per second (open loop)")
		duration = fs.Duration("duration", 30*time.Second, "how long to measure (open loop)")
		warmup   = fs.Duration("warmup", 3*time.Second, "how long to send before measuring (open loop)")
		closed   = fs.Int("closed", 0, "closed loop with this many connections, instead of a fixed rate: the capacity")
		count    = fs.Int("activities", 20000, "how many activities the closed loop sends")
		conns    = fs.Int("connections", 256, "most connections of the open loop")
		timeout  = fs.Duration("timeout", 10*time.Second, "limit of one request")
		driver   = fs.String("db-driver", "", "the server's database driver (sqlite or postgres), to watch its processing")
		dsn      = fs.String("db-dsn", "", "the server's database: a SQLite file or a postgres:// URL")
		drainMax = fs.Duration("drain-timeout", 10*time.Minute, "how long to wait for the server to process what it received")
		pid      = fs.Int("pid", 0, "the server's process id, to report its CPU time and memory")
	)
	fs.Usage = func() {
		fmt.Fprintln(stdout, `holon-load inbox: sign Create (of a public Note mentioning -mention) and Like (of -note)
activities by -actors accounts of a server that holon-load plays on -ip, and POST them to
-inbox: at -rate, open loop, or as fast as -closed connections go. Each account sends one
activity first so that the server fetches its key before the measure. Signing happens
before the measured run. With -db-driver and -db-dsn it also reports how fast the server
processes what it stored.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *inbox == "" || *mention == "":
		return errors.New("-inbox and -mention are required")
	case *actors < 1 || *nkeys < 1:
		return errors.New("-actors and -keys must be positive")
	case *closed == 0 && (*rate <= 0 || *duration <= 0):
		return errors.New("-rate and -duration must be positive")
	case *closed < 0 || (*closed > 0 && *count < 1):
		return errors.New("-closed and -activities must be positive")
	}
	for _, u := range []string{*inbox, *mention, *note} {
		if _, err := url.Parse(u); err != nil {
			return err
		}
	}

	began := time.Now()
	keys, err := generateKeys(min(*nkeys, *actors))
	if err != nil {
		return err
	}
	names := make([]string, *actors)
	for i := range names {
		names[i] = fmt.Sprintf("load%d", i)
	}
	p, err := startPeer(*ip, names, keys, 0, nil)
	if err != nil {
		return err
	}
	defer p.close()
	r := &inboxRun{inbox: *inbox, mention: *mention, note: *note, runID: time.Now().Unix(), peer: p}
	what := "Creates of a public Note mentioning " + r.mention
	if r.note != "" {
		what += ", and Likes of " + r.note + " (one in two)"
	}
	fmt.Fprintf(stdout, "POST %s: %s, by %d accounts (%d RSA-2048 keys) on %s; %d CPUs; keys made in %.1f s\n",
		r.inbox, what, *actors, len(keys), p.base, runtime.NumCPU(), time.Since(began).Seconds())

	var db *store.DB
	if *driver != "" {
		openCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
		db, err = store.Open(openCtx, store.Driver(*driver), *dsn, 2)
		cancel()
		if err != nil {
			return err
		}
		defer db.Close()
	}
	client := newClient(*timeout, max(*conns, *closed))

	// Warm-up: one activity per account, so that the server fetches and
	// stores every key before the measure.
	began = time.Now()
	warm, err := r.sign(*actors, -1)
	if err != nil {
		return err
	}
	rep, err := runClosed(ctx, 8, len(warm), func(ctx context.Context, i int) string { return warm[i].post(ctx, client) })
	if err != nil {
		return err
	}
	if rep.Errors > 0 {
		return fmt.Errorf("warm-up: %d of %d activities refused: %v", rep.Errors, rep.Requests, rep.ErrorsBy)
	}
	fmt.Fprintf(stdout, "warm-up: %d activities accepted in %.2f s; the server fetched %d actor documents\n",
		rep.Requests, time.Since(began).Seconds(), p.fetches.Load())
	if db != nil {
		w, err := watchProcessing(ctx, db)
		if err != nil {
			return err
		}
		w.drain(ctx, time.Now(), *drainMax) // start the measure on an empty backlog
	}

	n := *count
	if *closed == 0 {
		n = (&load{interval: interval(*rate)}).count(*warmup, *duration)
	}
	began = time.Now()
	acts, err := r.sign(n, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "signed %d activities in %.1f s (before the measure)\n", n, time.Since(began).Seconds())

	fetched := p.fetches.Load()
	watch, err := watchServer(*pid)
	if err != nil {
		return err
	}
	defer watch.stop()
	var proc *processing
	if db != nil {
		if proc, err = watchProcessing(ctx, db); err != nil {
			return err
		}
	}
	send := func(ctx context.Context, i int) string { return acts[i].post(ctx, client) }
	if *closed > 0 {
		rep, err = runClosed(ctx, *closed, n, send)
	} else {
		rep, err = (&load{interval: interval(*rate), send: send}).run(ctx, *warmup, *duration)
	}
	if err != nil {
		return err
	}
	loadEnd := time.Now()
	if *closed > 0 {
		rep.print(stdout, fmt.Sprintf("closed loop: %d activities over %d connections", n, *closed))
	} else {
		rep.print(stdout, fmt.Sprintf("open loop: %.0f activities/s for %s after %s of warm-up", *rate, *duration, *warmup))
	}
	fmt.Fprintf(stdout, "  actor documents fetched by the server during the run: %d\n", p.fetches.Load()-fetched)
	fmt.Fprintln(stdout, watch.line())
	if proc != nil {
		fmt.Fprintln(stdout, proc.drain(ctx, loadEnd, *drainMax))
		fmt.Fprintln(stdout, "until processed, "+watch.line())
	}
	return nil
}

// sign signs n activities, the i-th by account i modulo the accounts: a
// Create when i is even or there is no note to like, else a Like. seq
// tells runs apart within this run's ids (-1: the warm-up).
func (r *inboxRun) sign(n, seq int) ([]signed, error) {
	out := make([]signed, n)
	errs := make([]error, n)
	now := time.Now()
	parallel(n, func(i int) {
		a := r.peer.actors[i%len(r.peer.actors)]
		var body []byte
		id := fmt.Sprintf("%d%02d%09d", r.runID, seq+1, i)
		if i%2 == 0 || r.note == "" {
			body, errs[i] = r.create(a, id, now)
		} else {
			body, errs[i] = marshal(map[string]any{
				"@context": "https://www.w3.org/ns/activitystreams",
				"id":       a.id + "#likes/" + id, "type": "Like", "actor": a.id, "object": r.note,
			})
		}
		if errs[i] == nil {
			out[i], errs[i] = signPOST(r.inbox, a, body, now)
		}
	})
	return out, errors.Join(errs...)
}

// create is a's Create of a public note, as Mastodon sends one: the note
// mentions the local actor, and is addressed to it too.
func (r *inboxRun) create(a *remoteActor, id string, now time.Time) ([]byte, error) {
	status := a.id + "/statuses/" + id
	u, _ := url.Parse(r.mention)
	name := path.Base(u.Path)
	mentionName := "@" + name + "@" + u.Host
	public := "https://www.w3.org/ns/activitystreams#Public"
	published := now.UTC().Format(time.RFC3339)
	content := fmt.Sprintf(`<p><span class="h-card" translate="no"><a href="%s" class="u-url mention">@<span>%s</span></a></span> `+
		`Le jardin ouvre samedi à 10 h : apportez vos graines et vos outils. Message %s.</p>`, r.mention, name, id)
	return marshal(map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams",
			map[string]any{"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri", "conversation": "ostatus:conversation",
				"sensitive": "as:sensitive", "toot": "http://joinmastodon.org/ns#"}},
		"id": status + "/activity", "type": "Create", "actor": a.id, "published": published,
		"to": []string{public}, "cc": []string{a.id + "/followers", r.mention},
		"object": map[string]any{
			"id": status, "type": "Note", "summary": nil, "inReplyTo": nil, "published": published,
			"url": r.peer.base + "/@" + a.name + "/" + id, "attributedTo": a.id,
			"to": []string{public}, "cc": []string{a.id + "/followers", r.mention},
			"sensitive": false, "atomUri": status,
			"conversation": "tag:" + r.peer.host + "," + now.UTC().Format(time.DateOnly) + ":objectId=" + id + ":objectType=Conversation",
			"content":      content, "contentMap": map[string]any{"fr": content},
			"attachment": []any{},
			"tag":        []any{map[string]any{"type": "Mention", "href": r.mention, "name": mentionName}},
			"replies": map[string]any{"id": status + "/replies", "type": "Collection",
				"first": map[string]any{"type": "CollectionPage", "next": status + "/replies?only_other_accounts=true&page=true",
					"partOf": status + "/replies", "items": []any{}}},
		},
	})
}
