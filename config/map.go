package config

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

func (m Map) validate(v *validator) {
	if utf8.RuneCountInString(m.Attribution) > MaxAttribution || strings.ContainsAny(m.Attribution, "\r\n") {
		v.add("map.attribution", "must be one line of at most %d characters", MaxAttribution)
	}
	if m.TileURL == "" {
		return
	}
	if len(m.TileURL) > MaxTileURL {
		v.add("map.tile_url", "is longer than %d characters", MaxTileURL)
		return
	}
	if strings.Contains(m.TileURL, "{s}") {
		v.add("map.tile_url", "%q has a placeholder in its host ({s}): name one host, as the page allows images from one origin only", m.TileURL)
		return
	}
	u, err := url.Parse(m.TileURL)
	if err != nil || (u.Scheme != ProtocolHTTP && u.Scheme != ProtocolHTTPS) || u.Host == "" || u.User != nil {
		v.add("map.tile_url", "%q is not an http:// or https:// URL (leave it empty for no map)", m.TileURL)
		return
	}
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(m.TileURL, p) {
			v.add("map.tile_url", "%q lacks %s: it must have {z}, {x} and {y}, as https://tile.openstreetmap.org/{z}/{x}/{y}.png", m.TileURL, p)
			return
		}
	}
}

// TileOrigin is the origin (scheme://host[:port]) the map's tiles come
// from, which the map page's content security policy allows images
// from; "" when there is no map.
func (m Map) TileOrigin() string {
	if m.TileURL == "" {
		return ""
	}
	u, err := url.Parse(m.TileURL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
