package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/notify"
	"github.com/holon-network/holon/web/auth"
	"github.com/holon-network/holon/web/oauth"
)

// Mastodon's streaming API: GET /api/v1/streaming as a WebSocket
// (streaming_ws.go) and as server-sent events (streaming_sse.go), with the
// events Mastodon sends: "update" (a status for a timeline),
// "notification".
//
// Where events come from: a hub per process polls the database about once
// a second and fans out to the streams connected to that process. Holon
// may run several processes on one PostgreSQL database, and a note, a like
// or a follow may arrive from federation in any of them: a hub fed by
// in-process calls would miss what the others write, a poll of the
// database misses nothing and works the same on SQLite. It is cheap when
// idle: the poller runs only while streams are connected, and reads the
// timelines only when the newest note or boost id moved (news.Newest).
// Each stream sees what core's reads give its account — the home timeline
// (news.Home), its notifications (notify), public notes (news.Network,
// news.Tagged) — so visibility is core's rule, never re-implemented here.
//
// Entries are UUIDv7: their ids tell when they were written. A
// transaction may commit after a later one, so each poll looks back over a
// short window (lag) and remembers what it sent, rather than keeping a
// single "last id".

// Bounds of the streams.
const (
	maxStreamsPerAccount = 20
	maxStreams           = 1000
	maxTopicsPerStream   = 20
	streamBuffer         = 64 // events queued to a slow client before it is dropped
	heartbeatEvery       = 30 * time.Second
	writeWait            = 10 * time.Second
)

// Errors of a stream's start.
var (
	errTooManyStreams = errors.New("too many streams")
	errShuttingDown   = errors.New("the server is shutting down")
)

// event is one of Mastodon's streaming events. Payload is a JSON document
// as a string (a status, a notification) or an id.
type event struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
}

// topic is a stream a client subscribes to: Mastodon's name ("user",
// "user:notification", "public", "public:local", "hashtag",
// "hashtag:local") and, for hashtags, the tag.
type topic struct {
	name, tag string
}

func (t topic) key() string { return t.name + "\x00" + t.tag }

// names is the event's "stream" field for t.
func (t topic) names() []string {
	if t.tag != "" {
		return []string{t.name, t.tag}
	}
	return []string{t.name}
}

// personal says whether t needs an account.
func (t topic) personal() bool { return t.name == "user" || t.name == "user:notification" }

// scope is the OAuth scope t needs.
func (t topic) scope() string {
	if t.name == "user:notification" {
		return "read:notifications"
	}
	return "read:statuses"
}

// parseTopic reads a topic as Mastodon names it; false for an unknown one.
func parseTopic(name, tag string) (topic, bool) {
	switch name {
	case "user", "user:notification", "public", "public:local":
		return topic{name: name}, true
	case "hashtag", "hashtag:local":
		t, err := news.NormalizeTag(tag)
		return topic{name: name, tag: t}, err == nil
	}
	return topic{}, false
}

// stream is one connected client.
type stream struct {
	account *membership.Account // nil for a visitor
	scopes  []string
	since   time.Time // what was written before it connected is not sent
	out     chan event
	raw     chan []byte   // replies to a WebSocket client's messages
	done    chan struct{} // closed when the hub drops the stream
	once    sync.Once

	mu     sync.Mutex
	topics map[string]topic
}

func (s *stream) drop() { s.once.Do(func() { close(s.done) }) }

// subscribe adds t, when the stream may read it; the error is what to tell
// the client.
func (s *stream) subscribe(t topic) error {
	if t.personal() && s.account == nil {
		return errTokenMissing
	}
	if !oauth.Allows(s.scopes, t.scope()) {
		return errors.New(errOutsideScope)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.topics) >= maxTopicsPerStream {
		return errors.New("too many subscriptions")
	}
	s.topics[t.key()] = t
	return nil
}

func (s *stream) unsubscribe(t topic) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.topics, t.key())
}

func (s *stream) subscribed() []topic {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]topic, 0, len(s.topics))
	for _, t := range s.topics {
		out = append(out, t)
	}
	return out
}

// send queues ev unless the stream's client is too slow, which drops it:
// a client that cannot keep up reconnects and reloads its timelines.
func (s *stream) send(ev event) {
	select {
	case s.out <- ev:
	case <-s.done:
	default:
		s.drop()
	}
}

// sendRaw queues a reply to the client, dropped when replies pile up.
func (s *stream) sendRaw(b []byte) {
	select {
	case s.raw <- b:
	default:
	}
}

