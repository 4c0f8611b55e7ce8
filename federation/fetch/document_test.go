package fetch

import (
	"errors"
	"testing"
)

func TestIsActivityStreams(t *testing.T) {
	tests := []struct {
		contentType string
		want        bool
	}{
		{"application/activity+json", true},
		{"application/activity+json; charset=utf-8", true},
		{"APPLICATION/ACTIVITY+JSON", true},
		{`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, true},
		{`application/ld+json;profile="https://www.w3.org/ns/activitystreams"; charset=utf-8`, true},
		{`application/ld+json; profile=https://www.w3.org/ns/activitystreams`, false}, // '/' must be quoted
		{`application/ld+json; PROFILE="https://www.w3.org/ns/activitystreams"`, true},
		{`application/ld+json; profile="https://example.org/a https://www.w3.org/ns/activitystreams"`, true},
		{`application/ld+json; profile="https://www.w3.org/ns/activitystreams#"`, false},
		{"application/ld+json", false},
		{"application/json", false},
		{"text/html", false},
		{"", false},
		{"application/activity+json; charset", false},
	}
	for _, tt := range tests {
		t.Run(tt.contentType, func(t *testing.T) {
			if got := IsActivityStreams(tt.contentType); got != tt.want {
				t.Errorf("IsActivityStreams(%q) = %t, want %t", tt.contentType, got, tt.want)
			}
		})
	}
}

func TestDocumentID(t *testing.T) {
	tests := []struct {
		name, raw string
		want      string
		malformed bool
	}{
		{"id", `{"id":"https://a.example/1","type":"Note"}`, "https://a.example/1", false},
		{"id last", `{"type":"Note","object":{"id":"https://b.example/2"},"id":"https://a.example/1"}`, "https://a.example/1", false},
		{"nested ids do not count", `{"object":{"id":"https://b.example/2"}}`, "", false},
		{"@id", `{"@id":"https://a.example/1"}`, "https://a.example/1", false},
		{"numeric id", `{"id":1}`, "", false},
		{"null id", `{"id":null}`, "", false},
		{"white space around", " \n{\"id\":\"x\"}\n ", "x", false},
		{"two ids", `{"id":"https://a.example/1","id":"https://b.example/2"}`, "", true},
		{"id and @id", `{"id":"https://a.example/1","@id":"https://a.example/1"}`, "", true},
		{"Id", `{"Id":"https://a.example/1"}`, "", true},
		{"id escaped", `{"\u0069d":"https://a.example/1","id":"https://b.example/2"}`, "", true},
		{"array", `[]`, "", true},
		{"string", `"id"`, "", true},
		{"empty", ``, "", true},
		{"two objects", `{"id":"a"}{"id":"b"}`, "", true},
		{"unclosed", `{"id":"a"`, "", true},
		{"bad value", `{"id":"a","x":tru}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := documentID([]byte(tt.raw))
			if errors.Is(err, ErrMalformed) != tt.malformed || (err != nil && !tt.malformed) {
				t.Fatalf("documentID(%s) error = %v, want malformed %t", tt.raw, err, tt.malformed)
			}
			if got != tt.want {
				t.Errorf("documentID(%s) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestSameURL(t *testing.T) {
	tests := []struct {
		id, served string
		want       bool
	}{
		{"https://a.example/users/ann", "https://a.example/users/ann", true},
		{"HTTPS://A.Example/users/ann", "https://a.example/users/ann", true},
		{"https://a.example:443/users/ann", "https://a.example/users/ann", true},
		{"http://127.0.0.1:80/x", "http://127.0.0.1/x", true},
		{"https://a.example", "https://a.example/", true},
		{"https://[2001:db8::1]:443/x", "https://[2001:db8::1]/x", true},
		{"https://[2001:db8::1]:8443/x", "https://[2001:db8::1]:8443/x", true},
		{"https://a.example/x?page=1", "https://a.example/x?page=1", true},
		{"https://a.example/users/Ann", "https://a.example/users/ann", false},
		{"https://a.example/users/ann/", "https://a.example/users/ann", false},
		{"https://a.example:8443/x", "https://a.example/x", false},
		{"http://a.example/x", "https://a.example/x", false},
		{"https://a.example/x?page=2", "https://a.example/x?page=1", false},
		{"https://a.example/x#main-key", "https://a.example/x", false},
		{"https://evil@a.example/x", "https://a.example/x", false},
		{"https://b.example/x", "https://a.example/x", false},
		{"", "https://a.example/x", false},
		{"%zz", "https://a.example/x", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := sameURL(tt.id, tt.served); got != tt.want {
				t.Errorf("sameURL(%q, %q) = %t, want %t", tt.id, tt.served, got, tt.want)
			}
		})
	}
}
