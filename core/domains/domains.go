// Package domains decides which remote domains the instance federates
// with. An admin blocks a domain, and with it its subdomains: the inbox
// refuses their activities, deliveries to them are dropped and nothing is
// fetched from them (DESIGN §5). The federation-policy issue adds the
// silence severity, the allowlist mode and CSV import and export.
package domains

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/net/idna"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Severities of a block.
const (
	// Suspend refuses all federation with the domain.
	Suspend = "suspend"
)

// Bounds on a block's comments.
const MaxComment = 1000

// Errors callers tell apart (compare with errors.Is).
var (
	ErrNotAdmin       = core.New(core.KindForbidden, "admin-only", "only an instance admin may do this")
	ErrBlocked        = core.New(core.KindForbidden, "domain-blocked", "this instance does not federate with that domain")
	ErrAlreadyBlocked = core.New(core.KindConflict, "domain-already-blocked", "that domain is blocked already")
	ErrNotBlocked     = core.New(core.KindNotFound, "domain-not-blocked", "that domain is not blocked")
	ErrOwnDomain      = core.New(core.KindInvalid, "own-domain", "an instance cannot block its own domain")
)

// Block is a blocked domain.
type Block struct {
	Domain         string    `json:"domain"`
	Severity       string    `json:"severity"`
	PublicComment  string    `json:"public_comment"`
	PrivateComment string    `json:"private_comment"`
	CreatedAt      time.Time `json:"created_at"`
}

// NewBlock is what an admin gives to block a domain.
type NewBlock struct {
	Domain         string
	PublicComment  string
	PrivateComment string
}

// Admin is who may change the policy: an instance admin (AdminOf), or the
// operator of the machine at the command line (CommandLine). Holding one
// is the permission, so no function here takes an unchecked account.
type Admin struct {
	account *uuid.UUID
}

// CommandLine is the operator running `holon admin domain …`.
var CommandLine = Admin{}

// AdminOf returns a's authority over the policy: ErrNotAdmin unless a is an
// active admin.
func AdminOf(a membership.Account) (Admin, error) {
	if !a.IsAdmin() {
		return Admin{}, ErrNotAdmin
	}
	id := a.ID
	return Admin{account: &id}, nil
}

// Service keeps the domain policy. It is safe for concurrent use.
type Service struct {
	db    *store.DB
	clock core.Clock
	// localHost is the instance's own host name, which may not be blocked.
	localHost string
}

// New returns a Service; localHost is the instance's host ("holon.example"
// or "127.0.0.1:8080").
func New(db *store.DB, clock core.Clock, localHost string) *Service {
	return &Service{db: db, clock: clock, localHost: hostname(localHost)}
}

// Block blocks in.Domain and its subdomains, and ends every follow between
// local actors and actors there. It returns the block and how many follows
// it ended.
func (s *Service) Block(ctx context.Context, by Admin, in NewBlock) (Block, int, error) {
	domain, ferr := Normalize("domain", in.Domain)
	var fields []core.FieldError
	if ferr != nil {
		fields = append(fields, *ferr)
	}
	for _, c := range []struct{ field, text string }{{"public_comment", in.PublicComment}, {"private_comment", in.PrivateComment}} {
		if len([]rune(c.text)) > MaxComment {
			fields = append(fields, core.FieldError{Field: c.field, Code: "too-long", Detail: fmt.Sprintf("at most %d characters", MaxComment)})
		}
	}
	if len(fields) > 0 {
		return Block{}, 0, core.Invalid(fields...)
	}
	if covers(domain, s.localHost) {
		return Block{}, 0, ErrOwnDomain
	}
	row := store.DomainBlock{ID: uuid.Must(uuid.NewV7()), Domain: domain, Severity: Suspend,
		PublicComment: strings.TrimSpace(in.PublicComment), PrivateComment: strings.TrimSpace(in.PrivateComment),
		CreatedBy: by.account, CreatedAt: s.clock.Now().UTC()}
	severed := 0
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		if err := tx.DomainBlocks().Add(ctx, &row); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return ErrAlreadyBlocked
			}
			return err
		}
		actors, err := tx.Actors().RemoteOfDomain(ctx, domain)
		if err != nil {
			return err
		}
		severed, err = tx.Follows().DeleteInvolving(ctx, actors)
		return err
	})
	if err != nil {
		return Block{}, 0, fmt.Errorf("block %s: %w", domain, err)
	}
	return blockFrom(row), severed, nil
}

