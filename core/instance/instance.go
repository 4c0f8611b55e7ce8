// Package instance keeps the instance's settings: its name and
// presentation, who to contact, its languages, who may join and who may
// found associations, its rules and its privacy policy. The configuration's
// [instance] values apply until an admin first saves the settings; from
// then on the database holds them, so that every process sharing it sees a
// change at once.
package instance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Bounds on the settings.
const (
	MaxName                = 100
	MaxShortDescription    = 500
	MaxExtendedDescription = 10_000
	MaxLanguages           = 20
	MaxRules               = 50
	MaxRule                = 500
	MaxPrivacyPolicy       = 50_000
)

// ErrNotAdmin refuses a change by anyone but an instance admin.
var ErrNotAdmin = membership.ErrNotAdmin

// Rule is one of the instance's rules. Its id stays the same while it is
// edited, so that reports and clients can refer to it.
type Rule struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Settings are the instance's settings.
type Settings struct {
	Name                string
	ShortDescription    string
	ExtendedDescription string
	// ContactEmail and ContactAccount (a local username) are whom to
	// contact about the instance; either may be empty.
	ContactEmail   string
	ContactAccount string
	// Languages are the locale codes the instance is run in ("en", "fr").
	Languages           []string
	Registrations       string // membership.RegistrationsOpen…
	AssociationCreation string // membership.CreationByUsers…
	Rules               []Rule
	PrivacyPolicy       string
	// UpdatedAt is when an admin last saved them; zero while the
	// configuration's defaults apply.
	UpdatedAt time.Time
}

// Saved reports whether an admin saved these settings (rather than the
// configuration's defaults applying).
func (s Settings) Saved() bool { return !s.UpdatedAt.IsZero() }

// Admin is who may change it: an instance admin (AdminOf), or the
// operator at the command line (CommandLine); see membership.Admin.
type Admin = membership.Admin

// CommandLine is the operator running `holon admin settings …`.
var CommandLine = membership.CommandLine

// AdminOf returns a's authority: ErrNotAdmin unless a is an active admin.
func AdminOf(a membership.Account) (Admin, error) { return membership.AdminOf(a) }

// Service keeps the settings. It is safe for concurrent use.
type Service struct {
	db       *store.DB
	clock    core.Clock
	defaults Settings
}

// New returns a Service; defaults are the settings until an admin saves
// them (from the configuration).
func New(db *store.DB, clock core.Clock, defaults Settings) *Service {
	if defaults.Languages == nil {
		defaults.Languages = []string{}
	}
	if defaults.Rules == nil {
		defaults.Rules = []Rule{}
	}
	return &Service{db: db, clock: clock, defaults: defaults}
}

// Get returns the current settings: the saved ones, or the defaults.
func (s *Service) Get(ctx context.Context) (Settings, error) {
	return s.get(ctx, s.db.Tx)
}

func (s *Service) get(ctx context.Context, tx store.Tx) (Settings, error) {
	row, err := tx.InstanceSettings().Get(ctx)
	if errors.Is(err, store.ErrNotFound) {
		d := s.defaults
		d.Languages = append([]string{}, d.Languages...)
		d.Rules = append([]Rule{}, d.Rules...)
		return d, nil
	}
	if err != nil {
		return Settings{}, err
	}
	return fromRow(row)
}

func fromRow(row store.InstanceSettings) (Settings, error) {
	out := Settings{Name: row.Name, ShortDescription: row.ShortDescription, ExtendedDescription: row.ExtendedDescription,
		ContactEmail: row.ContactEmail, ContactAccount: row.ContactAccount, Registrations: row.Registrations,
		AssociationCreation: row.AssociationCreation, PrivacyPolicy: row.PrivacyPolicy, UpdatedAt: row.UpdatedAt}
	if err := json.Unmarshal([]byte(row.Languages), &out.Languages); err != nil {
		return Settings{}, fmt.Errorf("read the instance languages: %w", err)
	}
	if err := json.Unmarshal([]byte(row.Rules), &out.Rules); err != nil {
		return Settings{}, fmt.Errorf("read the instance rules: %w", err)
	}
	if out.Languages == nil {
		out.Languages = []string{}
	}
	if out.Rules == nil {
		out.Rules = []Rule{}
	}
	return out, nil
}

// Update replaces the settings with in, once checked, and records what
// changed in the audit log in the same transaction. A rule without an id
// takes the id of the current rule with the same text, or a new one; a
// rule with an id must be a current rule.
func (s *Service) Update(ctx context.Context, by Admin, in Settings) (Settings, error) {
	var out Settings
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		cur, err := s.get(ctx, tx)
		if err != nil {
			return err
		}
		next, err := check(ctx, tx, in, cur.Rules)
		if err != nil {
			return err
		}
		next.UpdatedAt = s.clock.Now().UTC()
		langs, _ := json.Marshal(next.Languages)
		rules, _ := json.Marshal(next.Rules)
		row := store.InstanceSettings{Name: next.Name, ShortDescription: next.ShortDescription,
			ExtendedDescription: next.ExtendedDescription, ContactEmail: next.ContactEmail, ContactAccount: next.ContactAccount,
			Languages: string(langs), Registrations: next.Registrations, AssociationCreation: next.AssociationCreation,
			Rules: string(rules), PrivacyPolicy: next.PrivacyPolicy, UpdatedAt: next.UpdatedAt}
		if err := tx.InstanceSettings().Save(ctx, &row); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Account: by.Account(), AccountName: by.Name(), Action: "settings.update",
			Target: "instance", Detail: changes(cur, next), At: next.UpdatedAt}); err != nil {
			return err
		}
		out = next
		return nil
	})
	if err != nil {
		return Settings{}, fmt.Errorf("update the instance settings: %w", err)
	}
	return out, nil
}

// Paragraphs splits a text into its paragraphs (separated by blank lines),
// each trimmed: the settings' long texts are plain text shown this way,
// never HTML.
func Paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// HTML renders a plain text as HTML paragraphs, escaped, with line breaks
// inside a paragraph kept: for clients that expect HTML (Mastodon's API).
func HTML(text string) string {
	var b strings.Builder
	for _, p := range Paragraphs(text) {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(p), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}
