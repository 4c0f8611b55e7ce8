package actors

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// ErrNotActor is returned for a document that is not an actor with an
// inbox and a public key.
var ErrNotActor = errors.New("not an actor document with an inbox and a public key")

// Bounds on what is kept of a remote profile.
const (
	maxName       = 200
	maxSummary    = 5000
	maxURL        = 2048
	maxFields     = 16   // Mastodon allows 4, others more
	maxFieldName  = 200  // bytes
	maxFieldValue = 2000 // bytes of HTML
)

// document is the part of an actor document Holon reads. Fields take the
// forms real peers send: a string or an object for icon and url, an object
// or an array for publicKey.
type document struct {
	ID                string          `json:"id"`
	Type              json.RawMessage `json:"type"`
	PreferredUsername string          `json:"preferredUsername"`
	Name              string          `json:"name"`
	Summary           string          `json:"summary"`
	Inbox             string          `json:"inbox"`
	Outbox            string          `json:"outbox"`
	Followers         string          `json:"followers"`
	Following         string          `json:"following"`
	URL               json.RawMessage `json:"url"`
	Icon              json.RawMessage `json:"icon"`
	Attachment        json.RawMessage `json:"attachment"`
	Updated           string          `json:"updated"`
	Endpoints         struct {
		SharedInbox string `json:"sharedInbox"`
	} `json:"endpoints"`
	PublicKey json.RawMessage `json:"publicKey"`
	// A key document (GoToSocial's keyId URL serves one) has these at top level.
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

type publicKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// actorTypes are the ActivityStreams actor types.
var actorTypes = map[string]bool{"Person": true, "Group": true, "Organization": true, "Application": true, "Service": true}

// ParseActor reads an actor document served at its id. It checks that the
// document names its own key (publicKey.owner is the actor, and the key id
// lives on the actor's host).
func ParseActor(raw []byte) (membership.RemoteActor, error) {
	var d document
	if err := json.Unmarshal(raw, &d); err != nil {
		return membership.RemoteActor{}, fmt.Errorf("parse actor: %w", err)
	}
	kind := firstType(d.Type)
	if !actorTypes[kind] || d.ID == "" || d.Inbox == "" {
		return membership.RemoteActor{}, fmt.Errorf("parse actor %q: %w", d.ID, ErrNotActor)
	}
	key, err := pickKey(d.PublicKey, d.ID)
	if err != nil {
		return membership.RemoteActor{}, fmt.Errorf("parse actor %s: %w", d.ID, err)
	}
	for _, u := range []string{d.Inbox, d.Endpoints.SharedInbox, d.Outbox, d.Followers, d.Following} {
		if u != "" && !core.IsHTTPURL(u) {
			return membership.RemoteActor{}, fmt.Errorf("parse actor %s: %q is not an http(s) URL", d.ID, u)
		}
	}
	if !core.SameHost(d.ID, d.Inbox) {
		return membership.RemoteActor{}, fmt.Errorf("parse actor %s: its inbox %s is on another host", d.ID, d.Inbox)
	}
	username := d.PreferredUsername
	if username == "" {
		username = lastSegment(d.ID)
	}
	icon, iconType := imageOf(d.Icon)
	return membership.RemoteActor{
		URI: d.ID, Kind: kind, Username: clip(username, maxName), Inbox: d.Inbox, SharedInbox: d.Endpoints.SharedInbox,
		Outbox: d.Outbox, Followers: d.Followers, Following: d.Following,
		DisplayName: clip(news.PlainText(d.Name), maxName), Summary: news.Sanitize(clip(d.Summary, maxSummary)),
		URL: clip(httpLink(linkOf(d.URL)), maxURL), IconURL: icon, IconMediaType: iconType,
		Fields: fieldsOf(d.Attachment), Updated: updatedOf(d.Updated), KeyID: key.ID, PublicKeyPEM: key.PublicKeyPem, Document: string(raw),
	}, nil
}

// updatedOf reads an "updated" time; a missing or malformed one, or one in
// the future (which would shield the document from every later change),
// is none.
func updatedOf(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.After(time.Now().Add(time.Hour)) {
		return time.Time{}
	}
	return t
}

// fieldsOf reads the profile fields of an actor: the PropertyValue items
// of its attachment (Mastodon's format), names as plain text, values as
// sanitised HTML, bounded in number and size.
func fieldsOf(raw json.RawMessage) []membership.ProfileField {
	var items []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &items) != nil {
		var one json.RawMessage
		if len(raw) == 0 || json.Unmarshal(raw, &one) != nil {
			return nil
		}
		items = []json.RawMessage{one}
	}
	var out []membership.ProfileField
	for _, item := range items {
		var pv struct {
			Type  json.RawMessage `json:"type"`
			Name  string          `json:"name"`
			Value string          `json:"value"`
		}
		if json.Unmarshal(item, &pv) != nil || firstType(pv.Type) != "PropertyValue" {
			continue
		}
		name := clip(news.PlainText(pv.Name), maxFieldName)
		value := news.Sanitize(clip(pv.Value, maxFieldValue))
		if name == "" && value == "" {
			continue
		}
		if out = append(out, membership.ProfileField{Name: name, Value: value, HTML: value}); len(out) == maxFields {
			break
		}
	}
	return out
}

