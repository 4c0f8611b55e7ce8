package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDefault_IsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
}

func TestBaseURL_JoinsProtocolAndHost(t *testing.T) {
	tests := []struct {
		protocol, host, want string
	}{
		{"http", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"https", "holon.example.org", "https://holon.example.org"},
		{"https", "[2001:db8::1]:8443", "https://[2001:db8::1]:8443"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			c := Default()
			c.Server.Protocol, c.Server.Host = tt.protocol, tt.host
			if got := c.BaseURL(); got != tt.want {
				t.Errorf("BaseURL() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidate_AcceptsValidSettings(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
	}{
		{"http on localhost", func(c *Config) { c.Server.Host = "localhost" }},
		{"http on localhost with port", func(c *Config) { c.Server.Host = "localhost:3000" }},
		{"http on another 127/8 address", func(c *Config) { c.Server.Host = "127.8.9.10:8080" }},
		{"http on IPv6 loopback", func(c *Config) { c.Server.Host = "[::1]:8080" }},
		{"http on IPv6 loopback without port", func(c *Config) { c.Server.Host = "[::1]" }},
		{"https on a public host", func(c *Config) {
			c.Server.Host, c.Server.Protocol = "holon.example.org", "https"
		}},
		{"https on a public IPv6 address", func(c *Config) {
			c.Server.Host, c.Server.Protocol = "[2001:db8::1]:443", "https"
		}},
		{"listen on every interface", func(c *Config) { c.Server.Listen = ":8080" }},
		{"listen on a free port", func(c *Config) { c.Server.Listen = "127.0.0.1:0" }},
		{"listen on IPv6", func(c *Config) { c.Server.Listen = "[::]:8080" }},
		{"smallest body limit", func(c *Config) { c.Server.MaxBodyBytes = 1 << 10 }},
		{"largest body limit", func(c *Config) { c.Server.MaxBodyBytes = 64 << 20 }},
		{"postgres URL", func(c *Config) {
			c.Database.Driver, c.Database.DSN = "postgres", "postgres://holon@localhost/holon"
		}},
		{"postgresql URL", func(c *Config) {
			c.Database.Driver, c.Database.DSN = "postgres", "postgresql://holon@localhost/holon"
		}},
		{"sqlite in memory", func(c *Config) { c.Database.DSN = "file::memory:?cache=shared" }},
		{"every log level", func(c *Config) { c.Log.Level = "trace" }},
		{"french by default", func(c *Config) { c.Instance.DefaultLocale = "fr" }},
		{"private addresses allowed", func(c *Config) { c.Federation.AllowPrivateAddresses = true }},
		{"shortest fetch timeout", func(c *Config) { c.Federation.FetchTimeout = Duration{time.Second} }},
		{"longest fetch timeout", func(c *Config) { c.Federation.FetchTimeout = Duration{time.Minute} }},
		{"smallest response limit", func(c *Config) { c.Federation.MaxResponseBytes = 16 << 10 }},
		{"largest response limit", func(c *Config) { c.Federation.MaxResponseBytes = 16 << 20 }},
		{"shortest delivery timeout", func(c *Config) { c.Federation.DeliveryTimeout = Duration{time.Second} }},
		{"longest delivery timeout", func(c *Config) { c.Federation.DeliveryTimeout = Duration{time.Minute} }},
		{"earliest first retry", func(c *Config) { c.Federation.DeliveryFirstRetry = Duration{time.Second} }},
		{"latest first retry", func(c *Config) { c.Federation.DeliveryFirstRetry = Duration{time.Minute} }},
		{"smallest clock skew", func(c *Config) { c.Federation.ClockSkew = Duration{time.Second} }},
		{"largest clock skew", func(c *Config) { c.Federation.ClockSkew = Duration{10 * time.Minute} }},
		{"shortest poll update interval", func(c *Config) { c.Federation.PollUpdateInterval = Duration{time.Second} }},
		{"longest poll update interval", func(c *Config) { c.Federation.PollUpdateInterval = Duration{time.Hour} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.change(&c)
			if err := c.Validate(); err != nil {
				t.Errorf("Validate() = %v", err)
			}
		})
	}
}

func TestValidate_RefusesInvalidSettings(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string // the single expected problem, or a prefix of it
	}{
		{"unknown protocol", func(c *Config) { c.Server.Protocol = "ftp" },
			`server.protocol: "ftp" is not one of http, https`},
		{"http with a public host", func(c *Config) { c.Server.Host = "holon.example.org" },
			"server.protocol: https is required"},
		{"http with a private address", func(c *Config) { c.Server.Host = "10.0.0.1:8080" },
			"server.protocol: https is required"},
		{"http with the unspecified address", func(c *Config) { c.Server.Host = "0.0.0.0:8080" },
			"server.protocol: https is required"},
		{"http with a name ending in localhost", func(c *Config) { c.Server.Host = "localhost.example.org" },
			"server.protocol: https is required"},
		{"empty host", func(c *Config) { c.Server.Host = "" }, "server.host: required"},
		{"host with a scheme", func(c *Config) { c.Server.Host = "https://holon.example.org" },
			`server.host: "https://holon.example.org" must not include a scheme`},
		{"host with a path", func(c *Config) { c.Server.Host = "localhost/holon" },
			"server.host: \"localhost/holon\" must not include a path"},
		{"host with user information", func(c *Config) { c.Server.Host = "me@localhost" },
			"server.host: \"me@localhost\" must not include user information"},
		{"host in upper case", func(c *Config) { c.Server.Host = "Localhost" }, "server.host: \"Localhost\" must be lower case"},
		{"host with a space", func(c *Config) { c.Server.Host = "local host" }, "server.host: \"local host\" has ' '"},
		{"host with a bad port", func(c *Config) { c.Server.Host = "localhost:http" }, `server.host: "localhost:http" has port "http"`},
		{"host with port zero", func(c *Config) { c.Server.Host = "localhost:0" }, `server.host: "localhost:0" has port "0"`},
		{"host with only a port", func(c *Config) { c.Server.Host = ":8080" }, "server.host: \":8080\" has no host name"},
		{"IPv6 host without brackets", func(c *Config) { c.Server.Host = "::1" }, "server.host: \"::1\" must put an IPv6 address in brackets"},
		{"IPv4 in brackets", func(c *Config) { c.Server.Host = "[127.0.0.1]" }, "server.host: \"[127.0.0.1]\" has \"127.0.0.1\" in brackets"},
		{"empty listen", func(c *Config) { c.Server.Listen = "" }, "server.listen: required"},
		{"listen without port", func(c *Config) { c.Server.Listen = "127.0.0.1" }, `server.listen: "127.0.0.1" is not host:port`},
		{"listen with a port too large", func(c *Config) { c.Server.Listen = "127.0.0.1:70000" }, `server.listen: "127.0.0.1:70000" has port "70000"`},
		{"zero shutdown timeout", func(c *Config) { c.Server.ShutdownTimeout = Duration{} }, "server.shutdown_timeout: must be positive"},
		{"body limit too small", func(c *Config) { c.Server.MaxBodyBytes = 1023 }, "server.max_body_bytes: 1023 is not between"},
		{"body limit too large", func(c *Config) { c.Server.MaxBodyBytes = 64<<20 + 1 }, "server.max_body_bytes: 67108865 is not between"},
		{"unknown driver", func(c *Config) { c.Database.Driver = "mysql" }, `database.driver: "mysql" is not one of sqlite, postgres`},
		{"postgres without dsn", func(c *Config) { c.Database.Driver, c.Database.DSN = "postgres", "" },
			"database.dsn: required when driver is postgres"},
		{"postgres with a file path", func(c *Config) { c.Database.Driver = "postgres" },
			`database.dsn: "holon.db" is not a postgres:// or postgresql:// URL`},
		{"sqlite without dsn", func(c *Config) { c.Database.DSN = "" }, "database.dsn: required"},
		{"sqlite given a postgres URL", func(c *Config) { c.Database.DSN = "postgres://db/holon" },
			"database.dsn: is a PostgreSQL URL but driver is sqlite"},
		{"negative connection limit", func(c *Config) { c.Database.MaxOpenConns = -1 }, "database.max_open_conns: -1 is negative"},
		{"empty name", func(c *Config) { c.Instance.Name = " " }, "instance.name: required"},
		{"unknown registrations", func(c *Config) { c.Instance.Registrations = "invite" },
			`instance.registrations: "invite" is not one of open, approval, closed`},
		{"unknown association creation", func(c *Config) { c.Instance.AssociationCreation = "anyone" },
			`instance.association_creation: "anyone" is not one of users, admins`},
		{"unknown locale", func(c *Config) { c.Instance.DefaultLocale = "de" }, `instance.default_locale: "de" is not one of en, fr`},
		{"empty admin username", func(c *Config) { c.Instance.AdminUsername = "" }, "instance.admin_username: required"},
		{"admin username with @", func(c *Config) { c.Instance.AdminUsername = "admin@example.org" },
			`instance.admin_username: "admin@example.org" must not contain`},
		{"zero fetch timeout", func(c *Config) { c.Federation.FetchTimeout = Duration{} },
			"federation.fetch_timeout: 0s is not between 1s and 1m0s"},
		{"fetch timeout too short", func(c *Config) { c.Federation.FetchTimeout = Duration{999 * time.Millisecond} },
			"federation.fetch_timeout: 999ms is not between"},
		{"fetch timeout too long", func(c *Config) { c.Federation.FetchTimeout = Duration{time.Minute + time.Second} },
			"federation.fetch_timeout: 1m1s is not between"},
		{"response limit too small", func(c *Config) { c.Federation.MaxResponseBytes = 16<<10 - 1 },
			"federation.max_response_bytes: 16383 is not between 16384 (16 KiB) and 16777216 (16 MiB)"},
		{"response limit too large", func(c *Config) { c.Federation.MaxResponseBytes = 16<<20 + 1 },
			"federation.max_response_bytes: 16777217 is not between"},
		{"negative response limit", func(c *Config) { c.Federation.MaxResponseBytes = -1 },
			"federation.max_response_bytes: -1 is not between"},
		{"zero delivery timeout", func(c *Config) { c.Federation.DeliveryTimeout = Duration{} },
			"federation.delivery_timeout: 0s is not between 1s and 1m0s"},
		{"delivery timeout too long", func(c *Config) { c.Federation.DeliveryTimeout = Duration{2 * time.Minute} },
			"federation.delivery_timeout: 2m0s is not between"},
		{"first retry too soon", func(c *Config) { c.Federation.DeliveryFirstRetry = Duration{500 * time.Millisecond} },
			"federation.delivery_first_retry: 500ms is not between 1s and 1m0s"},
		{"first retry later than a minute", func(c *Config) { c.Federation.DeliveryFirstRetry = Duration{61 * time.Second} },
			"federation.delivery_first_retry: 1m1s is not between"},
		{"no clock skew", func(c *Config) { c.Federation.ClockSkew = Duration{} },
			"federation.clock_skew: 0s is not between 1s and 10m0s"},
		{"clock skew too large", func(c *Config) { c.Federation.ClockSkew = Duration{time.Hour} },
			"federation.clock_skew: 1h0m0s is not between"},
		{"no poll update interval", func(c *Config) { c.Federation.PollUpdateInterval = Duration{} },
			"federation.poll_update_interval: 0s is not between 1s and 1h0m0s"},
		{"poll update interval too long", func(c *Config) { c.Federation.PollUpdateInterval = Duration{2 * time.Hour} },
			"federation.poll_update_interval: 2h0m0s is not between"},
		{"unknown log level", func(c *Config) { c.Log.Level = "INFO" }, `log.level: "INFO" is not one of trace, debug, info, warn, error`},
		{"unknown log format", func(c *Config) { c.Log.Format = "text" }, `log.format: "text" is not one of json, console`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.change(&c)
			err := c.Validate()
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Validate() = %v, want a *ValidationError", err)
			}
			if len(verr.Problems) != 1 || !strings.HasPrefix(verr.Problems[0], tt.want) {
				t.Errorf("problems = %q, want one starting with %q", verr.Problems, tt.want)
			}
		})
	}
}

