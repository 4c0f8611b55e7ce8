package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
)

// credentialsBanner opens and closes the block that shows the first
// administrator's credentials; tests count it.
const credentialsBanner = "==================== Holon: first administrator ===================="

// firstAdmin is the account created on first start, with the password that
// is shown once and never stored in clear.
type firstAdmin struct {
	Username string
	Email    string
	Password string
}

// createFirstAdmin creates an administrator when the instance has no
// account at all, and returns nil when it has one already.
func createFirstAdmin(ctx context.Context, members *membership.Service, cfg config.Config) (*firstAdmin, error) {
	n, err := members.AccountCount(ctx)
	if err != nil {
		return nil, fmt.Errorf("count accounts: %w", err)
	}
	if n > 0 {
		return nil, nil
	}
	admin := firstAdmin{Username: cfg.Instance.AdminUsername, Password: randomPassword()}
	for _, email := range placeholderEmails(cfg) {
		admin.Email = email
		_, err = members.CreateAccount(ctx, membership.NewAccount{
			Username: admin.Username, Email: email, Password: admin.Password,
		}, membership.RoleAdmin)
		if !isInvalidField(err, "email") {
			break
		}
	}
	switch {
	case errors.Is(err, membership.ErrNameTaken):
		// Another process sharing the database created it first; that
		// process shows the credentials.
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("create the first administrator %q (instance.admin_username): %s", admin.Username, describe(err))
	}
	return &admin, nil
}

// placeholderEmails are the addresses to try, in order, for the first
// administrator: one on the instance's host, then one that always parses.
func placeholderEmails(cfg config.Config) []string {
	host := cfg.Server.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	return []string{cfg.Instance.AdminUsername + "@" + host, cfg.Instance.AdminUsername + "@localhost.localdomain"}
}

func isInvalidField(err error, field string) bool {
	e, ok := core.As(err)
	if !ok || e.Kind != core.KindInvalid {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// randomPassword returns 26 random base32 characters (130 bits), from
// crypto/rand.
func randomPassword() string { return rand.Text() }

// printCredentials shows the first administrator's credentials, once, on
// stdout (never in the logs).
func printCredentials(w io.Writer, cfg config.Config, a firstAdmin) {
	fmt.Fprintf(w, `
%s
  An administrator account was created on this first start.

    log in at   %s/login
    username    %s
    password    %s
    e-mail      %s (a placeholder: change it in your settings)

  Write the password down now: it is stored only as a hash and will
  never be shown again.
%s

`, credentialsBanner, cfg.BaseURL(), a.Username, a.Password, a.Email, credentialsBanner)
}
