package auth

import (
	"net/http/httptest"
	"testing"
)

func TestClientIP(t *testing.T) {
	tests := []struct {
		name       string
		remote     string
		xff        string
		trustProxy bool
		want       string
	}{
		{"peer address", "192.0.2.7:4242", "", false, "192.0.2.7"},
		{"forwarded header ignored without a trusted proxy", "192.0.2.7:4242", "203.0.113.9", false, "192.0.2.7"},
		{"proxy's last hop trusted", "127.0.0.1:4242", "198.51.100.1, 203.0.113.9", true, "203.0.113.9"},
		{"forged garbage falls back to the peer", "127.0.0.1:4242", "not-an-ip", true, "127.0.0.1"},
		{"ipv6 peer", "[2001:db8::1]:4242", "", false, "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := ClientIP(r, tt.trustProxy); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
