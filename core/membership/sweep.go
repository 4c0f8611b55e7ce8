package membership

import (
	"context"
	"fmt"
	"time"
)

// Swept counts what Sweep removed.
type Swept struct {
	Sessions      int64
	LoginFailures int64
	DeletedKeys   int64 // private keys of deleted actors, no longer needed
	OAuthCodes    int64 // authorization codes expired for a day
}

// Sweep removes expired sessions and authorization codes, log-in failures older than the rate
// limit's window, and the private keys of deleted actors whose last
// deliveries are done. It is idempotent, so several server processes may run it
// on their own schedule.
func (s *Service) Sweep(ctx context.Context) (Swept, error) {
	now := s.now()
	creds := s.db.Credentials()
	sessions, err := creds.DeleteExpiredSessions(ctx, now)
	if err != nil {
		return Swept{}, fmt.Errorf("sweep: %w", err)
	}
	failures, err := creds.DeleteLoginFailuresBefore(ctx, now.Add(-LoginWindow))
	if err != nil {
		return Swept{}, fmt.Errorf("sweep: %w", err)
	}
	keys, err := s.db.Actors().DropDeletedKeys(ctx)
	if err != nil {
		return Swept{}, fmt.Errorf("sweep: %w", err)
	}
	// A day's grace, so that a code replayed soon after expiry is still
	// recognised (and its tokens revoked).
	codes, err := s.db.OAuth().DeleteExpiredCodes(ctx, now.Add(-24*time.Hour))
	if err != nil {
		return Swept{}, fmt.Errorf("sweep: %w", err)
	}
	return Swept{Sessions: sessions, LoginFailures: failures, DeletedKeys: keys, OAuthCodes: codes}, nil
}
