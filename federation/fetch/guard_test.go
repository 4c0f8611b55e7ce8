package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Addresses the guard must refuse, by the reason they are refused.
var refusedAddresses = []string{
	// loopback
	"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1",
	// RFC 1918 and unique local IPv6
	"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255",
	"fc00::1", "fd12:3456:789a::1",
	// link-local, with the cloud metadata addresses
	"169.254.0.1", "169.254.169.254", "fe80::1", "fe80::1%eth0", "fd00:ec2::254",
	// shared address space (CGNAT), which also holds Alibaba's metadata address
	"100.64.0.1", "100.100.100.200", "100.127.255.255",
	// "this network" and unspecified
	"0.0.0.0", "0.1.2.3", "0.255.255.255", "::",
	// multicast and broadcast
	"224.0.0.1", "239.255.255.250", "255.255.255.255", "ff02::1", "ff05::1:3", "ff0e::1",
	// IPv4-mapped IPv6 forms of the above
	"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:100.64.0.1", "::ffff:0.0.0.0",
	// other special-purpose ranges: documentation, benchmarking, reserved,
	// and IPv6 forms that reach IPv4 (NAT64, 6to4) or lie outside 2000::/3
	"192.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1", "240.0.0.1",
	"64:ff9b::7f00:1", "64:ff9b::a00:1", "2002:7f00:1::1", "2001:db8::1", "::127.0.0.1", "100::1",
}

// Public addresses, some at the very edge of a refused range.
var allowedAddresses = []string{
	"1.1.1.1", "8.8.8.8", "93.184.215.14", "11.0.0.1", "9.255.255.255",
	"172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0",
	"100.63.255.255", "100.128.0.0", "169.253.255.255", "169.255.0.0", "126.255.255.255", "128.0.0.0",
	"1.0.0.0", "223.255.255.255",
	"2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4007:80b::200e",
	"::ffff:8.8.8.8",
}

func TestCheckAddress_RefusesNonPublicAddresses(t *testing.T) {
	for _, s := range refusedAddresses {
		t.Run(s, func(t *testing.T) {
			err := CheckAddress(netip.MustParseAddr(s))
			if !errors.Is(err, ErrPrivateAddress) {
				t.Errorf("CheckAddress(%s) = %v, want ErrPrivateAddress", s, err)
			}
		})
	}
	t.Run("zero address", func(t *testing.T) {
		if err := CheckAddress(netip.Addr{}); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("CheckAddress(zero) = %v, want ErrPrivateAddress", err)
		}
	})
}

func TestCheckAddress_AllowsPublicAddresses(t *testing.T) {
	for _, s := range allowedAddresses {
		t.Run(s, func(t *testing.T) {
			if err := CheckAddress(netip.MustParseAddr(s)); err != nil {
				t.Errorf("CheckAddress(%s) = %v, want nil", s, err)
			}
		})
	}
}

func TestDialControl_ChecksTheDialledAddress(t *testing.T) {
	tests := []struct {
		network, address string
		refused          bool
	}{
		{"tcp4", "93.184.215.14:443", false},
		{"tcp4", "93.184.215.14:8443", false},
		{"tcp6", "[2606:4700:4700::1111]:443", false},
		{"tcp4", "127.0.0.1:443", true},
		{"tcp4", "169.254.169.254:80", true},
		{"tcp6", "[::1]:443", true},
		{"tcp6", "[fe80::1%eth0]:443", true},
		{"tcp6", "[::ffff:10.0.0.1]:443", true},
		{"tcp4", "not an address", true},
		{"tcp4", "93.184.215.14", true},
	}
	for _, tt := range tests {
		t.Run(tt.address, func(t *testing.T) {
			err := DialControl(tt.network, tt.address, nil)
			if refused := errors.Is(err, ErrPrivateAddress); refused != tt.refused || (!refused && err != nil) {
				t.Errorf("DialControl(%s, %s) = %v, want refused %t", tt.network, tt.address, err, tt.refused)
			}
		})
	}
}

