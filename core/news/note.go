package news

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// Visibilities of a note: who it is addressed to.
const (
	Public    = "public"    // everyone, shown on public timelines
	Unlisted  = "unlisted"  // everyone, kept off public timelines
	Followers = "followers" // the author's followers and the mentioned actors
	Direct    = "direct"    // the mentioned actors only
)

// PublicCollection is ActivityStreams' special collection that addresses
// everyone (as peers write it, and as JSON-LD compaction shortens it).
const PublicCollection = "https://www.w3.org/ns/activitystreams#Public"

func isPublicCollection(s string) bool {
	return s == PublicCollection || s == "as:Public" || s == "Public"
}

// ValidVisibility reports whether v names a visibility.
func ValidVisibility(v string) bool {
	return v == Public || v == Unlisted || v == Followers || v == Direct
}

// Author is who wrote a note.
type Author struct {
	ID        uuid.UUID
	URI       string
	Username  string
	Host      string
	URL       string // the profile page
	Followers string // the followers collection
	Local     bool
}

// Acct is the author's name@host.
func (a Author) Acct() string { return a.Username + "@" + a.Host }

// Mention is an actor a note mentions: Href is its id, Name what the text
// shows ("@name@host").
type Mention struct {
	Href string
	Name string
}

// Note is a post, local or received. Content is sanitised HTML; Source,
// the Markdown it was written in, is kept for local notes only; Raw, the
// object as received, for remote ones.
type Note struct {
	ID          uuid.UUID
	URI         string
	URL         string
	Author      Author
	Title       string // of a received Article or Page, plain text
	Content     string
	Source      string
	Summary     string // the content warning, plain text
	Sensitive   bool
	InReplyTo   string     // the parent's id on the wire
	InReplyToID *uuid.UUID // the parent, when it is stored here
	Visibility  string
	Tags        []string // hashtags, lower case, without '#'
	Mentions    []Mention
	// Attachments are the images the note carries, in order (never nil
	// once read).
	Attachments []Attachment
	Local       bool
	Raw         string
	Published   time.Time
	Updated     *time.Time
	Deleted     *time.Time
	// Poll is the note's poll, nil when it has none (poll.go).
	Poll *Poll
}

// MentionURIs are the ids of the actors n mentions.
func (n Note) MentionURIs() []string {
	out := make([]string, len(n.Mentions))
	for i, m := range n.Mentions {
		out[i] = m.Href
	}
	return out
}

// Audience is the addressing of n on the wire, as Mastodon writes it for
// each visibility: public to everyone with the followers in copy, unlisted
// the other way round, followers-only to the followers, direct to the
// mentioned actors only. Mentioned actors are always in copy.
func (n Note) Audience() (to, cc []string) {
	mentioned := n.MentionURIs()
	switch n.Visibility {
	case Public:
		return []string{PublicCollection}, append([]string{n.Author.Followers}, mentioned...)
	case Unlisted:
		return []string{n.Author.Followers}, append([]string{PublicCollection}, mentioned...)
	case Followers:
		return []string{n.Author.Followers}, mentioned
	}
	return mentioned, []string{}
}

// VisibilityOf reads a received note's visibility from its addressing:
// the public collection in to is public, in cc unlisted; otherwise the
// author's followers collection makes it followers-only, and anything else
// is direct.
func VisibilityOf(to, cc []string, followers string) string {
	switch {
	case slices.ContainsFunc(to, isPublicCollection):
		return Public
	case slices.ContainsFunc(cc, isPublicCollection):
		return Unlisted
	}
	isFollowers := func(s string) bool {
		if followers != "" {
			return s == followers
		}
		return strings.HasSuffix(s, "/followers")
	}
	if slices.ContainsFunc(to, isFollowers) || slices.ContainsFunc(cc, isFollowers) {
		return Followers
	}
	return Direct
}

// noteFrom makes a Note of its row and details.
func (s *Service) noteFrom(r store.NoteRow, tags []string, mentions []store.NoteMention) Note {
	n := Note{ID: r.ID, URI: r.URI, URL: r.URL, Title: r.Title, Content: r.Content, Source: r.Source, Summary: r.Summary,
		Sensitive: r.Sensitive, InReplyTo: r.InReplyTo, InReplyToID: r.InReplyToID, Visibility: r.Visibility,
		Tags: tags, Local: r.Local, Published: r.PublishedAt, Updated: r.UpdatedAt, Deleted: r.DeletedAt,
		Author: Author{ID: r.AuthorID, URI: r.AuthorURI, Username: r.AuthorUsername, Host: r.AuthorHost,
			URL: r.AuthorURL, Followers: r.AuthorFollowers, Local: r.AuthorLocal}}
	if r.Raw != nil {
		n.Raw = *r.Raw
	}
	if n.Author.Local {
		n.Author.URL = s.policy.BaseURL + "/@" + r.AuthorUsername
		n.Author.Followers = r.AuthorURI + "/followers"
	}
	if n.Author.URL == "" {
		n.Author.URL = n.Author.URI
	}
	if n.URL == "" {
		n.URL = n.URI
	}
	if n.Tags == nil {
		n.Tags = []string{}
	}
	n.Attachments = []Attachment{}
	n.Mentions = make([]Mention, len(mentions))
	for i, m := range mentions {
		n.Mentions[i] = Mention{Href: m.Href, Name: m.Name}
	}
	return n
}

func storeMentions(ms []Mention) []store.NoteMention {
	out := make([]store.NoteMention, len(ms))
	for i, m := range ms {
		out[i] = store.NoteMention{Href: m.Href, Name: m.Name}
	}
	return out
}
