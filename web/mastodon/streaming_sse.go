package mastodon

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The server-sent events side of the streaming API: GET
// /api/v1/streaming/user, /user/notification, /public, /public/local,
// /hashtag?tag=, /hashtag/local?tag=. Each serves one topic; a comment
// line every 30 seconds keeps proxies from closing an idle stream.

// streamingEvents serves the SSE route of the topic name.
func (h *handlers) streamingEvents(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, ok := parseTopic(name, r.URL.Query().Get("tag"))
		if !ok {
			writeJSON(w, r, http.StatusBadRequest, errorJSON{Error: "No tag for stream provided"})
			return
		}
		h.serveEvents(w, r, t)
	}
}

func (h *handlers) serveEvents(w http.ResponseWriter, r *http.Request, t topic) {
	s := h.startStream(w, r, []topic{t})
	if s == nil {
		return
	}
	defer h.hub.remove(s)
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // nginx would hold events back
	w.WriteHeader(http.StatusOK)
	// send writes within a fresh deadline: the server's write timeout
	// would otherwise end the stream after a minute.
	send := func(text string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(writeWait))
		if _, err := w.Write([]byte(text)); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send(":)\n\n") {
		return
	}
	heartbeat := time.NewTicker(heartbeatEvery)
	defer heartbeat.Stop()
	for {
		select {
		case ev := <-s.out:
			// A payload is one line of JSON or an id; a newline in it
			// would end the data field.
			data := strings.ReplaceAll(ev.Payload, "\n", "\ndata: ")
			if !send(fmt.Sprintf("event: %s\ndata: %s\n\n", ev.Event, data)) {
				return
			}
		case <-heartbeat.C:
			if !send(":thump\n\n") {
				return
			}
		case <-s.done:
			return
		case <-r.Context().Done():
			return
		}
	}
}