var errTokenMissing = errors.New("Missing access token")

// hub polls the database for the streams of this process.
type hub struct {
	h     *handlers
	every time.Duration // between polls
	lag   time.Duration // how far back each poll looks

	mu       sync.Mutex
	streams  map[*stream]struct{}
	accounts map[uuid.UUID]int
	polling  bool
	closed   bool
	servers  map[*http.Server]bool
	// What was sent lately, by entry or notification id (per account for
	// the home timelines), with when it was written (its UUIDv7 time),
	// forgotten once out of the window a poll looks at.
	seen   map[string]time.Time
	newest uuid.UUID // news.Newest at the previous poll
	moved  time.Time // when it last moved
}

func newHub(h *handlers) *hub {
	return &hub{h: h, every: time.Second, lag: 5 * time.Second, streams: map[*stream]struct{}{},
		accounts: map[uuid.UUID]int{}, servers: map[*http.Server]bool{}, seen: map[string]time.Time{}}
}

// watch ends the streams when srv shuts down: http.Server.Shutdown waits
// for requests in flight, which a stream never finishes by itself, and
// knows nothing of hijacked WebSocket connections.
func (hb *hub) watch(r *http.Request) {
	srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server)
	if !ok {
		return
	}
	hb.mu.Lock()
	defer hb.mu.Unlock()
	if !hb.servers[srv] {
		hb.servers[srv] = true
		srv.RegisterOnShutdown(hb.shutdown)
	}
}

// shutdown drops every stream and refuses new ones.
func (hb *hub) shutdown() {
	hb.mu.Lock()
	defer hb.mu.Unlock()
	hb.closed = true
	for s := range hb.streams {
		s.drop()
	}
}

// add registers a stream of account (nil for a visitor), within the
// bounds, and starts the poller if it is not running.
func (hb *hub) add(account *membership.Account, scopes []string) (*stream, error) {
	hb.mu.Lock()
	defer hb.mu.Unlock()
	switch {
	case hb.closed:
		return nil, errShuttingDown
	case len(hb.streams) >= maxStreams:
		return nil, errTooManyStreams
	case account != nil && hb.accounts[account.ID] >= maxStreamsPerAccount:
		return nil, errTooManyStreams
	}
	s := &stream{account: account, scopes: scopes, since: time.Now(), out: make(chan event, streamBuffer), raw: make(chan []byte, 4),
		done: make(chan struct{}), topics: map[string]topic{}}
	hb.streams[s] = struct{}{}
	if account != nil {
		hb.accounts[account.ID]++
	}
	if !hb.polling {
		hb.polling = true
		go hb.poll()
	}
	return s, nil
}

func (hb *hub) remove(s *stream) {
	s.drop()
	hb.mu.Lock()
	defer hb.mu.Unlock()
	if _, ok := hb.streams[s]; !ok {
		return
	}
	delete(hb.streams, s)
	if s.account != nil {
		if hb.accounts[s.account.ID]--; hb.accounts[s.account.ID] <= 0 {
			delete(hb.accounts, s.account.ID)
		}
	}
}

// poll runs while streams are connected.
func (hb *hub) poll() {
	tick := time.NewTicker(hb.every)
	defer tick.Stop()
	for range tick.C {
		hb.mu.Lock()
		streams := make([]*stream, 0, len(hb.streams))
		for s := range hb.streams {
			streams = append(streams, s)
		}
		if len(streams) == 0 || hb.closed {
			hb.polling = false
			hb.mu.Unlock()
			return
		}
		hb.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*hb.every)
		if err := hb.once(ctx, streams); err != nil {
			hb.h.log.Error().Err(err).Msg("mastodon streaming: poll")
		}
		cancel()
	}
}

