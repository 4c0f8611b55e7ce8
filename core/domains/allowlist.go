package domains

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Allow is a domain allowed in allowlist mode.
type Allow struct {
	Domain    string    `json:"domain"`
	Comment   string    `json:"comment"`
	CreatedAt time.Time `json:"created_at"`
}

// NewAllow is what an admin gives to allow a domain.
type NewAllow struct {
	Domain  string
	Comment string
}

// Mode returns the federation mode, and whether the configuration fixes it
// (locked: admins may not change it).
func (s *Service) Mode(ctx context.Context) (mode string, locked bool, err error) {
	if s.fixedMode != "" {
		return s.fixedMode, true, nil
	}
	mode, err = s.db.FederationModes().Get(ctx, Open)
	if err != nil {
		return "", false, fmt.Errorf("federation mode: %w", err)
	}
	return mode, false, nil
}

// mode is the mode in effect, read in tx.
func (s *Service) mode(ctx context.Context, tx store.Tx) (string, error) {
	if s.fixedMode != "" {
		return s.fixedMode, nil
	}
	return tx.FederationModes().Get(ctx, Open)
}

// SetMode switches the federation mode. Switching to allowlist is refused
// with the list (CutsMembers) when it would cut off active remote members
// of local associations, unless confirm; ErrModeLocked when the
// configuration fixes the mode.
func (s *Service) SetMode(ctx context.Context, by Admin, mode string, confirm bool) error {
	if mode != Open && mode != Allowlist {
		return core.Invalid(core.FieldError{Field: "mode", Code: "invalid-choice", Detail: "the mode is open or allowlist"})
	}
	if s.fixedMode != "" {
		return ErrModeLocked
	}
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		was, err := tx.FederationModes().Get(ctx, Open)
		if err != nil {
			return err
		}
		if was == mode {
			return nil
		}
		if mode == Allowlist {
			allowed, err := s.allowed(ctx, tx)
			if err != nil {
				return err
			}
			if err := guard(ctx, tx, confirm, func(host string) bool { return !coveredBy(allowed, host) }); err != nil {
				return err
			}
		}
		if err := tx.FederationModes().Set(ctx, mode, by.Account(), s.clock.Now().UTC()); err != nil {
			return err
		}
		return record(ctx, tx, by, "federation.mode", mode, map[string]any{"mode": mode, "was": was})
	})
	if err != nil {
		return fmt.Errorf("switch federation to %s: %w", mode, err)
	}
	return nil
}

// allowed returns the allowed domains, as a set.
func (s *Service) allowed(ctx context.Context, tx store.Tx) (map[string]bool, error) {
	rows, err := tx.DomainAllows().List(ctx)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(rows))
	for _, r := range rows {
		set[r.Domain] = true
	}
	return set, nil
}

// Allow adds in.Domain (and its subdomains) to the allowlist.
func (s *Service) Allow(ctx context.Context, by Admin, in NewAllow) (Allow, error) {
	var fields core.FieldErrors
	domain, ferr := Normalize("domain", in.Domain)
	if ferr != nil {
		fields = append(fields, *ferr)
	}
	if len([]rune(in.Comment)) > MaxComment {
		fields.Add("comment", "too-long", fmt.Sprintf("at most %d characters", MaxComment))
	}
	if err := fields.Err(); err != nil {
		return Allow{}, err
	}
	row := store.DomainAllow{ID: uuid.Must(uuid.NewV7()), Domain: domain, Comment: strings.TrimSpace(in.Comment),
		CreatedBy: by.Account(), CreatedAt: s.clock.Now().UTC()}
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DomainAllows().Add(ctx, &row); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return ErrAlreadyAllowed
			}
			return err
		}
		return record(ctx, tx, by, "domain.allow", domain, nil)
	})
	if err != nil {
		return Allow{}, fmt.Errorf("allow %s: %w", domain, err)
	}
	return allowFrom(row), nil
}

// Disallow removes domain from the allowlist. In allowlist mode, it is
// refused with the list (CutsMembers) when it would cut off active remote
// members of local associations, unless confirm.
func (s *Service) Disallow(ctx context.Context, by Admin, domain string, confirm bool) error {
	d, ferr := Normalize("domain", domain)
	if ferr != nil {
		return core.Invalid(*ferr)
	}
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		mode, err := s.mode(ctx, tx)
		if err != nil {
			return err
		}
		allowed, err := s.allowed(ctx, tx)
		if err != nil {
			return err
		}
		if !allowed[d] {
			return ErrNotOnAllowlist
		}
		if mode == Allowlist {
			delete(allowed, d)
			if err := guard(ctx, tx, confirm, func(host string) bool { return covers(d, host) && !coveredBy(allowed, host) }); err != nil {
				return err
			}
		}
		if err := tx.DomainAllows().Remove(ctx, d); err != nil {
			return err
		}
		return record(ctx, tx, by, "domain.disallow", d, nil)
	})
	if err != nil {
		return fmt.Errorf("disallow %s: %w", d, err)
	}
	return nil
}

// Allows lists the allowed domains.
func (s *Service) Allows(ctx context.Context, by Admin) ([]Allow, error) {
	rows, err := s.db.DomainAllows().List(ctx)
	if err != nil {
		return nil, err
	}
	list := make([]Allow, len(rows))
	for i, r := range rows {
		list[i] = allowFrom(r)
	}
	return list, nil
}

func allowFrom(r store.DomainAllow) Allow {
	return Allow{Domain: r.Domain, Comment: r.Comment, CreatedAt: r.CreatedAt}
}

// SignedFetchesOnly reports whether the instance serves its ActivityPub
// documents only to signed fetches from admitted domains: in allowlist
// mode, so that an instance outside the list can read nothing it may not
// receive.
func (s *Service) SignedFetchesOnly(ctx context.Context) (bool, error) {
	mode, _, err := s.Mode(ctx)
	return mode == Allowlist, err
}
