package oauth

import (
	"net/http/httptest"
	"net/url"
	"testing"
)

// The code goes back to the very URI the app registered: its escaping
// and its own query kept.
func TestRedirectTo_KeepsTheRegisteredURI(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"https://elk.zone/api/mastodon.social/oauth/https%3A%2F%2Felk.zone", "https://elk.zone/api/mastodon.social/oauth/https%3A%2F%2Felk.zone?code=c&state=s"},
		{"https://app.example/cb?from=holon", "https://app.example/cb?code=c&from=holon&state=s"},
		{"com.keylesspalace.tusky://oauth", "com.keylesspalace.tusky://oauth?code=c&state=s"},
		{"elk://oauth/callback", "elk://oauth/callback?code=c&state=s"},
		{"http://127.0.0.1:4000/callback", "http://127.0.0.1:4000/callback?code=c&state=s"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		redirectTo(w, tt.uri, url.Values{"code": {"c"}}, "s")
		if got := w.Header().Get("Location"); w.Code != 302 || got != tt.want {
			t.Errorf("%s: %d %s, want %s", tt.uri, w.Code, got, tt.want)
		}
	}
}
