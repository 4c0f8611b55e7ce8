package mastodon_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/webtest"
)

// streamEvent is an event as Mastodon's streaming API sends it.
type streamEvent struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
}

// settleStreams gives the server time to drop the streams the test closes
// (cleanups run last first) and its poller time to stop, before the
// test's database closes under it. Call it before opening streams.
func settleStreams(t *testing.T) {
	t.Cleanup(func() { time.Sleep(1500 * time.Millisecond) })
}

// dial opens a WebSocket to the streaming API; token goes as the
// subprotocol, as browsers send it, when asProtocol.
func dial(t *testing.T, in *webtest.Instance, query, token string, asProtocol bool) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u := "ws" + strings.TrimPrefix(in.URL, "http") + "/api/v1/streaming" + query
	var opts websocket.DialOptions
	if asProtocol {
		opts.Subprotocols = []string{token}
	} else if token != "" {
		if strings.Contains(u, "?") {
			u += "&access_token=" + token
		} else {
			u += "?access_token=" + token
		}
	}
	c, resp, err := websocket.Dial(ctx, u, &opts)
	if err == nil {
		t.Cleanup(func() { _ = c.Close(websocket.StatusNormalClosure, "") })
	}
	return c, resp, err
}

// awaitEvent reads events until one of kind whose payload contains text,
// for at most a few seconds.
func awaitEvent(t *testing.T, next func(ctx context.Context) (streamEvent, error), kind, text string) streamEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	for {
		ev, err := next(ctx)
		if err != nil {
			t.Fatalf("waiting for %s with %q: %v", kind, text, err)
		}
		if ev.Event == kind && strings.Contains(ev.Payload, text) {
			return ev
		}
	}
}

func socketEvents(c *websocket.Conn) func(ctx context.Context) (streamEvent, error) {
	return func(ctx context.Context) (streamEvent, error) {
		_, data, err := c.Read(ctx)
		if err != nil {
			return streamEvent{}, err
		}
		var ev streamEvent
		err = json.Unmarshal(data, &ev)
		return ev, err
	}
}

func TestStreaming_WebSocket(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		settleStreams(t)
		ctx := context.Background()
		ada, adaClient := person(t, in, "ada")
		adaToken := adaClient.token
		bob, _ := person(t, in, "bob")
		if _, err := in.Members.Follow(ctx, ada, mustActor(t, in, "bob")); err != nil {
			t.Fatal(err)
		}
		// The token as a parameter, the topic in the address.
		user, _, err := dial(t, in, "?stream=user", adaToken, false)
		if err != nil {
			t.Fatal(err)
		}
		// The token as the subprotocol, the topic by a message.
		byProtocol, resp, err := dial(t, in, "", adaToken, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Header.Get("Sec-WebSocket-Protocol"); got != adaToken {
			t.Errorf("subprotocol answered %q", got)
		}
		if err := byProtocol.Write(ctx, websocket.MessageText, []byte(`{"type":"subscribe","stream":"user:notification"}`)); err != nil {
			t.Fatal(err)
		}
		public, _, err := dial(t, in, "?stream=public:local", "", false)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // the subscription is read before bob posts

		if _, err := in.News.Post(ctx, bob, news.PostInput{Content: "Tomatoes are in"}); err != nil {
			t.Fatal(err)
		}
		ev := awaitEvent(t, socketEvents(user), "update", "Tomatoes are in")
		var status struct {
			ID      string                `json:"id"`
			Account struct{ Acct string } `json:"account"`
		}
		if err := json.Unmarshal([]byte(ev.Payload), &status); err != nil || status.Account.Acct != "bob" || ev.Stream[0] != "user" {
			t.Errorf("update %+v: %+v %v", ev, status, err)
		}
		if ev := awaitEvent(t, socketEvents(public), "update", "Tomatoes are in"); ev.Stream[0] != "public:local" {
			t.Errorf("public update %+v", ev)
		}

		if _, err := in.News.Post(ctx, bob, news.PostInput{Content: "@ada want some?", Visibility: news.Direct}); err != nil {
			t.Fatal(err)
		}
		ev = awaitEvent(t, socketEvents(user), "notification", "want some?")
		var n struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal([]byte(ev.Payload), &n); err != nil || n.Type != "mention" {
			t.Errorf("notification %+v", ev)
		}
		if ev := awaitEvent(t, socketEvents(byProtocol), "notification", "want some?"); ev.Stream[0] != "user:notification" {
			t.Errorf("notification by subscription %+v", ev)
		}
		// The public stream never carries the direct note.
		rctx, cancel := context.WithTimeout(ctx, 2500*time.Millisecond)
		defer cancel()
		for {
			ev, err := socketEvents(public)(rctx)
			if err != nil {
				break
			}
			if strings.Contains(ev.Payload, "want some") {
				t.Fatalf("public stream leaked %+v", ev)
			}
		}
	})
}

