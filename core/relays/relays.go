// Package relays subscribes the instance to ActivityPub relays, in the
// convention of Mastodon's relays (FEP-ae0c): the instance actor sends a
// Follow of as:Public to the relay's inbox; the relay answers Accept or
// Reject, then passes on the public posts of its other subscribers (as
// Announces), and this instance delivers its own public posts to it. An
// Undo of the Follow unsubscribes. Only admins subscribe and unsubscribe.
package relays

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Bounds.
const (
	// MaxRelays is how many relays the instance subscribes to at most:
	// each is one more delivery of every public post.
	MaxRelays = 20
	// MaxURL bounds a relay's inbox or actor URL.
	MaxURL = 2048
)

// States of a subscription.
const (
	Pending  = store.RelayPending
	Accepted = store.RelayAccepted
	Rejected = store.RelayRejected
)

// Errors callers tell apart (compare with errors.Is).
var (
	ErrNotAdmin          = membership.ErrNotAdmin
	ErrTooMany           = core.New(core.KindConflict, "too-many-relays", fmt.Sprintf("the instance subscribes to at most %d relays", MaxRelays))
	ErrAlreadySubscribed = core.New(core.KindConflict, "relay-already-subscribed", "the instance subscribes to that relay already")
	ErrNoSuchRelay       = core.New(core.KindNotFound, "relay-not-found", "the instance does not subscribe to that relay")
	ErrUnreachable       = core.New(core.KindUnavailable, "relay-unreachable", "the relay's actor document could not be fetched, or names no inbox")
	ErrNotAccepted       = core.New(core.KindForbidden, "relay-not-accepted", "that relay has not accepted this instance's subscription")
	errNotWired          = errors.New("relays: federation is not wired")
)