// once is one poll: new notifications, then, when a note or a boost was
// written lately, the new entries of the timelines streams follow.
func (hb *hub) once(ctx context.Context, streams []*stream) error {
	now := time.Now()
	from := uuidAt(now.Add(-hb.lag))
	for k, at := range hb.seen {
		if at.Before(now.Add(-hb.lag - time.Second)) {
			delete(hb.seen, k)
		}
	}
	byAccount := map[uuid.UUID][]*stream{}
	var accounts []uuid.UUID
	public := map[string][]*stream{} // by topic key
	for _, s := range streams {
		for _, t := range s.subscribed() {
			if t.personal() {
				if byAccount[s.account.ID] == nil {
					accounts = append(accounts, s.account.ID)
				}
				if !containsStream(byAccount[s.account.ID], s) {
					byAccount[s.account.ID] = append(byAccount[s.account.ID], s)
				}
			} else {
				public[t.key()] = append(public[t.key()], s)
			}
		}
	}
	if err := hb.notifications(ctx, from, accounts, byAccount); err != nil {
		return err
	}
	newest, err := hb.h.news.Newest(ctx)
	if err != nil {
		return err
	}
	if newest != hb.newest {
		hb.newest, hb.moved = newest, now
	}
	if now.Sub(hb.moved) > hb.lag {
		return nil // nothing written lately: no timeline to read
	}
	for _, id := range accounts {
		if err := hb.home(ctx, from, byAccount[id]); err != nil {
			return err
		}
	}
	return hb.public(ctx, from, public)
}

func containsStream(list []*stream, s *stream) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// notifications sends the notifications written since from to the
// streams of their accounts.
func (hb *hub) notifications(ctx context.Context, from uuid.UUID, accounts []uuid.UUID, byAccount map[uuid.UUID][]*stream) error {
	if len(accounts) == 0 {
		return nil
	}
	list, err := hb.h.notify.After(ctx, from, accounts, 500)
	if err != nil {
		return err
	}
	for _, n := range list {
		key := "n" + n.ID.String()
		if _, ok := hb.seen[key]; ok {
			continue
		}
		written := uuidTime(n.ID)
		hb.seen[key] = written
		targets := byAccount[n.Account]
		if len(targets) == 0 {
			continue
		}
		out, err := hb.h.notificationsOf(ctx, *targets[0].account, []notify.Notification{n})
		if err != nil {
			return err
		}
		if len(out) == 0 {
			continue
		}
		payload, err := json.Marshal(out[0])
		if err != nil {
			return err
		}
		for _, s := range targets {
			for _, t := range s.subscribed() {
				if t.personal() && !written.Before(s.since.Truncate(time.Millisecond)) {
					s.send(event{Stream: t.names(), Event: "notification", Payload: string(payload)})
				}
			}
		}
	}
	return nil
}

// home sends the new entries of an account's home timeline to its
// streams subscribed to "user".
func (hb *hub) home(ctx context.Context, from uuid.UUID, streams []*stream) error {
	acc := *streams[0].account
	var targets []delivery
	for _, s := range streams {
		for _, t := range s.subscribed() {
			if t.name == "user" {
				targets = append(targets, delivery{s, t})
			}
		}
	}
	if len(targets) == 0 {
		return nil // only notifications are asked for
	}
	page, err := hb.h.news.Home(ctx, acc, "", news.MaxTimelineLimit)
	if errors.Is(err, news.ErrNoSuchActor) {
		return nil
	}
	if err != nil {
		return err
	}
	return hb.fanOut(ctx, "h"+acc.ID.String(), from, page.Entries, func(news.Entry) []delivery { return targets })
}

// public sends the new public notes to the public and hashtag streams.
func (hb *hub) public(ctx context.Context, from uuid.UUID, byTopic map[string][]*stream) error {
	if len(byTopic["public\x00"])+len(byTopic["public:local\x00"]) > 0 {
		page, err := hb.h.news.Network(ctx, nil, "", news.MaxTimelineLimit)
		if err != nil {
			return err
		}
		err = hb.fanOut(ctx, "p", from, page.Entries, func(e news.Entry) []delivery {
			var out []delivery
			for _, s := range byTopic["public\x00"] {
				out = append(out, delivery{s, topic{name: "public"}})
			}
			if e.Note.Author.Local && e.BoostedBy == nil {
				for _, s := range byTopic["public:local\x00"] {
					out = append(out, delivery{s, topic{name: "public:local"}})
				}
			}
			return out
		})
		if err != nil {
			return err
		}
	}
	tags := map[string]bool{}
	for key, list := range byTopic {
		name, tag, _ := strings.Cut(key, "\x00")
		if (name == "hashtag" || name == "hashtag:local") && len(list) > 0 {
			tags[tag] = true
		}
	}
	for tag := range tags {
		page, err := hb.h.news.Tagged(ctx, nil, tag, "", news.MaxTimelineLimit)
		if err != nil {
			return err
		}
		err = hb.fanOut(ctx, "t"+tag, from, page.Entries, func(e news.Entry) []delivery {
			var out []delivery
			for _, s := range byTopic["hashtag\x00"+tag] {
				out = append(out, delivery{s, topic{name: "hashtag", tag: tag}})
			}
			if e.Note.Author.Local {
				for _, s := range byTopic["hashtag:local\x00"+tag] {
					out = append(out, delivery{s, topic{name: "hashtag:local", tag: tag}})
				}
			}
			return out
		})
		if err != nil {
			return err
		}
	}
	return nil
}