func TestStreaming_Refusals(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		settleStreams(t)
		_, adaClient := person(t, in, "ada")
		adaToken := adaClient.token
		if _, resp, err := dial(t, in, "?stream=user", "", false); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("user stream without a token: %v %v", resp, err)
		}
		if _, resp, err := dial(t, in, "?stream=user", "not-a-token", false); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("user stream with a bad token: %v %v", resp, err)
		}
		// A visitor's socket may not subscribe to a user stream.
		c, _, err := dial(t, in, "", "", false)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := c.Write(ctx, websocket.MessageText, []byte(`{"type":"subscribe","stream":"user"}`)); err != nil {
			t.Fatal(err)
		}
		if _, data, err := c.Read(ctx); err != nil || !strings.Contains(string(data), `"status":401`) {
			t.Errorf("visitor's subscription answered %s %v", data, err)
		}
		for _, c := range []struct {
			path, token string
			status      int
		}{
			{"/api/v1/streaming/user", "", http.StatusUnauthorized},
			{"/api/v1/streaming/user/notification", "", http.StatusUnauthorized},
			{"/api/v1/streaming/hashtag", adaToken, http.StatusBadRequest},
			{"/api/v1/streaming?stream=nothing", adaToken, http.StatusBadRequest},
		} {
			if resp, body := request(t, in, http.MethodGet, c.path, c.token, nil); resp.StatusCode != c.status {
				t.Errorf("%s: %d %s, want %d", c.path, resp.StatusCode, body, c.status)
			}
		}
		resp, body := request(t, in, http.MethodGet, "/api/v1/streaming/health", "", nil)
		if resp.StatusCode != http.StatusOK || string(body) != "OK" {
			t.Errorf("health: %d %q", resp.StatusCode, body)
		}
	})
}

// sse opens a server-sent events stream and returns its events.
func sse(t *testing.T, in *webtest.Instance, path, token string) func(ctx context.Context) (streamEvent, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, in.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return func(ctx context.Context) (streamEvent, error) {
		var ev streamEvent
		for {
			select {
			case <-ctx.Done():
				return ev, ctx.Err()
			case line, ok := <-lines:
				switch {
				case !ok:
					return ev, context.Canceled
				case strings.HasPrefix(line, "event: "):
					ev.Event = strings.TrimPrefix(line, "event: ")
				case strings.HasPrefix(line, "data: "):
					ev.Payload += strings.TrimPrefix(line, "data: ")
				case line == "" && ev.Event != "":
					return ev, nil
				}
			}
		}
	}
}

func TestStreaming_ServerSentEvents(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		settleStreams(t)
		ctx := context.Background()
		ada, adaClient := person(t, in, "ada")
		adaToken := adaClient.token
		bob, _ := person(t, in, "bob")
		if _, err := in.Members.Follow(ctx, ada, mustActor(t, in, "bob")); err != nil {
			t.Fatal(err)
		}
		user := sse(t, in, "/api/v1/streaming/user", adaToken)
		public := sse(t, in, "/api/v1/streaming/public", "")
		tagged := sse(t, in, "/api/v1/streaming/hashtag?tag=Seeds", "")
		if _, err := in.News.Post(ctx, bob, news.PostInput{Content: "Swap on Sunday #seeds"}); err != nil {
			t.Fatal(err)
		}
		awaitEvent(t, user, "update", "Swap on Sunday")
		awaitEvent(t, public, "update", "Swap on Sunday")
		awaitEvent(t, tagged, "update", "Swap on Sunday")
		if _, err := in.News.Post(ctx, bob, news.PostInput{Content: "@ada bring yours"}); err != nil {
			t.Fatal(err)
		}
		awaitEvent(t, user, "notification", "bring yours")
	})
}

// The server's graceful shutdown ends the streams, so that it drains
// instead of waiting for clients that never leave.
func TestStreaming_EndsAtShutdown(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		settleStreams(t)
		_, adaClient := person(t, in, "ada")
		adaToken := adaClient.token
		socket, _, err := dial(t, in, "?stream=user", adaToken, false)
		if err != nil {
			t.Fatal(err)
		}
		events := sse(t, in, "/api/v1/streaming/public", "")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := in.Server.Config.Shutdown(ctx); err != nil {
			t.Fatalf("shutdown with streams open: %v", err)
		}
		if _, _, err := socket.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Errorf("socket ended with %v", err)
		}
		if _, err := events(ctx); err == nil || ctx.Err() != nil {
			t.Errorf("event stream ended with %v (context %v)", err, ctx.Err())
		}
	})
}
