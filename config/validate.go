package config

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ValidationError lists every problem of a configuration, each as
// "<section>.<key>: <what is wrong>".
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	return "invalid configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// Validate checks the whole configuration and returns a *ValidationError
// naming every problem, or nil.
func (c Config) Validate() error {
	var v validator
	c.Server.validate(&v)
	c.Database.validate(&v)
	c.Instance.validate(&v)
	c.Federation.validate(&v)
	c.Log.validate(&v)
	c.Map.validate(&v)
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

type validator struct {
	problems []string
}

func (v *validator) add(key, format string, args ...any) {
	v.problems = append(v.problems, key+": "+fmt.Sprintf(format, args...))
}

// between checks a duration setting against its bounds.
func (v *validator) between(key string, d, lo, hi time.Duration) {
	if d < lo || d > hi {
		v.add(key, "%s is not between %s and %s", d, lo, hi)
	}
}

// oneOf checks an enumerated setting and reports whether it passed.
func (v *validator) oneOf(key, value string, allowed ...string) bool {
	if slices.Contains(allowed, value) {
		return true
	}
	v.add(key, "%q is not one of %s", value, strings.Join(allowed, ", "))
	return false
}

func (s Server) validate(v *validator) {
	if s.Listen == "" {
		v.add("server.listen", "required (host:port)")
	} else if err := checkListen(s.Listen); err != nil {
		v.add("server.listen", "%q %v", s.Listen, err)
	}
	hostOK := false
	if s.Host == "" {
		v.add("server.host", "required (the public host name, with an optional port)")
	} else if err := checkHost(s.Host); err != nil {
		v.add("server.host", "%q %v", s.Host, err)
	} else {
		hostOK = true
	}
	if v.oneOf("server.protocol", s.Protocol, ProtocolHTTP, ProtocolHTTPS) &&
		s.Protocol == ProtocolHTTP && hostOK && !isLoopback(s.Host) {
		v.add("server.protocol", "https is required: http is allowed only for a loopback host (127.0.0.0/8, ::1, localhost), not %q", s.Host)
	}
	if s.ShutdownTimeout.Duration <= 0 {
		v.add("server.shutdown_timeout", "must be positive, got %s", s.ShutdownTimeout)
	}
	if s.MaxBodyBytes < MinBodyBytes || s.MaxBodyBytes > MaxBodyBytes {
		v.add("server.max_body_bytes", "%d is not between %d (1 KiB) and %d (64 MiB)", s.MaxBodyBytes, MinBodyBytes, MaxBodyBytes)
	}
}

func (d Database) validate(v *validator) {
	if v.oneOf("database.driver", d.Driver, DriverSQLite, DriverPostgres) {
		isURL := strings.HasPrefix(d.DSN, "postgres://") || strings.HasPrefix(d.DSN, "postgresql://")
		switch {
		case d.Driver == DriverPostgres && d.DSN == "":
			v.add("database.dsn", "required when driver is postgres (a postgres:// URL)")
		case d.Driver == DriverPostgres && !isURL:
			v.add("database.dsn", "%q is not a postgres:// or postgresql:// URL, required when driver is postgres", d.DSN)
		case d.Driver == DriverSQLite && d.DSN == "":
			v.add("database.dsn", "required: the path of the SQLite file")
		case d.Driver == DriverSQLite && isURL:
			v.add("database.dsn", "is a PostgreSQL URL but driver is sqlite; set database.driver = \"postgres\"")
		}
	}
	if d.MaxOpenConns < 0 {
		v.add("database.max_open_conns", "%d is negative (0 lets the store choose)", d.MaxOpenConns)
	}
}

func (i Instance) validate(v *validator) {
	if strings.TrimSpace(i.Name) == "" {
		v.add("instance.name", "required")
	}
	v.oneOf("instance.registrations", i.Registrations, RegistrationsOpen, RegistrationsApproval, RegistrationsClosed)
	v.oneOf("instance.association_creation", i.AssociationCreation, AssociationCreationUsers, AssociationCreationAdmins)
	v.oneOf("instance.default_locale", i.DefaultLocale, "en", "fr")
	switch {
	case i.AdminUsername == "":
		v.add("instance.admin_username", "required")
	case strings.ContainsAny(i.AdminUsername, " \t\r\n@/:"):
		// The account package owns the full rule; this only refuses what
		// could never be a local username.
		v.add("instance.admin_username", "%q must not contain spaces, @, / or :", i.AdminUsername)
	}
}

func (f Federation) validate(v *validator) {
	if t := f.FetchTimeout.Duration; t < MinFetchTimeout || t > MaxFetchTimeout {
		v.add("federation.fetch_timeout", "%s is not between %s and %s", t, MinFetchTimeout, MaxFetchTimeout)
	}
	if n := f.MaxResponseBytes; n < MinResponseBytes || n > MaxResponseBytes {
		v.add("federation.max_response_bytes", "%d is not between %d (16 KiB) and %d (16 MiB)", n, MinResponseBytes, MaxResponseBytes)
	}
	v.between("federation.delivery_timeout", f.DeliveryTimeout.Duration, MinDeliveryTimeout, MaxDeliveryTimeout)
	v.between("federation.delivery_first_retry", f.DeliveryFirstRetry.Duration, MinDeliveryFirstRetry, MaxDeliveryFirstRetry)
	v.between("federation.clock_skew", f.ClockSkew.Duration, MinClockSkew, MaxClockSkew)
	v.between("federation.poll_update_interval", f.PollUpdateInterval.Duration, MinPollUpdateInterval, MaxPollUpdateInterval)
	if f.Mode != "" {
		v.oneOf("federation.mode", f.Mode, FederationOpen, FederationAllowlist)
	}
}

func (l Log) validate(v *validator) {
	v.oneOf("log.level", l.Level, "trace", "debug", "info", "warn", "error")
	v.oneOf("log.format", l.Format, LogFormatJSON, LogFormatConsole)
}

// checkListen accepts host:port with a numeric port; the host may be empty
// to listen on every interface, and port 0 picks a free port.
func checkListen(listen string) error {
	_, port, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("is not host:port")
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("has port %q, not a number from 0 to 65535", port)
	}
	return nil
}

