package oauth

import (
	"slices"
	"testing"
)

func TestAllows(t *testing.T) {
	tests := []struct {
		name    string
		granted []string
		need    string
		want    bool
	}{
		{"session or native token", nil, "write:statuses", true},
		{"nothing granted", []string{}, "read", false},
		{"top-level holds its sub-scopes", []string{"read"}, "read:statuses", true},
		{"top-level holds itself", []string{"write"}, "write", true},
		{"sub-scope holds itself", []string{"read:statuses"}, "read:statuses", true},
		{"sub-scope does not hold its sibling", []string{"read:statuses"}, "read:accounts", false},
		{"sub-scope does not hold its top", []string{"read:statuses"}, "read", false},
		{"read does not write", []string{"read"}, "write:statuses", false},
		{"write does not read", []string{"write"}, "read:statuses", false},
		{"follow holds write:follows", []string{"follow"}, "write:follows", true},
		{"follow holds read:blocks", []string{"follow"}, "read:blocks", true},
		{"follow does not post", []string{"follow"}, "write:statuses", false},
		{"read holds profile", []string{"read"}, "profile", true},
		{"read:accounts holds profile", []string{"read:accounts"}, "profile", true},
		{"profile holds profile", []string{"profile"}, "profile", true},
		{"profile does not read accounts", []string{"profile"}, "read:accounts", false},
		{"push is its own", []string{"read", "write", "follow"}, "push", false},
		{"several scopes", []string{"read:statuses", "write:media"}, "write:media", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Allows(tt.granted, tt.need); got != tt.want {
				t.Fatalf("Allows(%v, %q) = %v", tt.granted, tt.need, got)
			}
		})
	}
}

func TestParseScopes(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"", []string{"read"}, false},
		{"   ", []string{"read"}, false},
		{"read write follow push", []string{"read", "write", "follow", "push"}, false},
		{"read+write", []string{"read", "write"}, false},
		{"read read:statuses read", []string{"read", "read:statuses"}, false},
		{"profile", []string{"profile"}, false},
		{"admin:read", nil, true},
		{"read:nothing", nil, true},
		{"write:search", nil, true}, // search is read-only
		{"read admin", nil, true},
		{"READ", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseScopes(tt.in)
			if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
				t.Fatalf("ParseScopes(%q) = %v, %v", tt.in, got, err)
			}
		})
	}
}

func TestSubset(t *testing.T) {
	tests := []struct {
		asked, granted []string
		want           bool
	}{
		{[]string{"read"}, []string{"read", "write"}, true},
		{[]string{"read:statuses", "write:media"}, []string{"read", "write"}, true},
		{[]string{"read", "write"}, []string{"read"}, false},
		{[]string{"read"}, []string{"read:statuses"}, false},
		{[]string{"write:follows"}, []string{"follow"}, true},
		{[]string{"push"}, []string{"read", "write", "follow"}, false},
		{[]string{}, []string{"read"}, true},
	}
	for _, tt := range tests {
		if got := Subset(tt.asked, tt.granted); got != tt.want {
			t.Errorf("Subset(%v, %v) = %v", tt.asked, tt.granted, got)
		}
	}
}

func TestScopes_AllValid(t *testing.T) {
	for _, s := range Scopes() {
		if !Valid(s) {
			t.Errorf("advertised scope %q is not valid", s)
		}
	}
}