type delivery struct {
	s *stream
	t topic
}

// fanOut sends each entry written since from, and not sent before under
// scope, as an "update" to the streams to returns, oldest first.
func (hb *hub) fanOut(ctx context.Context, scope string, from uuid.UUID, entries []news.Entry, to func(news.Entry) []delivery) error {
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		id, err := news.ParseCursor(e.Key)
		if err != nil || bytes.Compare(id[:], from[:]) <= 0 {
			continue
		}
		key := scope + id.String()
		if _, ok := hb.seen[key]; ok {
			continue
		}
		written := uuidTime(id)
		hb.seen[key] = written
		targets := to(e)
		if len(targets) == 0 {
			continue
		}
		st, err := hb.h.statusOf(ctx, e)
		if err != nil {
			return err
		}
		payload, err := json.Marshal(st)
		if err != nil {
			return err
		}
		for _, d := range targets {
			if !written.Before(d.s.since.Truncate(time.Millisecond)) {
				d.s.send(event{Stream: d.t.names(), Event: "update", Payload: string(payload)})
			}
		}
	}
	return nil
}

// uuidAt is the smallest UUIDv7 of the millisecond of t.
func uuidAt(t time.Time) uuid.UUID {
	var id uuid.UUID
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		id[i] = byte(ms >> (8 * (5 - i)))
	}
	return id
}

// uuidTime is when the UUIDv7 id was made.
func uuidTime(id uuid.UUID) time.Time {
	var ms int64
	for i := range 6 {
		ms = ms<<8 | int64(id[i])
	}
	return time.UnixMilli(ms)
}

// streamViewer is the account of a streaming request and its token's
// scopes; nil for a visitor. A session cookie does not count: a page on
// any site may open a WebSocket to this one with the visitor's cookies,
// so streams go by tokens only, as Mastodon's do.
func streamViewer(r *http.Request) (*membership.Account, []string) {
	id, ok := auth.From(r.Context())
	if !ok || !id.ByToken {
		return nil, nil
	}
	return &id.Account, id.Scopes
}

// streamToken lets the token come as Mastodon's streaming clients send it
// — the access_token parameter, or the Sec-WebSocket-Protocol header of a
// browser's WebSocket, which cannot set Authorization — and resolves it as
// a bearer token is.
func (h *handlers) streamToken(next http.Handler) http.Handler {
	resolve := auth.Middleware(h.members, func(w http.ResponseWriter, r *http.Request, _ error) {
		writeJSON(w, r, http.StatusUnauthorized, errorJSON{Error: errTokenInvalid})
	})(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.URL.Query().Get("access_token")
		if token == "" {
			token = strings.TrimSpace(r.Header.Get("Sec-WebSocket-Protocol"))
		}
		if token == "" || r.Header.Get("Authorization") != "" || len(token) > 512 {
			next.ServeHTTP(w, r)
			return
		}
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+token)
		resolve.ServeHTTP(w, r)
	})
}

func streamingHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("OK"))
}

// startStream checks the topics the request asks for and registers its
// stream; otherwise it answers as Mastodon does and returns nil.
func (h *handlers) startStream(w http.ResponseWriter, r *http.Request, topics []topic) *stream {
	account, scopes := streamViewer(r)
	for _, t := range topics {
		if t.personal() && account == nil {
			writeJSON(w, r, http.StatusUnauthorized, errorJSON{Error: errTokenMissing.Error()})
			return nil
		}
		if !oauth.Allows(scopes, t.scope()) {
			writeJSON(w, r, http.StatusForbidden, errorJSON{Error: errOutsideScope})
			return nil
		}
	}
	h.hub.watch(r)
	s, err := h.hub.add(account, scopes)
	switch {
	case errors.Is(err, errTooManyStreams):
		writeJSON(w, r, http.StatusTooManyRequests, errorJSON{Error: "Too many streams"})
		return nil
	case err != nil:
		writeJSON(w, r, http.StatusServiceUnavailable, errorJSON{Error: err.Error()})
		return nil
	}
	for _, t := range topics {
		_ = s.subscribe(t) // checked above
	}
	return s
}