// FuzzCheckAddress holds the classifier to what netip itself knows and to
// the IPv4-mapped rule; the seeds run with every go test.
func FuzzCheckAddress(f *testing.F) {
	for _, s := range append(append([]string{}, refusedAddresses...), allowedAddresses...) {
		f.Add(s)
	}
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	thisNetwork := netip.MustParsePrefix("0.0.0.0/8")
	f.Fuzz(func(t *testing.T, s string) {
		addr, err := netip.ParseAddr(s)
		if err != nil {
			return
		}
		err = CheckAddress(addr)
		if err != nil && !errors.Is(err, ErrPrivateAddress) {
			t.Fatalf("CheckAddress(%s) = %v, which is not ErrPrivateAddress", addr, err)
		}
		a := addr.Unmap()
		mustRefuse := a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
			a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() ||
			cgnat.Contains(a) || thisNetwork.Contains(a) || !a.IsGlobalUnicast()
		if mustRefuse && err == nil {
			t.Fatalf("CheckAddress(%s) allowed a non-public address", addr)
		}
		if addr.Is4In6() && (err == nil) != (CheckAddress(a) == nil) {
			t.Fatalf("CheckAddress(%s) = %v but CheckAddress(%s) = %v", addr, err, a, CheckAddress(a))
		}
		// The dial-time check decides as the classifier does.
		ctrl := DialControl("tcp", netip.AddrPortFrom(addr, 443).String(), nil)
		if (ctrl == nil) != (err == nil) {
			t.Fatalf("DialControl(%s) = %v but CheckAddress = %v", addr, ctrl, err)
		}
	})
}

// tlsSite is an https server on ip. Its certificate (httptest's) names
// example.com, which testTLS expects of every server.
func tlsSite(t *testing.T, ip string, h http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	var hits atomic.Int64
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h.ServeHTTP(w, r)
	}))
	s.Listener.Close()
	s.Listener = l
	s.StartTLS()
	t.Cleanup(s.Close)
	return s, &hits
}

func testTLS(s *httptest.Server) *tls.Config {
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	return &tls.Config{RootCAs: pool, ServerName: "example.com", MinVersion: tls.VersionTLS12}
}

func TestClient_RefusesLoopbackWhenDialling(t *testing.T) {
	s, hits := tlsSite(t, "127.0.0.1", http.NotFoundHandler())
	port := s.URL[strings.LastIndex(s.URL, ":"):]
	c := New(Options{Timeout: 2 * time.Second})
	defer c.CloseIdleConnections()
	for _, u := range []string{
		s.URL + "/users/a",
		"https://localhost" + port + "/users/a", // a name, refused once resolved
	} {
		t.Run(u, func(t *testing.T) {
			_, err := c.Get(context.Background(), u)
			if !errors.Is(err, ErrPrivateAddress) {
				t.Fatalf("Get(%s) error = %v, want ErrPrivateAddress", u, err)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the loopback server answered %d requests", n)
	}
}

// TestClient_ChecksEveryRedirectWhenDialling lets 127.0.0.2 stand for a
// public host: what it redirects to is refused by the dialler, not by a
// check of the URL.
func TestClient_ChecksEveryRedirectWhenDialling(t *testing.T) {
	private, privateHits := tlsSite(t, "127.0.0.1", http.NotFoundHandler())
	privatePort := private.URL[strings.LastIndex(private.URL, ":"):]
	var public *httptest.Server
	public, _ = tlsSite(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/note":
			w.Header().Set("Content-Type", "application/activity+json")
			_, _ = w.Write([]byte(`{"id":"` + public.URL + `/note","type":"Note"}`))
		case "/to-address":
			http.Redirect(w, r, private.URL+"/secret", http.StatusFound)
		case "/to-name":
			http.Redirect(w, r, "https://localhost"+privatePort+"/secret", http.StatusFound)
		case "/claims-private":
			w.Header().Set("Content-Type", "application/activity+json")
			_, _ = w.Write([]byte(`{"id":"` + private.URL + `/secret","type":"Note"}`))
		}
	}))
	c := newClient(Options{Timeout: 2 * time.Second},
		guard{allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}}, testTLS(public))
	defer c.CloseIdleConnections()

	if doc, err := c.Get(context.Background(), public.URL+"/note"); err != nil || doc.URL != public.URL+"/note" {
		t.Fatalf("Get from the allowed host = %+v, %v", doc, err)
	}
	for _, path := range []string{"/to-address", "/to-name", "/claims-private"} {
		t.Run(path, func(t *testing.T) {
			_, err := c.Get(context.Background(), public.URL+path)
			if !errors.Is(err, ErrPrivateAddress) {
				t.Fatalf("Get(%s) error = %v, want ErrPrivateAddress", path, err)
			}
		})
	}
	if n := privateHits.Load(); n != 0 {
		t.Errorf("the private server answered %d requests", n)
	}
}
