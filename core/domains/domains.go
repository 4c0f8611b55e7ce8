// Package domains decides which remote domains the instance federates
// with. An admin blocks a domain, and with it its subdomains: the inbox
// refuses their activities, deliveries to them are dropped and nothing is
// fetched from them (DESIGN §5). A silenced domain federates, but the
// network views (network timeline, tag timelines, network task catalogue)
// leave its actors' content out, as they do a suspended one's. In
// allowlist mode, the instance federates only with the domains admins
// allow. Blocks import from and export to Mastodon's CSV.
package domains

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/net/idna"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Severities of a block.
const (
	// Suspend refuses all federation with the domain, and the network
	// views leave out what was stored from it.
	Suspend = "suspend"
	// Silence lets federation go on, but the network views leave the
	// domain's content out.
	Silence = "silence"
)

// Federation modes.
const (
	// Open federates with every domain not suspended.
	Open = "open"
	// Allowlist federates only with the allowed domains (and their
	// subdomains), less the suspended ones.
	Allowlist = "allowlist"
)

// Bounds on a block's comments.
const MaxComment = 1000

// Errors callers tell apart (compare with errors.Is).
var (
	ErrNotAdmin        = membership.ErrNotAdmin
	ErrBlocked         = core.New(core.KindForbidden, "domain-blocked", "this instance does not federate with that domain")
	ErrNotAllowed      = core.New(core.KindForbidden, "domain-not-allowed", "this instance federates only with the domains its admins allow")
	ErrAlreadyBlocked  = core.New(core.KindConflict, "domain-already-blocked", "that domain is blocked already")
	ErrNotBlocked      = core.New(core.KindNotFound, "domain-not-blocked", "that domain is not blocked")
	ErrOwnDomain       = core.New(core.KindInvalid, "own-domain", "an instance cannot block its own domain")
	ErrAlreadyAllowed  = core.New(core.KindConflict, "domain-already-allowed", "that domain is allowed already")
	ErrNotOnAllowlist  = core.New(core.KindNotFound, "domain-not-on-allowlist", "that domain is not on the allowlist")
	ErrModeLocked      = core.New(core.KindConflict, "federation-mode-locked", "the federation mode is set by the configuration (federation.mode); change it there")
	ErrCutsMembersCode = core.New(core.KindConflict, "federation-cuts-members", "this would cut off active members of local associations; confirm to go on")
)

// Block is a blocked domain.
type Block struct {
	Domain         string    `json:"domain"`
	Severity       string    `json:"severity"`
	PublicComment  string    `json:"public_comment"`
	PrivateComment string    `json:"private_comment"`
	CreatedAt      time.Time `json:"created_at"`
}

// NewBlock is what an admin gives to block a domain. Severity "" is
// Suspend. Confirm goes on even though the block cuts off remote members.
type NewBlock struct {
	Domain         string
	Severity       string
	PublicComment  string
	PrivateComment string
	Confirm        bool
}

// Admin is who may change it: an instance admin (AdminOf), or the
// operator at the command line (CommandLine); see membership.Admin.
type Admin = membership.Admin

// CommandLine is the operator running `holon admin domain …`.
var CommandLine = membership.CommandLine

// AdminOf returns a's authority: ErrNotAdmin unless a is an active admin.
func AdminOf(a membership.Account) (Admin, error) { return membership.AdminOf(a) }

// record appends the admin's action to the audit log, in tx.
func record(ctx context.Context, tx store.Tx, by Admin, action, target string, detail map[string]any) error {
	return audit.Record(ctx, tx, audit.Entry{Account: by.Account(), AccountName: by.Name(), Action: action, Target: target, Detail: detail})
}

// Service keeps the domain policy. It is safe for concurrent use.
type Service struct {
	db    *store.DB
	clock core.Clock
	// localHost is the instance's own host name, which may not be blocked
	// and is always allowed.
	localHost string
	// fixedMode is the mode the configuration sets (federation.mode), ""
	// to leave it to the admins.
	fixedMode string
}

// New returns a Service; localHost is the instance's host ("holon.example"
// or "127.0.0.1:8080").
func New(db *store.DB, clock core.Clock, localHost string) *Service {
	return &Service{db: db, clock: clock, localHost: hostname(localHost)}
}

// FixMode makes mode (Open or Allowlist) the mode, whatever the admins
// chose, as the configuration key federation.mode does; "" leaves it to
// them. Call it before serving.
func (s *Service) FixMode(mode string) error {
	if mode != "" && mode != Open && mode != Allowlist {
		return fmt.Errorf("federation mode %q: want open or allowlist", mode)
	}
	s.fixedMode = mode
	return nil
}

// RefuseHost returns an error of KindForbidden when host ("example.org",
// "example.org:443" or "[::1]:80") is suspended (or under a suspended
// domain: ErrBlocked) or, in allowlist mode, not allowed (ErrNotAllowed);
// nil otherwise. The inbox, delivery and fetching ask it. The mode, the
// allows and the blocks are read in one indexed query, so that every
// process sharing the database applies a change at once.
func (s *Service) RefuseHost(ctx context.Context, host string) error {
	name := hostname(host)
	if name == "" || name == s.localHost {
		return nil
	}
	p, err := s.db.HostPolicy(ctx, parents(name))
	if err != nil {
		return fmt.Errorf("check the domain of %s: %w", host, err)
	}
	if p.Suspended != "" {
		return fmt.Errorf("%s (blocked as %s): %w", name, p.Suspended, ErrBlocked)
	}
	mode := s.fixedMode
	if mode == "" {
		mode = p.Mode
	}
	if mode == Allowlist && !p.Allowed {
		return fmt.Errorf("%s: %w", name, ErrNotAllowed)
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
