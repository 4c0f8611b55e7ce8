package fetch

import (
	"fmt"
	"net/netip"
	"syscall"

	"code.dny.dev/ssrf"
)

// registry refuses, besides what netip itself calls private, every range of
// the IANA special-purpose registries (CGNAT 100.64.0.0/10, 0.0.0.0/8,
// benchmarking, documentation, reserved, 6to4, NAT64…) and all IPv6 outside
// 2000::/3. Ports are not restricted: federation on a port other than 443 is
// rare but legitimate, and a public host's other ports are as reachable from
// anywhere as from here.
var registry = ssrf.New(ssrf.WithAnyPort())

// guard decides which addresses may be dialled when private addresses are
// not allowed.
type guard struct {
	// allow lets prefixes through before any check. Only tests set it, to
	// stand for public hosts on loopback addresses.
	allow []netip.Prefix
}

// CheckAddress returns nil when addr may be dialled by an instance that does
// not allow private addresses, and an error wrapping ErrPrivateAddress when it
// is loopback, private (RFC 1918, fc00::/7), link-local (which holds the
// cloud metadata address 169.254.169.254), multicast, unspecified, shared
// (100.64.0.0/10), "this network" (0.0.0.0/8), another special-purpose range,
// or an IPv4-mapped IPv6 form of one of those.
func CheckAddress(addr netip.Addr) error {
	return guard{}.check(addr)
}

// DialControl is a net.Dialer Control function that refuses, with an error
// wrapping ErrPrivateAddress, every address CheckAddress refuses. It runs
// once the name is resolved and before each connection, so it covers
// redirects, every address of a name and DNS rebinding alike. Delivery uses
// it for the same reasons as fetching.
func DialControl(network, address string, c syscall.RawConn) error {
	return guard{}.control(network, address, c)
}

func (g guard) check(addr netip.Addr) error {
	if !addr.IsValid() {
		return fmt.Errorf("%w: invalid address", ErrPrivateAddress)
	}
	// An IPv4-mapped IPv6 address reaches the IPv4 address it carries.
	a := addr.Unmap()
	for _, p := range g.allow {
		if p.Contains(a) {
			return nil
		}
	}
	// netip's own predicates are a second opinion on the registry lists,
	// which a future version could get wrong.
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified() ||
		a.IsMulticast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, addr)
	}
	if err := registry.SafeAddr(a); err != nil {
		return fmt.Errorf("%w: %w", ErrPrivateAddress, err)
	}
	return nil
}

func (g guard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot check %q: %w", ErrPrivateAddress, address, err)
	}
	return g.check(ap.Addr())
}
