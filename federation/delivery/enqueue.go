package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// Enqueue records the deliveries of one activity, to be POSTed by a Worker:
// body (the exact bytes sent), signed by the local actor named sender, to
// each of inboxes. Call it inside the transaction that makes the change the
// activity announces, then Wake the worker once that transaction commits.
//
// Inboxes are collapsed: the same URL twice (up to the case of the scheme
// and host, and a default port) is one delivery, and enqueuing the same
// activity to the same inbox again, in this call or a later one, is
// ignored. An inbox that is not an http(s) URL is recorded as dropped with
// the reason, rather than failing the caller's transaction: one follower's
// broken inbox must not stop a post.
func Enqueue(ctx context.Context, tx store.Tx, activityID, sender string, body []byte, inboxes []string, now time.Time) error {
	switch {
	case activityID == "":
		return errors.New("enqueue deliveries: no activity id")
	case sender == "":
		return fmt.Errorf("enqueue deliveries of %s: no sender", activityID)
	case !json.Valid(body):
		return fmt.Errorf("enqueue deliveries of %s: the body is not JSON", activityID)
	}
	now = now.UTC()
	seen := make(map[string]bool, len(inboxes))
	rows := make([]store.Delivery, 0, len(inboxes))
	for _, raw := range inboxes {
		inbox, host, err := normalizeInbox(raw)
		if seen[inbox] {
			continue
		}
		seen[inbox] = true
		d := store.Delivery{ID: uuid.Must(uuid.NewV7()), ActivityID: activityID, Sender: sender,
			Inbox: inbox, Host: host, Body: string(body), State: store.DeliveryPending,
			NextAttemptAt: now, CreatedAt: now}
		if err != nil {
			d.State, d.LastError, d.FinishedAt = store.DeliveryDropped, err.Error(), &now
		}
		rows = append(rows, d)
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.Deliveries().Enqueue(ctx, rows); err != nil {
		return fmt.Errorf("enqueue deliveries of %s: %w", activityID, err)
	}
	return nil
}

// normalizeInbox returns the form of an inbox URL that deliveries are
// unique on, and its host as the circuit breaker counts it (lower case,
// with the port unless it is the scheme's default). When raw is unusable it
// returns raw trimmed, no host and why.
func normalizeInbox(raw string) (inbox, host string, err error) {
	raw = strings.TrimSpace(raw)
	u, perr := url.Parse(raw)
	switch {
	case perr != nil:
		return raw, "", fmt.Errorf("inbox %q is not a URL", raw)
	case !strings.EqualFold(u.Scheme, "https") && !strings.EqualFold(u.Scheme, "http"):
		return raw, "", fmt.Errorf("inbox %q is not an http(s) URL", raw)
	case u.Host == "" || u.Opaque != "":
		return raw, "", fmt.Errorf("inbox %q has no host", raw)
	case u.User != nil:
		return raw, "", fmt.Errorf("inbox %s carries user information", u.Redacted())
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if port := u.Port(); (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		u.Host = strings.TrimSuffix(u.Host, ":"+port)
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), u.Host, nil
}