// imageOf reads an icon: its URL (http(s) only) and media type. An array
// (PeerTube gives several sizes) gives its first usable image.
func imageOf(raw json.RawMessage) (url, mediaType string) {
	var list []json.RawMessage
	if len(raw) > 0 && raw[0] == '[' && json.Unmarshal(raw, &list) == nil {
		for _, item := range list {
			if url, mediaType = imageOf(item); url != "" {
				return url, mediaType
			}
		}
		return "", ""
	}
	url = clip(httpLink(linkOf(raw)), maxURL)
	if url == "" {
		return "", ""
	}
	var img struct {
		MediaType string `json:"mediaType"`
	}
	if json.Unmarshal(raw, &img) == nil && strings.HasPrefix(img.MediaType, "image/") && len(img.MediaType) <= 100 {
		mediaType = img.MediaType
	}
	return url, mediaType
}

// httpLink keeps u only when it is an http(s) URL: a profile must not link
// to javascript: or data:.
func httpLink(u string) string {
	if core.IsHTTPURL(u) {
		return u
	}
	return ""
}

// parseKeyDocument reads a document served at a key id that is not the
// actor itself: either an actor (Mastodon serves the actor at id#main-key)
// or a bare key naming its owner (GoToSocial). It returns the owner's id.
func parseKeyDocument(raw []byte) (owner string, err error) {
	var d document
	if err := json.Unmarshal(raw, &d); err != nil {
		return "", fmt.Errorf("parse key document: %w", err)
	}
	switch {
	case actorTypes[firstType(d.Type)]:
		return d.ID, nil
	case d.Owner != "":
		return d.Owner, nil
	}
	return "", errors.New("the key id serves neither an actor nor a key naming its owner")
}

// pickKey returns the actor's key: publicKey may be one object or several
// (an array); each must be owned by the actor and live on its host.
func pickKey(raw json.RawMessage, actor string) (publicKey, error) {
	var keys []publicKey
	if len(raw) > 0 && raw[0] == '[' {
		if err := json.Unmarshal(raw, &keys); err != nil {
			return publicKey{}, fmt.Errorf("publicKey: %w", err)
		}
	} else if len(raw) > 0 {
		var k publicKey
		if err := json.Unmarshal(raw, &k); err != nil {
			return publicKey{}, fmt.Errorf("publicKey: %w", err)
		}
		keys = []publicKey{k}
	}
	for _, k := range keys {
		if k.ID == "" || k.PublicKeyPem == "" {
			continue
		}
		if k.Owner != actor || !core.SameHost(k.ID, actor) {
			return publicKey{}, fmt.Errorf("publicKey %s is not owned by the actor", k.ID)
		}
		if _, err := membership.ParsePublicKey(k.PublicKeyPem); err != nil {
			return publicKey{}, err
		}
		return k, nil
	}
	return publicKey{}, ErrNotActor
}

func firstType(raw json.RawMessage) string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		for _, t := range many {
			if actorTypes[t] {
				return t
			}
		}
		if len(many) > 0 {
			return many[0]
		}
	}
	return ""
}

// linkOf reads a url or icon: a string, a Link or Image object, or an array
// of those (the first usable one).
func linkOf(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj struct {
		Href string          `json:"href"`
		URL  json.RawMessage `json:"url"`
	}
	if json.Unmarshal(raw, &obj) == nil {
		if obj.Href != "" {
			return obj.Href
		}
		if len(obj.URL) > 0 && obj.URL[0] != '{' {
			return linkOf(obj.URL)
		}
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for _, item := range list {
			if l := linkOf(item); l != "" {
				return l
			}
		}
	}
	return ""
}

func lastSegment(id string) string {
	u, err := url.Parse(id)
	if err != nil {
		return ""
	}
	p := strings.TrimRight(u.Path, "/")
	return p[strings.LastIndex(p, "/")+1:]
}

func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	// Cut on a rune boundary.
	for max > 0 && (s[max]&0xC0) == 0x80 {
		max--
	}
	return s[:max]
}
