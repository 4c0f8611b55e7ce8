package core

import (
	"strings"
	"testing"
)

func TestIsHTTPURL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://peer.example/users/ada", true},
		{"http://127.0.0.2:8080/actors/ada", true},
		{"ftp://peer.example/x", false},
		{"/users/ada", false},
		{"https://", false},
		{"", false},
		{"https://peer.example/" + strings.Repeat("a", MaxIDLength), false},
	}
	for _, tt := range tests {
		if got := IsHTTPURL(tt.in); got != tt.want {
			t.Errorf("IsHTTPURL(%.40q) = %v", tt.in, got)
		}
	}
}

func TestSameHost(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://peer.example/users/ada", "https://PEER.example/notes/1", true},
		{"https://peer.example/users/ada", "https://peer.example:8443/notes/1", false},
		{"https://peer.example/users/ada", "https://evil.example/notes/1", false},
		{"not a url", "not a url", false},
	}
	for _, tt := range tests {
		if got := SameHost(tt.a, tt.b); got != tt.want {
			t.Errorf("SameHost(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
