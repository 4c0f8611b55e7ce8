package config

import (
	"errors"
	"strings"
	"testing"
)

func TestMap_TileURLIsChecked(t *testing.T) {
	tests := []struct {
		name, url, attribution string
		problem                string // "" when valid
	}{
		{"OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors", ""},
		{"none: list only", "", "", ""},
		{"loopback http with port and retina", "http://127.0.0.1:8099/tiles/{z}/{x}/{y}{r}.png", "test", ""},
		{"no scheme", "tile.example.org/{z}/{x}/{y}.png", "", "not an http:// or https:// URL"},
		{"ftp", "ftp://tile.example.org/{z}/{x}/{y}.png", "", "not an http:// or https:// URL"},
		{"javascript", "javascript:alert(1)//{z}/{x}/{y}", "", "not an http:// or https:// URL"},
		{"credentials", "https://user:pw@tile.example.org/{z}/{x}/{y}.png", "", "not an http:// or https:// URL"},
		{"no {z}", "https://tile.example.org/{x}/{y}.png", "", "lacks {z}"},
		{"no {y}", "https://tile.example.org/{z}/{x}.png", "", "lacks {y}"},
		{"subdomain placeholder", "https://{s}.tile.example.org/{z}/{x}/{y}.png", "", "placeholder in its host"},
		{"too long", "https://tile.example.org/{z}/{x}/{y}.png?" + strings.Repeat("a", MaxTileURL), "", "longer than"},
		{"attribution on two lines", "", "a\nb", "map.attribution: must be one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.Map.TileURL, c.Map.Attribution = tt.url, tt.attribution
			err := c.Validate()
			if tt.problem == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 || !strings.Contains(ve.Problems[0], tt.problem) {
				t.Fatalf("Validate() = %v, want one problem with %q", err, tt.problem)
			}
		})
	}
}

func TestMap_TileOrigin(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"},
		{"http://127.0.0.1:8099/t/{z}/{x}/{y}.png", "http://127.0.0.1:8099"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := (Map{TileURL: tt.url}).TileOrigin(); got != tt.want {
			t.Errorf("TileOrigin(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestMap_FromEnvironment(t *testing.T) {
	c, err := Load("", []string{"HOLON_MAP_TILE_URL=", "HOLON_MAP_ATTRIBUTION=none"})
	if err != nil || c.Map.TileURL != "" || c.Map.Attribution != "none" {
		t.Fatalf("Load = %+v, %v", c.Map, err)
	}
	if _, err := Load("", []string{"HOLON_MAP_TILE_URL=https://t.example/{z}/{x}.png"}); err == nil || !strings.Contains(err.Error(), "map.tile_url") {
		t.Fatalf("a tile URL without {y} loaded: %v", err)
	}
}