// Relay is a subscription to a relay.
type Relay struct {
	ID uuid.UUID `json:"id"`
	// Inbox is where the Follow and the public posts are sent.
	Inbox string `json:"inbox"`
	// Actor is the relay's actor, "" until its document or its answer
	// named it.
	Actor     string    `json:"actor"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func relayFrom(r store.Relay) Relay {
	return Relay{ID: r.ID, Inbox: r.Inbox, Actor: r.Actor, State: r.State, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// Admin is who may change it: an instance admin (AdminOf), or the
// operator at the command line (CommandLine); see membership.Admin.
type Admin = membership.Admin

// CommandLine is the operator running `holon admin relay …`.
var CommandLine = membership.CommandLine

// AdminOf returns a's authority: ErrNotAdmin unless a is an active admin.
func AdminOf(a membership.Account) (Admin, error) { return membership.AdminOf(a) }

// Federation is what subscriptions need of the server-to-server side.
type Federation interface {
	// Prepare makes sure the instance actor, who sends the Follow and its
	// Undo, exists; it is called before the transaction that queues them.
	Prepare(ctx context.Context) error
	// Locate reads the actor document at actorURL and returns the relay's
	// inbox and actor id; it fails with ErrUnreachable when the document
	// cannot be fetched or names no inbox.
	Locate(ctx context.Context, actorURL string) (inbox, actor string, err error)
	// Follow queues the instance actor's Follow of as:Public, with id
	// r.FollowActivityID, to r.Inbox, in tx.
	Follow(ctx context.Context, tx store.Tx, r store.Relay) error
	// Unfollow queues the Undo of that Follow, in tx.
	Unfollow(ctx context.Context, tx store.Tx, r store.Relay) error
}

// HostPolicy tells which remote hosts the instance refuses (domains).
type HostPolicy interface {
	RefuseHost(ctx context.Context, host string) error
}

// Policy is how the service is configured.
type Policy struct {
	BaseURL string
	Host    string
	// AllowPrivate lets relays live on private and loopback addresses
	// (tests; a relay on the same network).
	AllowPrivate bool
}

// Service keeps the relay subscriptions. It is safe for concurrent use
// once wired.
type Service struct {
	db     *store.DB
	clock  core.Clock
	policy Policy
	hosts  HostPolicy
	fed    Federation
}

// New returns a Service; hosts may be nil (no domain is refused).
func New(db *store.DB, clock core.Clock, p Policy, hosts HostPolicy) *Service {
	return &Service{db: db, clock: clock, policy: p, hosts: hosts}
}

// UseFederation sets the server-to-server side. It is set once, at wiring.
func (s *Service) UseFederation(f Federation) { s.fed = f }

// List returns the subscriptions, oldest first.
func (s *Service) List(ctx context.Context, by Admin) ([]Relay, error) {
	rows, err := s.db.Relays().List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list relays: %w", err)
	}
	out := make([]Relay, 0, len(rows))
	for _, r := range rows {
		out = append(out, relayFrom(r))
	}
	return out, nil
}

// Subscribe subscribes the instance to the relay at rawURL: its inbox
// (Mastodon's https://relay.example/inbox) or its actor, whose document
// is fetched for its inbox. The Follow is queued in the transaction that
// records the subscription, pending until the relay answers.
func (s *Service) Subscribe(ctx context.Context, by Admin, rawURL string) (Relay, error) {
	if s.fed == nil {
		return Relay{}, errNotWired
	}
	u, err := s.checkURL(ctx, "inbox", rawURL)
	if err != nil {
		return Relay{}, err
	}
	inbox, actor := u.String(), ""
	if !strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/inbox") {
		// An actor's URL (https://relay.example/actor): its document names
		// the inbox.
		if inbox, actor, err = s.fed.Locate(ctx, u.String()); err != nil {
			return Relay{}, err
		}
		if _, err := s.checkURL(ctx, "inbox", inbox); err != nil {
			return Relay{}, err
		}
	}
	if err := s.fed.Prepare(ctx); err != nil {
		return Relay{}, err
	}
	now := s.clock.Now().UTC()
	row := store.Relay{ID: uuid.Must(uuid.NewV7()), Inbox: inbox, Actor: actor, State: Pending,
		FollowActivityID: s.policy.BaseURL + "/activities/" + uuid.Must(uuid.NewV7()).String(), CreatedAt: now, UpdatedAt: now}
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		n, err := tx.Relays().Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxRelays {
			return ErrTooMany
		}
		if err := tx.Relays().Add(ctx, &row); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return ErrAlreadySubscribed
			}
			return err
		}
		if err := s.fed.Follow(ctx, tx, row); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Account: by.Account(), AccountName: by.Name(), Action: "relay.subscribe",
			Target: inbox, Detail: map[string]any{"actor": actor}, At: now})
	})
	if err != nil {
		return Relay{}, fmt.Errorf("subscribe to relay %s: %w", inbox, err)
	}
	return relayFrom(row), nil
}

// Unsubscribe sends the relay id the Undo of the Follow and forgets it.
// The notes it brought stay.
func (s *Service) Unsubscribe(ctx context.Context, by Admin, id uuid.UUID) error {
	return s.unsubscribe(ctx, by, func(tx store.Tx) (store.Relay, error) { return tx.Relays().ByID(ctx, id) })
}

// UnsubscribeInbox is Unsubscribe of the relay whose inbox (or actor) is
// rawURL, as the command line names it.
func (s *Service) UnsubscribeInbox(ctx context.Context, by Admin, rawURL string) error {
	want := strings.TrimSpace(rawURL)
	return s.unsubscribe(ctx, by, func(tx store.Tx) (store.Relay, error) {
		list, err := tx.Relays().List(ctx)
		if err != nil {
			return store.Relay{}, err
		}
		for _, r := range list {
			if r.Inbox == want || (r.Actor != "" && r.Actor == want) {
				return r, nil
			}
		}
		return store.Relay{}, store.ErrNotFound
	})
}

func (s *Service) unsubscribe(ctx context.Context, by Admin, find func(tx store.Tx) (store.Relay, error)) error {
	if s.fed == nil {
		return errNotWired
	}
	if err := s.fed.Prepare(ctx); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		r, err := find(tx)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoSuchRelay
		}
		if err != nil {
			return err
		}
		if r.State != Rejected {
			if err := s.fed.Unfollow(ctx, tx, r); err != nil {
				return err
			}
		}
		if err := tx.Relays().Remove(ctx, r.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Account: by.Account(), AccountName: by.Name(), Action: "relay.unsubscribe",
			Target: r.Inbox, Detail: map[string]any{"state": r.State}, At: s.clock.Now()})
	})
	if err != nil {
		return fmt.Errorf("unsubscribe from relay: %w", err)
	}
	return nil
}

// ReceiveAnswer applies the relay's Accept (accepted) or Reject of our
// Follow followID, signed by signer. It reports false when followID is no
// Follow of a relay (another follow's answer). The signer must be on the
// relay's host; it becomes the relay's actor.
func (s *Service) ReceiveAnswer(ctx context.Context, signer, followID string, accepted bool) (bool, error) {
	if followID == "" {
		return false, nil
	}
	r, err := s.db.Relays().ByFollow(ctx, followID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if !core.SameHost(signer, r.Inbox) || (r.Actor != "" && r.Actor != signer) {
		return true, fmt.Errorf("answer to the Follow of relay %s by %s: %w", r.Inbox, signer, ErrNoSuchRelay)
	}
	state := Rejected
	if accepted {
		state = Accepted
	}
	if err := s.db.Relays().Answer(ctx, r.ID, state, signer, s.clock.Now().UTC()); err != nil {
		return true, fmt.Errorf("answer of relay %s: %w", r.Inbox, err)
	}
	return true, nil
}

// Sender returns the subscription whose relay actor is actor. It fails
// with ErrNoSuchRelay when actor is no relay's, and with ErrNotAccepted
// (and the relay) when its relay has not accepted the subscription.
func (s *Service) Sender(ctx context.Context, actor string) (Relay, error) {
	list, err := s.db.Relays().List(ctx)
	if err != nil {
		return Relay{}, fmt.Errorf("relay of %s: %w", actor, err)
	}
	for _, r := range list {
		// A relay whose answer has not come yet is known by its host.
		if r.Actor == actor || (r.Actor == "" && core.SameHost(actor, r.Inbox)) {
			if r.State != Accepted {
				return relayFrom(r), ErrNotAccepted
			}
			return relayFrom(r), nil
		}
	}
	return Relay{}, ErrNoSuchRelay
}

// checkURL reads a relay's URL: absolute http(s), no credentials, not on
// this instance, not on a refused domain, and not on a private address
// unless the policy allows them.
func (s *Service) checkURL(ctx context.Context, field, raw string) (*url.URL, error) {
	bad := func(code, detail string) (*url.URL, error) {
		return nil, core.Invalid(core.FieldError{Field: field, Code: code, Detail: detail})
	}
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return bad("required", "the relay's inbox URL, like https://relay.example/inbox")
	case len(raw) > MaxURL:
		return bad("too-long", fmt.Sprintf("at most %d characters", MaxURL))
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return bad("not-a-url", "an http or https URL, like https://relay.example/inbox")
	}
	u.Fragment, u.RawFragment = "", ""
	host := strings.ToLower(u.Hostname())
	if strings.EqualFold(u.Host, s.policy.Host) || host == hostOnly(s.policy.Host) {
		return bad("own-instance", "that is this instance, not a relay")
	}
	if !s.policy.AllowPrivate && isPrivate(host) {
		return bad("private-address", "the relay is on a private or loopback address")
	}
	if s.hosts != nil {
		if err := s.hosts.RefuseHost(ctx, u.Host); err != nil {
			return nil, err
		}
	}
	return u, nil
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return strings.ToLower(h)
	}
	return strings.ToLower(hostport)
}

// isPrivate tells a host that names this machine or a private network:
// localhost, or a loopback, private, link-local or unspecified address.
// (Names are resolved, and refused the same way, when deliveries connect.)
func isPrivate(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified()
}
