package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// The WebSocket side of the streaming API, on github.com/coder/websocket:
// small, no dependencies, maintained (it is the former nhooyr.io/websocket,
// adopted by Coder), with context-aware reads and writes, pings, read
// limits, and a client that tests use against the real server.

// maxClientMessage bounds what a client sends: subscribe and unsubscribe
// messages of a few dozen bytes.
const maxClientMessage = 4 << 10

// clientMessage is what a client sends on the socket.
type clientMessage struct {
	Type   string `json:"type"` // subscribe, unsubscribe
	Stream string `json:"stream"`
	Tag    string `json:"tag"`
}

// streamingSocket serves GET /api/v1/streaming: a WebSocket whose first
// topic may come as ?stream= (and &tag=), and which subscribes and
// unsubscribes by messages. Without an upgrade, the request with a
// stream is served as server-sent events, as Mastodon's streaming server
// does.
func (h *handlers) streamingSocket(w http.ResponseWriter, r *http.Request) {
	var topics []topic
	if name := r.URL.Query().Get("stream"); name != "" {
		t, ok := parseTopic(name, r.URL.Query().Get("tag"))
		if !ok {
			writeJSON(w, r, http.StatusBadRequest, errorJSON{Error: "Unknown stream type"})
			return
		}
		topics = append(topics, t)
	}
	if !headerHas(r, "Connection", "upgrade") || !headerHas(r, "Upgrade", "websocket") {
		if len(topics) == 0 {
			writeJSON(w, r, http.StatusBadRequest, errorJSON{Error: "Unknown stream type"})
			return
		}
		h.serveEvents(w, r, topics[0])
		return
	}
	s := h.startStream(w, r, topics)
	if s == nil {
		return
	}
	defer h.hub.remove(s)
	// The server's read and write timeouts would cut the socket after a
	// minute: a stream lives as long as its client.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	// Any origin: browser apps live on other sites, and streams go by
	// tokens only (streamViewer), never by cookies.
	opts := &websocket.AcceptOptions{InsecureSkipVerify: true}
	if p := r.Header.Get("Sec-WebSocket-Protocol"); p != "" {
		opts.Subprotocols = []string{p} // the token, echoed as Mastodon does
	}
	c, err := websocket.Accept(w, r, opts)
	if err != nil {
		return // Accept answered the client
	}
	defer c.CloseNow()
	c.SetReadLimit(maxClientMessage)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		defer cancel()
		for {
			_, data, err := c.Read(ctx)
			if err != nil {
				return
			}
			if reply := h.onClientMessage(s, data); reply != nil {
				s.sendRaw(reply)
			}
		}
	}()
	heartbeat := time.NewTicker(heartbeatEvery)
	defer heartbeat.Stop()
	for {
		select {
		case ev := <-s.out:
			b, err := json.Marshal(ev)
			if err != nil || write(ctx, c, b) != nil {
				return
			}
		case b := <-s.raw:
			if write(ctx, c, b) != nil {
				return
			}
		case <-heartbeat.C:
			pctx, pcancel := context.WithTimeout(ctx, writeWait)
			err := c.Ping(pctx)
			pcancel()
			if err != nil {
				return
			}
		case <-s.done:
			_ = c.Close(websocket.StatusGoingAway, "stream ended")
			return
		case <-ctx.Done():
			return
		}
	}
}

func write(ctx context.Context, c *websocket.Conn, b []byte) error {
	wctx, cancel := context.WithTimeout(ctx, writeWait)
	defer cancel()
	return c.Write(wctx, websocket.MessageText, b)
}

// onClientMessage applies a subscribe or unsubscribe message; it returns
// the error to send back, as Mastodon does ({"error", "status"}), or nil.
func (h *handlers) onClientMessage(s *stream, data []byte) []byte {
	var m clientMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return errorMessage("Could not parse message", http.StatusBadRequest)
	}
	t, ok := parseTopic(m.Stream, m.Tag)
	if !ok {
		return errorMessage("Unknown stream type", http.StatusBadRequest)
	}
	switch m.Type {
	case "subscribe":
		if err := s.subscribe(t); err != nil {
			status := http.StatusUnauthorized
			if !errors.Is(err, errTokenMissing) {
				status = http.StatusForbidden
			}
			return errorMessage(err.Error(), status)
		}
	case "unsubscribe":
		s.unsubscribe(t)
	default:
		return errorMessage("Unknown message type", http.StatusBadRequest)
	}
	return nil
}

func errorMessage(msg string, status int) []byte {
	b, _ := json.Marshal(struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}{msg, status})
	return b
}

// headerHas reports whether the comma-separated header name lists token.
func headerHas(r *http.Request, name, token string) bool {
	for _, v := range r.Header.Values(name) {
		for _, part := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}
