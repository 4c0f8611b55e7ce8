package membership

// The applications a person has let act for them: listed on their
// settings page, each revocable at once (every token and pending code of
// that app for that person), and remembered so that the consent page is
// not shown again for a grant they already made.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Bounds of the authorised applications' list: a person lets a handful of
// apps in; a refresh-happy app keeps one live token at a time.
const (
	MaxAuthorizedApps    = 200
	maxLiveTokensScanned = 1000
)

// AuthorizedApp is an application that holds at least one live token of
// an account. Scopes is what its live tokens grant together, as granted
// (web/oauth's names), sorted. FirstAuthorizedAt is when it first received a token
// for the account; LastUsedAt when one was last used (to the minute), if
// ever.
type AuthorizedApp struct {
	App               OAuthApp
	Scopes            []string
	FirstAuthorizedAt time.Time
	LastUsedAt        *time.Time
}

// AuthorizedApps lists the applications holding a live token of account,
// first authorised first.
func (s *Service) AuthorizedApps(ctx context.Context, account Account) ([]AuthorizedApp, error) {
	rows, err := s.db.OAuth().AuthorizedApps(ctx, account.ID, MaxAuthorizedApps)
	if err != nil {
		return nil, fmt.Errorf("authorised apps of %s: %w", account.Username, err)
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ApplicationID
	}
	apps, err := s.db.OAuth().AppsByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("authorised apps of %s: %w", account.Username, err)
	}
	live, err := s.db.OAuth().LiveTokens(ctx, account.ID, nil, maxLiveTokensScanned)
	if err != nil {
		return nil, fmt.Errorf("authorised apps of %s: %w", account.Username, err)
	}
	scopes := map[uuid.UUID][]string{}
	for _, t := range live {
		for _, sc := range strings.Fields(t.Scopes) {
			if !slices.Contains(scopes[t.ApplicationID], sc) {
				scopes[t.ApplicationID] = append(scopes[t.ApplicationID], sc)
			}
		}
	}
	list := make([]AuthorizedApp, 0, len(rows))
	for _, r := range rows {
		app, ok := apps[r.ApplicationID]
		if !ok { // deleted meanwhile: its tokens went with it (ON DELETE CASCADE)
			continue
		}
		sc := scopes[r.ApplicationID]
		if sc == nil {
			sc = []string{}
		}
		slices.Sort(sc) // the same order whichever token came first
		list = append(list, AuthorizedApp{App: appFrom(app), Scopes: sc, FirstAuthorizedAt: r.FirstAt, LastUsedAt: r.LastUsedAt})
	}
	return list, nil
}

// RevokeApp withdraws account's consent to the application appID: every
// token it holds for account (access and refresh) is revoked at once, and
// its codes not yet exchanged are deleted. An application that holds
// nothing of account (another person's, or an unknown id) is
// ErrNoSuchApp, whether it exists or not.
func (s *Service) RevokeApp(ctx context.Context, account Account, appID uuid.UUID) error {
	n, err := s.db.OAuth().RevokeAccountApp(ctx, account.ID, appID, s.now())
	if err != nil {
		return fmt.Errorf("revoke app %s for %s: %w", appID, account.Username, err)
	}
	if n == 0 {
		return ErrNoSuchApp
	}
	return nil
}

// PreviouslyAuthorized reports whether account already let app act for it
// through redirectURI with scopes at least as wide as asked, and still
// holds a live token from that grant: then the consent page may be
// skipped, as Mastodon (Doorkeeper) does. It is strict on purpose: the
// same client, the exact redirect URI, one token whose scopes cover all of
// asked (within is web/oauth's scope model, as for Refresh).
func (s *Service) PreviouslyAuthorized(ctx context.Context, app OAuthApp, account Account, redirectURI string, asked []string,
	within func(asked, granted []string) bool) (bool, error) {
	if redirectURI == "" || len(asked) == 0 {
		return false, nil
	}
	live, err := s.db.OAuth().LiveTokens(ctx, account.ID, &app.ID, maxLiveTokensScanned)
	if err != nil {
		return false, fmt.Errorf("previous grants of %s to %s: %w", account.Username, app.ClientID, err)
	}
	for _, t := range live {
		if t.RedirectURI == redirectURI && within(asked, strings.Fields(t.Scopes)) {
			return true, nil
		}
	}
	return false, nil
}
