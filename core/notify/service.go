package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// Notification is one notification of an account: Type by the actor
// ActorURI, about the note NoteID when there is one.
type Notification struct {
	ID        uuid.UUID
	Account   uuid.UUID
	Type      string
	ActorURI  string
	NoteID    *uuid.UUID
	CreatedAt time.Time
}

// Query is a page of an account's notifications: the newest below MaxID
// and above SinceID, or the oldest above MinID when set (newest first all
// the same); only Types when not empty, none of ExcludeTypes, only those
// of Actor when set; at most Limit (DefaultLimit when 0, MaxLimit at
// most).
type Query struct {
	Types        []string
	ExcludeTypes []string
	Actor        uuid.UUID
	MaxID        uuid.UUID
	SinceID      uuid.UUID
	MinID        uuid.UUID
	Limit        int
}

// Service reads and dismisses the notifications of accounts. It is safe
// for concurrent use.
type Service struct{ db *store.DB }

// New returns a Service over db.
func New(db *store.DB) *Service { return &Service{db: db} }

// List returns the page q of the account's notifications, newest first.
// Notifications about a note deleted since, or from an actor suspended
// since, are left out.
func (s *Service) List(ctx context.Context, account uuid.UUID, q Query) ([]Notification, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	rows, err := s.db.Notifications().List(ctx, store.NotificationQuery{Account: account,
		Types: bounded(q.Types), ExcludeTypes: bounded(q.ExcludeTypes), Actor: q.Actor,
		MaxID: q.MaxID, SinceID: q.SinceID, MinID: q.MinID, Limit: min(limit, MaxLimit)})
	if err != nil {
		return nil, fmt.Errorf("notifications of %s: %w", account, err)
	}
	return fromRows(rows), nil
}

// Get returns the account's notification id (ErrNoSuchNotification when
// it has none by that id).
func (s *Service) Get(ctx context.Context, account, id uuid.UUID) (Notification, error) {
	row, err := s.db.Notifications().ByID(ctx, account, id)
	if errors.Is(err, store.ErrNotFound) {
		return Notification{}, ErrNoSuchNotification
	}
	if err != nil {
		return Notification{}, fmt.Errorf("notification %s: %w", id, err)
	}
	return fromRow(row), nil
}

// Dismiss deletes the account's notification id (ErrNoSuchNotification
// when it has none by that id).
func (s *Service) Dismiss(ctx context.Context, account, id uuid.UUID) error {
	err := s.db.Notifications().Delete(ctx, account, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchNotification
	}
	if err != nil {
		return fmt.Errorf("dismiss notification %s: %w", id, err)
	}
	return nil
}

// Clear deletes all the account's notifications.
func (s *Service) Clear(ctx context.Context, account uuid.UUID) error {
	if err := s.db.Notifications().DeleteAll(ctx, account); err != nil {
		return fmt.Errorf("clear notifications of %s: %w", account, err)
	}
	return nil
}

// Count counts the account's notifications above after (all of them for
// uuid.Nil), up to limit.
func (s *Service) Count(ctx context.Context, account, after uuid.UUID, limit int) (int, error) {
	n, err := s.db.Notifications().Count(ctx, account, after, limit)
	if err != nil {
		return 0, fmt.Errorf("count notifications of %s: %w", account, err)
	}
	return n, nil
}

// After returns, oldest first, at most limit notifications above after,
// of the accounts: what streams have not been sent yet.
func (s *Service) After(ctx context.Context, after uuid.UUID, accounts []uuid.UUID, limit int) ([]Notification, error) {
	rows, err := s.db.Notifications().After(ctx, after, accounts, limit)
	if err != nil {
		return nil, fmt.Errorf("notifications after %s: %w", after, err)
	}
	return fromRows(rows), nil
}

// Newest returns the id of the newest notification of anyone (uuid.Nil
// when there is none): where a stream starts.
func (s *Service) Newest(ctx context.Context) (uuid.UUID, error) {
	id, err := s.db.Notifications().Newest(ctx)
	if err != nil {
		return uuid.Nil, fmt.Errorf("newest notification: %w", err)
	}
	return id, nil
}

func bounded(types []string) []string {
	if len(types) > MaxTypes {
		return types[:MaxTypes]
	}
	return types
}

func fromRows(rows []store.Notification) []Notification {
	out := make([]Notification, len(rows))
	for i, r := range rows {
		out[i] = fromRow(r)
	}
	return out
}

func fromRow(r store.Notification) Notification {
	return Notification{ID: r.ID, Account: r.AccountID, Type: r.Type, ActorURI: r.ActorURI, NoteID: r.NoteID, CreatedAt: r.CreatedAt}
}
