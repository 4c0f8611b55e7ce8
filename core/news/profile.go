package news

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/holon-network/holon/store"
)

// MaxProfileSummary bounds the bytes of a remote actor's summary that are
// shown.
const MaxProfileSummary = 10_000

// Profile is a remote actor as a page shows it above its notes. Name is
// plain text; Summary is sanitised HTML.
type Profile struct {
	Author  Author
	Kind    string
	Name    string
	Summary string
}

// RemoteProfile returns the remote actor username@host that this instance
// knows (it never fetches): ErrNoSuchActor when there is none.
func (s *Service) RemoteProfile(ctx context.Context, username, host string) (Profile, error) {
	if username == "" || host == "" || len(username)+len(host) > 300 {
		return Profile{}, ErrNoSuchActor
	}
	a, err := s.db.Notes().MentionedActor(ctx, username, host)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Local) {
		return Profile{}, ErrNoSuchActor
	}
	if err != nil {
		return Profile{}, fmt.Errorf("profile of %s@%s: %w", username, host, err)
	}
	summary := a.Summary
	if len(summary) > MaxProfileSummary {
		summary = summary[:MaxProfileSummary]
	}
	p := Profile{Author: Author{ID: a.ID, URI: a.URI, Username: a.Username, Host: a.Host, URL: a.URL,
		Followers: a.Followers}, Kind: a.Kind, Name: displayName(a.DisplayName, false),
		Summary: strings.TrimSpace(Sanitize(summary))}
	if p.Author.URL == "" {
		p.Author.URL = a.URI
	}
	return p, nil
}
