package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/httpsig"
)

// runFanout is `holon-load fanout`: see the flags.
func runFanout(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("holon-load fanout", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var (
		target  = fs.String("target", "", "the server's base URL, e.g. http://127.0.0.1:8080 (required)")
		author  = fs.String("author", "", "the local account that posts, followed by every remote account (required)")
		token   = fs.String("token", "", "an API token of -author (required)")
		hosts   = fs.Int("hosts", 1000, "remote servers, each with a shared inbox")
		perHost = fs.Int("per-host", 10, "followers on each remote server")
		network = fs.String("net", "127.0.1", "the remote servers listen on <net>.1, <net>.2… (loopback)")
		ips     = fs.Int("ips", 10, "how many addresses the remote servers spread over (each server has a port of its own)")
		nkeys   = fs.Int("keys", 16, "distinct RSA-2048 keys among the followers")
		conns   = fs.Int("connections", 16, "connections sending the Follows")
		every   = fs.Int("verify-every", 10, "check the signature of one request in this many")
		wait    = fs.Duration("wait", 5*time.Minute, "longest wait for the Accepts, then for the deliveries")
		content = fs.String("content", "Assemblée générale samedi à 10 h au jardin : ordre du jour et covoiturage sur le site. #jardin", "the note's Markdown")
		pid     = fs.Int("pid", 0, "the server's process id, to report its CPU time and memory")
	)
	fs.Usage = func() {
		fmt.Fprintln(stdout, `holon-load fanout: play -hosts remote servers on loopback addresses, each with
-per-host accounts that follow -author through signed Follow activities (so that the server
fetches them and sends Accepts, as in real life), then post a note as -author through the
API and measure its delivery: requests received, wall time from the POST to the last 2xx,
and the server's CPU time over that span.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *target == "" || *author == "" || *token == "":
		return errors.New("-target, -author and -token are required")
	case *hosts < 1 || *perHost < 1 || *ips < 1 || *nkeys < 1 || *conns < 1 || *every < 1:
		return errors.New("-hosts, -per-host, -ips, -keys, -connections and -verify-every must be positive")
	}
	*target = strings.TrimRight(*target, "/")
	client := newClient(30*time.Second, *conns)
	local, err := fetchActor(ctx, client, *target+"/actors/"+*author)
	if err != nil {
		return err
	}

	began := time.Now()
	keys, err := generateKeys(min(*nkeys, *hosts**perHost))
	if err != nil {
		return err
	}
	recv := newFanoutReceiver(local, *every)
	peers := make([]*peer, 0, *hosts)
	defer func() {
		for _, p := range peers {
			p.close()
		}
	}()
	names := make([]string, *perHost)
	for i := range names {
		names[i] = fmt.Sprintf("f%d", i)
	}
	for h := range *hosts {
		ip := fmt.Sprintf("%s.%d", *network, 1+h%*ips)
		p, err := startPeer(ip, names, keys, h**perHost, recv.handler(h))
		if err != nil {
			return err
		}
		peers = append(peers, p)
	}
	followers := *hosts * *perHost
	fmt.Fprintf(stdout, "fan-out: %d remote servers × %d followers = %d followers of %s, on %d addresses %s.1–%d; %d CPUs; set up in %.1f s\n",
		*hosts, *perHost, followers, local.id, min(*ips, *hosts), *network, min(*ips, *hosts), runtime.NumCPU(), time.Since(began).Seconds())

	// Seeding: every account follows the author, for real.
	began = time.Now()
	runID := time.Now().Unix()
	rep, err := runClosed(ctx, *conns, followers, func(ctx context.Context, i int) string {
		a := peers[i / *perHost].actors[i%*perHost]
		body, err := marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": fmt.Sprintf("%s#follows/%d", a.id, runID), "type": "Follow", "actor": a.id, "object": local.id})
		if err != nil {
			return err.Error()
		}
		s, err := signPOST(local.inbox, a, body, time.Now())
		if err != nil {
			return err.Error()
		}
		return s.post(ctx, client)
	})
	if err != nil {
		return err
	}
	if rep.Errors > 0 {
		return fmt.Errorf("seeding: %d of %d Follows refused: %v", rep.Errors, rep.Requests, rep.ErrorsBy)
	}
	sent := time.Since(began)
	if err := recv.waitAccepts(ctx, followers, *wait); err != nil {
		return err
	}
	var fetched int64
	for _, p := range peers {
		fetched += p.fetches.Load()
	}
	total, err := followerCount(ctx, client, local.followers)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeding: %d Follows accepted in %.1f s, their %d Accepts received after %.1f s; the server fetched %d actor documents; its followers collection says %d\n",
		followers, sent.Seconds(), followers, time.Since(began).Seconds(), fetched, total)
	if total != followers {
		return fmt.Errorf("seeding: %s has %d followers, want %d", *author, total, followers)
	}
	time.Sleep(time.Second) // let the server settle after the Accepts

	// The measure: one post.
	recv.measure(*hosts)
	watch, err := watchServer(*pid)
	if err != nil {
		return err
	}
	defer watch.stop()
	posted := time.Now()
	note, err := postNote(ctx, client, *target, *token, *content)
	if err != nil {
		return err
	}
	answered := time.Since(posted)
	reached := recv.waitCreates(ctx, *wait)
	server := watch.line()
	time.Sleep(time.Second) // anything sent twice or late would show now
	res := recv.result(posted)
	fmt.Fprintf(stdout, "post: POST /api/holon/v1/notes answered in %.1f ms: %s\n", ms(answered), note)
	fmt.Fprintf(stdout, "deliveries: %d requests (%d Creates, %d other), %d of %d servers reached, %d reached twice\n",
		res.requests, res.creates, res.requests-res.creates, res.hosts, *hosts, res.twice)
	if !reached {
		fmt.Fprintf(stdout, "  NOT every server was reached within %s\n", *wait)
	}
	if len(res.objects) != 1 || res.objects[0] != note {
		fmt.Fprintf(stdout, "  WRONG objects delivered: %v\n", res.objects)
	}
	fmt.Fprintf(stdout, "  wall time from the POST to the last 2xx: %.1f ms (first after %.1f ms; servers reached p50 %.1f, p90 %.1f, p99 %.1f ms)\n",
		res.arrivals.Max, res.first, res.arrivals.P50, res.arrivals.P90, res.arrivals.P99)
	fmt.Fprintf(stdout, "  signatures checked: %d (one in %d), refused: %d\n", res.verified, *every, res.refused)
	fmt.Fprintln(stdout, server)
	if res.refused > 0 || !reached {
		return errors.New("the fan-out was not complete and valid")
	}
	return nil
}

// localActor is what fan-out reads of the posting actor's document.
type localActor struct {
	id, inbox, followers, keyID string
	key                         crypto.PublicKey
}

func fetchActor(ctx context.Context, client *http.Client, u string) (localActor, error) {
	var doc struct {
		ID        string `json:"id"`
		Inbox     string `json:"inbox"`
		Followers string `json:"followers"`
		PublicKey struct {
			ID  string `json:"id"`
			PEM string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := getJSON(ctx, client, u, &doc); err != nil {
		return localActor{}, err
	}
	key, err := membership.ParsePublicKey(doc.PublicKey.PEM)
	if err != nil {
		return localActor{}, fmt.Errorf("key of %s: %w", u, err)
	}
	return localActor{id: doc.ID, inbox: doc.Inbox, followers: doc.Followers, keyID: doc.PublicKey.ID, key: key}, nil
}

func followerCount(ctx context.Context, client *http.Client, u string) (int, error) {
	var doc struct {
		TotalItems int `json:"totalItems"`
	}
	err := getJSON(ctx, client, u, &doc)
	return doc.TotalItems, err
}

func getJSON(ctx context.Context, client *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", activityJSON)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v)
}

// postNote posts content as the token's account and returns the note's id.
func postNote(ctx context.Context, client *http.Client, target, token, content string) (string, error) {
	body, _ := json.Marshal(map[string]string{"content": content})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target+"/api/holon/v1/notes", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var n struct {
		URI string `json:"uri"`
	}
	if resp.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return "", fmt.Errorf("post the note: %s: %s", resp.Status, msg)
	}
	if err := json.NewDecoder(resp.Body).Decode(&n); err != nil || n.URI == "" {
		return "", fmt.Errorf("post the note: no uri in the answer: %v", err)
	}
	return n.URI, nil
}

// fanoutReceiver counts what the remote servers receive: Accepts while
// seeding, then the post's deliveries, checking one signature in every.
type fanoutReceiver struct {
	author localActor
	every  int

	mu        sync.Mutex
	posts     int // every POST, for choosing which to verify
	accepts   int
	measuring bool
	hosts     int                 // servers to reach
	reached   map[int][]time.Time // server → when each Create arrived
	creates   int
	requests  int
	objects   map[string]bool
	verified  int
	refused   int
	changed   chan struct{} // a signal after each POST counted
}

func newFanoutReceiver(author localActor, every int) *fanoutReceiver {
	return &fanoutReceiver{author: author, every: every, changed: make(chan struct{}, 1)}
}

// PublicKey lets the receiver check signatures by the author only.
func (f *fanoutReceiver) PublicKey(_ context.Context, keyID string, _ bool) (string, crypto.PublicKey, error) {
	if keyID != f.author.keyID {
		return "", nil, fmt.Errorf("unknown key %s", keyID)
	}
	return f.author.id, f.author.key, nil
}

func (f *fanoutReceiver) handler(host int) func(*http.Request, []byte) int {
	return func(r *http.Request, body []byte) int {
		var doc struct {
			Type   string          `json:"type"`
			Object json.RawMessage `json:"object"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			return http.StatusBadRequest
		}
		f.mu.Lock()
		f.posts++
		check := f.posts%f.every == 0
		f.mu.Unlock()
		status := http.StatusAccepted
		if check {
			res, err := httpsig.Verify(r, body, time.Now(), f)
			ok := err == nil && res.Owner == f.author.id
			f.mu.Lock()
			f.verified++
			if !ok {
				f.refused++
				status = http.StatusUnauthorized
			}
			f.mu.Unlock()
		}
		now := time.Now()
		f.mu.Lock()
		switch {
		case !f.measuring && doc.Type == "Accept":
			f.accepts++
		case f.measuring:
			f.requests++
			if doc.Type == "Create" {
				var obj struct {
					ID string `json:"id"`
				}
				_ = json.Unmarshal(doc.Object, &obj)
				f.creates++
				f.objects[obj.ID] = true
				f.reached[host] = append(f.reached[host], now)
			}
		}
		f.mu.Unlock()
		select {
		case f.changed <- struct{}{}:
		default:
		}
		return status
	}
}

// waitAccepts waits until n Accepts arrived.
func (f *fanoutReceiver) waitAccepts(ctx context.Context, n int, wait time.Duration) error {
	if !f.waitFor(ctx, wait, func() bool { return f.accepts >= n }) {
		f.mu.Lock()
		defer f.mu.Unlock()
		return fmt.Errorf("seeding: %d of %d Accepts received after %s", f.accepts, n, wait)
	}
	return nil
}

func (f *fanoutReceiver) measure(hosts int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.measuring, f.hosts = true, hosts
	f.reached, f.objects = map[int][]time.Time{}, map[string]bool{}
}

// waitCreates waits until every server received a Create.
func (f *fanoutReceiver) waitCreates(ctx context.Context, wait time.Duration) bool {
	return f.waitFor(ctx, wait, func() bool { return len(f.reached) >= f.hosts })
}

// waitFor waits until done (called under the lock) or wait has passed.
func (f *fanoutReceiver) waitFor(ctx context.Context, wait time.Duration, done func() bool) bool {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		ok := done()
		f.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-f.changed:
		case <-deadline.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

type fanoutResult struct {
	requests, creates, hosts, twice int
	verified, refused               int
	objects                         []string
	first                           float64      // ms from the POST to the first Create
	arrivals                        distribution // ms from the POST to each server's first Create
}

func (f *fanoutReceiver) result(posted time.Time) fanoutResult {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := fanoutResult{requests: f.requests, creates: f.creates, hosts: len(f.reached), verified: f.verified, refused: f.refused}
	var arrivals []time.Duration
	for _, at := range f.reached {
		arrivals = append(arrivals, at[0].Sub(posted))
		if len(at) > 1 {
			r.twice++
		}
	}
	for o := range f.objects {
		r.objects = append(r.objects, o)
	}
	slices.Sort(r.objects)
	if len(arrivals) > 0 {
		r.arrivals = distributionOf(arrivals)
		r.first = ms(arrivals[0])
	}
	return r
}