// Unblock lifts the block of domain.
func (s *Service) Unblock(ctx context.Context, by Admin, domain string) error {
	d, ferr := Normalize("domain", domain)
	if ferr != nil {
		return core.Invalid(*ferr)
	}
	err := s.db.DomainBlocks().Remove(ctx, d)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotBlocked
	}
	if err != nil {
		return fmt.Errorf("unblock %s: %w", d, err)
	}
	return nil
}

// Blocks lists the blocked domains.
func (s *Service) Blocks(ctx context.Context, by Admin) ([]Block, error) {
	rows, err := s.db.DomainBlocks().List(ctx)
	if err != nil {
		return nil, err
	}
	list := make([]Block, len(rows))
	for i, r := range rows {
		list[i] = blockFrom(r)
	}
	return list, nil
}

// RefuseHost returns ErrBlocked when host ("example.org", "example.org:443"
// or "[::1]:80") is a blocked domain or under one, nil otherwise. The
// inbox, delivery and fetching ask it.
func (s *Service) RefuseHost(ctx context.Context, host string) error {
	name := hostname(host)
	if name == "" {
		return nil
	}
	b, err := s.db.DomainBlocks().FirstOf(ctx, parents(name))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("check the domain of %s: %w", host, err)
	}
	return fmt.Errorf("%s (blocked as %s): %w", name, b.Domain, ErrBlocked)
}

func blockFrom(r store.DomainBlock) Block {
	return Block{Domain: r.Domain, Severity: r.Severity, PublicComment: r.PublicComment,
		PrivateComment: r.PrivateComment, CreatedAt: r.CreatedAt}
}

// Normalize returns domain as blocks store it: a lower-case ASCII host
// name (IDNA) or an IP address, without scheme, port or path.
func Normalize(field, domain string) (string, *core.FieldError) {
	bad := func(detail string) (string, *core.FieldError) {
		return "", &core.FieldError{Field: field, Code: "invalid-domain", Detail: detail}
	}
	d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	switch {
	case d == "":
		return bad("give a domain, such as example.org")
	case len(d) > 253:
		return bad("a domain has at most 253 characters")
	case strings.ContainsAny(d, "/:@?#[] "):
		if ip, err := netip.ParseAddr(strings.Trim(d, "[]")); err == nil {
			return ip.String(), nil
		}
		return bad("give the domain alone, without scheme, port or path (example.org)")
	}
	if ip, err := netip.ParseAddr(d); err == nil {
		return ip.String(), nil
	}
	ascii, err := idna.Lookup.ToASCII(d)
	if err != nil || !strings.Contains(ascii, ".") {
		return bad("not a valid domain name (example.org)")
	}
	return ascii, nil
}

// hostname returns host without its port, lower-cased.
func hostname(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
}

// parents returns name and the domains above it, most specific first
// ("a.b.org" → a.b.org, b.org, org); an address stands alone.
func parents(name string) []string {
	if _, err := netip.ParseAddr(name); err == nil {
		return []string{name}
	}
	var list []string
	for rest := name; rest != ""; {
		list = append(list, rest)
		_, after, found := strings.Cut(rest, ".")
		if !found {
			break
		}
		rest = after
	}
	return list
}

// covers tells whether a block of domain applies to host.
func covers(domain, host string) bool {
	for _, p := range parents(host) {
		if p == domain {
			return true
		}
	}
	return false
}
