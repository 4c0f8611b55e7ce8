package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/vocab"
)

// origin fetches notes from the servers they live on, for news
// (news.Origin): a signed GET by the instance actor through the guarded
// fetcher (bounded in size, redirects and time), then the author, who must
// live on the note's host, resolved and stored.
type origin struct {
	fetcher interface {
		Get(ctx context.Context, rawURL string) (fetch.Document, error)
	}
	actors interface {
		Actor(ctx context.Context, uri string) (membership.Actor, error)
	}
}

// noteTypes are the objects received as notes: Mastodon's Note, and the
// Article and Page of WordPress, Lemmy and others, whose name is their
// title.
var noteTypes = []string{"Note", "Article", "Page"}

func isNoteType(t any) bool {
	for _, want := range noteTypes {
		if hasType(t, want) {
			return true
		}
	}
	return false
}

// FetchNote implements news.Origin.
func (o origin) FetchNote(ctx context.Context, uri string) (news.RemoteNote, error) {
	doc, err := o.fetcher.Get(ctx, uri)
	if err != nil {
		return news.RemoteNote{}, fetchFailure(err)
	}
	obj, err := vocab.Parse(doc.Raw)
	if err != nil {
		return news.RemoteNote{}, unfetchable(err)
	}
	switch t := obj["type"]; {
	case hasType(t, "Tombstone"):
		return news.RemoteNote{}, fmt.Errorf("%s is a Tombstone: %w", doc.URL, news.ErrGoneAtOrigin)
	case !isNoteType(t) && !isPoll(obj):
		return news.RemoteNote{}, fmt.Errorf("%s is a %v: %w", doc.URL, t, news.ErrNotANote)
	}
	n := remoteNote(obj, nil, "")
	n.URI = doc.URL // the id the fetcher checked the document was served from
	if !core.IsHTTPURL(n.AttributedTo) || !core.SameHost(n.AttributedTo, n.URI) {
		return news.RemoteNote{}, unfetchable(fmt.Errorf("%s is attributed to %q, not to an actor of its host", n.URI, n.AttributedTo))
	}
	_, err = o.actors.Actor(ctx, n.AttributedTo)
	switch {
	case core.KindOf(err) == core.KindUnavailable:
		// Without its core kind, so that the activity is tried again.
		return news.RemoteNote{}, fmt.Errorf("author of %s: %s", n.URI, err.Error())
	case err != nil:
		return news.RemoteNote{}, fmt.Errorf("author of %s: %w", n.URI, err)
	}
	return n, nil
}

// fetchFailure sorts a failed fetch: gone (404, 410), refused for good
// (the answer or the URL breaks a rule, another 4xx), or worth trying
// again (no answer, 429, 5xx), which carries no core kind.
func fetchFailure(err error) error {
	var status *fetch.StatusError
	switch {
	case errors.Is(err, fetch.ErrNotFound) || errors.Is(err, fetch.ErrGone):
		return fmt.Errorf("%w: %w", news.ErrGoneAtOrigin, err)
	case errors.As(err, &status):
		if status.Code >= 400 && status.Code < 500 && status.Code != http.StatusTooManyRequests && status.Code != http.StatusRequestTimeout {
			return unfetchable(err)
		}
		return err
	case errors.Is(err, fetch.ErrURLRefused), errors.Is(err, fetch.ErrPrivateAddress), errors.Is(err, fetch.ErrTooManyRedirects),
		errors.Is(err, fetch.ErrContentType), errors.Is(err, fetch.ErrTooLarge), errors.Is(err, fetch.ErrMalformed),
		errors.Is(err, fetch.ErrIDMismatch):
		return unfetchable(err)
	}
	return err
}

func unfetchable(err error) error {
	return &core.Error{Kind: core.KindInvalid, Code: "note-unfetchable", Detail: "the note's server did not serve a usable note", Err: err}
}