// checkHost accepts a lower-case host name, IPv4 address or bracketed IPv6
// address, with an optional port: the authority of the instance's URLs.
func checkHost(host string) error {
	switch {
	case strings.Contains(host, "://"):
		return fmt.Errorf("must not include a scheme; set server.protocol instead")
	case strings.ContainsAny(host, "/?#"):
		return fmt.Errorf("must not include a path, query or fragment")
	case strings.Contains(host, "@"):
		return fmt.Errorf("must not include user information")
	}
	name, port, err := splitHost(host)
	if err != nil {
		return err
	}
	if port != "" {
		if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
			return fmt.Errorf("has port %q, not a number from 1 to 65535", port)
		}
	}
	if strings.HasPrefix(host, "[") {
		if ip := net.ParseIP(name); ip == nil || ip.To4() != nil {
			return fmt.Errorf("has %q in brackets, which is not an IPv6 address", name)
		}
		return nil
	}
	if name == "" {
		return fmt.Errorf("has no host name")
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '.':
		case r >= 'A' && r <= 'Z':
			return fmt.Errorf("must be lower case, as it is part of every ActivityPub id")
		case r > 0x7f:
			return fmt.Errorf("must be written in ASCII (use the xn-- form of an internationalised name)")
		default:
			return fmt.Errorf("has %q, which is not allowed in a host name", r)
		}
	}
	return nil
}

// splitHost separates host[:port]; an IPv6 address must be in brackets.
func splitHost(host string) (name, port string, err error) {
	switch {
	case strings.HasPrefix(host, "["):
		if strings.HasSuffix(host, "]") {
			return host[1 : len(host)-1], "", nil
		}
		name, port, err := net.SplitHostPort(host)
		if err != nil {
			return "", "", fmt.Errorf("is not [IPv6] or [IPv6]:port")
		}
		return name, port, nil
	case strings.Count(host, ":") > 1:
		return "", "", fmt.Errorf("must put an IPv6 address in brackets, as in [::1]:8080")
	case strings.Contains(host, ":"):
		name, port, _ := strings.Cut(host, ":")
		return name, port, nil
	}
	return host, "", nil
}

// isLoopback reports whether host (as accepted by checkHost) names this
// machine only: localhost, 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	name, _, err := splitHost(host)
	if err != nil {
		return false
	}
	if name == "localhost" {
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && ip.IsLoopback()
}
