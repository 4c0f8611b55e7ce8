package mastodon

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// The poll of a status posted as a form or as JSON, and the answer to a
// refused one: Mastodon's 422 "Validation failed: …". The rules run in
// news.Post before it touches the database, so no database is needed.
func TestParsePoll(t *testing.T) {
	svc := news.New(nil, core.SystemClock{}, news.Policy{})
	form := func(kv ...string) *http.Request {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		r := httptest.NewRequest("POST", "/api/v1/statuses", strings.NewReader(v.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			t.Fatal(err)
		}
		return r
	}
	long := strings.Repeat("x", news.MaxPollOptionLength+1)
	tests := []struct {
		name string
		r    *http.Request
		want *news.PollInput
		err  string
	}{
		{"no poll", form("status", "hi"), nil, ""},
		{"a poll", form("poll[options][]", "tea", "poll[options][]", "coffee", "poll[expires_in]", "3600", "poll[multiple]", "true"),
			&news.PollInput{Options: []string{"tea", "coffee"}, ExpiresIn: time.Hour, Multiple: true}, ""},
		{"too many options", form("poll[options][]", "a", "poll[options][]", "b", "poll[options][]", "c", "poll[options][]", "d",
			"poll[options][]", "e", "poll[expires_in]", "3600"), nil, "Validation failed: Poll options can't contain more than 4 items"},
		{"an option too long", form("poll[options][]", "a", "poll[options][]", long, "poll[expires_in]", "3600"), nil,
			"Validation failed: Poll options cannot be longer than 50 characters each"},
		{"too soon", form("poll[options][]", "a", "poll[options][]", "b", "poll[expires_in]", "60"), nil,
			"Validation failed: Poll expires at is too soon"},
		{"no duration", form("poll[options][]", "a", "poll[options][]", "b"), nil,
			"Validation failed: Poll expires in must be a number of seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := parsePoll(tt.r.Form)
			if err == nil && in != nil && tt.err != "" {
				_, err = svc.Post(context.Background(), membership.Account{}, news.PostInput{Content: "x", Poll: in})
			}
			if tt.err == "" {
				if err != nil || (tt.want == nil) != (in == nil) || (in != nil && (strings.Join(in.Options, ",") != strings.Join(tt.want.Options, ",") ||
					in.ExpiresIn != tt.want.ExpiresIn || in.Multiple != tt.want.Multiple || in.HideTotals != tt.want.HideTotals)) {
					t.Fatalf("parsePoll = %+v, %v", in, err)
				}
				return
			}
			w := httptest.NewRecorder()
			writePollError(w, tt.r, &handlers{}, err)
			want, _ := json.Marshal(errorJSON{Error: tt.err})
			if w.Code != http.StatusUnprocessableEntity || strings.TrimSpace(w.Body.String()) != string(want) {
				t.Fatalf("%d %s, want %s", w.Code, w.Body, want)
			}
		})
	}
	// A JSON body's poll: numbers and booleans as values or strings.
	var body struct{ Poll *pollParams }
	if err := json.Unmarshal([]byte(`{"poll": {"options": ["a", "b"], "expires_in": "300", "hide_totals": true}}`), &body); err != nil {
		t.Fatal(err)
	}
	if in, err := body.Poll.input(); err != nil || in.ExpiresIn != 5*time.Minute || !in.HideTotals || in.Multiple {
		t.Fatalf("JSON poll = %+v, %v", in, err)
	}
}