func TestValidate_ReportsEveryProblemAtOnce(t *testing.T) {
	c := Default()
	c.Server.Protocol = "ftp"
	c.Server.Listen = "nowhere"
	c.Server.MaxBodyBytes = 0
	c.Database.Driver = "postgres"
	c.Database.DSN = ""
	c.Database.MaxOpenConns = -3
	c.Instance.Registrations = "maybe"
	c.Federation.FetchTimeout = Duration{}
	c.Federation.MaxResponseBytes = 0
	c.Log.Level = "verbose"
	c.Log.Format = "xml"

	want := []string{
		`server.listen: "nowhere" is not host:port`,
		`server.protocol: "ftp" is not one of http, https`,
		"server.max_body_bytes: 0 is not between",
		"database.dsn: required when driver is postgres",
		"database.max_open_conns: -3 is negative",
		`instance.registrations: "maybe" is not one of open, approval, closed`,
		"federation.fetch_timeout: 0s is not between",
		"federation.max_response_bytes: 0 is not between",
		`log.level: "verbose" is not one of`,
		`log.format: "xml" is not one of`,
	}

	err := c.Validate()
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Validate() = %v, want a *ValidationError", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "invalid configuration:\n") {
		t.Errorf("message does not start with \"invalid configuration:\" and a new line: %q", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message lacks %q:\n%s", w, msg)
		}
	}
	if len(verr.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(verr.Problems), len(want), msg)
	}
	if got := strings.Count(msg, "\n"); got != len(verr.Problems) {
		t.Errorf("message has %d lines after the first, want one a problem:\n%s", got, msg)
	}

	// Every problem is named after a real key, so that an operator can find it.
	keys := map[string]bool{}
	all, err := settings(&c)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		keys[s.name()] = true
	}
	for _, p := range verr.Problems {
		key, _, _ := strings.Cut(p, ":")
		if !keys[key] {
			t.Errorf("problem %q does not start with a configuration key", p)
		}
	}
}
