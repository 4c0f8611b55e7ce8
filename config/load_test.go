package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeConfig writes a TOML file in a temporary directory and returns its path.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad_LayersFileAndEnvironmentOverDefaults(t *testing.T) {
	tests := []struct {
		name string
		file string // TOML content; empty means no file
		env  []string
		want func(*Config) // applied to Default() to get the expected result
	}{
		{
			name: "nothing given yields the defaults",
			want: func(*Config) {},
		},
		{
			name: "file overrides defaults",
			file: `
[server]
listen = "0.0.0.0:9000"
host = "holon.example.org"
protocol = "https"
shutdown_timeout = "30s"
max_body_bytes = 2048
trust_proxy = true

[database]
driver = "postgres"
dsn = "postgres://holon@db/holon"
max_open_conns = 20

[instance]
name = "Les Amis"
registrations = "approval"
default_locale = "fr"

[federation]
allow_private_addresses = true
fetch_timeout = "30s"
max_response_bytes = 2097152
delivery_timeout = "20s"
delivery_first_retry = "45s"
clock_skew = "2m"
poll_update_interval = "5m"

[log]
level = "debug"
format = "console"
`,
			want: func(c *Config) {
				c.Server = Server{
					Listen: "0.0.0.0:9000", Host: "holon.example.org", Protocol: "https",
					ShutdownTimeout: Duration{30 * time.Second}, MaxBodyBytes: 2048, TrustProxy: true,
				}
				c.Database = Database{Driver: "postgres", DSN: "postgres://holon@db/holon", MaxOpenConns: 20}
				c.Instance.Name = "Les Amis"
				c.Instance.Registrations = "approval"
				c.Instance.DefaultLocale = "fr"
				c.Federation = Federation{
					AllowPrivateAddresses: true, FetchTimeout: Duration{30 * time.Second}, MaxResponseBytes: 2 << 20,
					DeliveryTimeout: Duration{20 * time.Second}, DeliveryFirstRetry: Duration{45 * time.Second}, ClockSkew: Duration{2 * time.Minute},
					PollUpdateInterval: Duration{5 * time.Minute},
				}
				c.Log = Log{Level: "debug", Format: "console"}
			},
		},
		{
			name: "environment overrides file",
			file: `
[server]
listen = "127.0.0.1:9000"
[log]
level = "debug"
`,
			env: []string{
				"HOLON_SERVER_LISTEN=127.0.0.1:9100",
				"HOLON_LOG_LEVEL=warn",
			},
			want: func(c *Config) {
				c.Server.Listen = "127.0.0.1:9100"
				c.Log.Level = "warn"
			},
		},
		{
			name: "environment sets every kind of value",
			env: []string{
				"HOLON_SERVER_HOST=holon.example.org",
				"HOLON_SERVER_PROTOCOL=https",
				"HOLON_SERVER_SHUTDOWN_TIMEOUT=1m30s",
				"HOLON_SERVER_MAX_BODY_BYTES=4096",
				"HOLON_SERVER_TRUST_PROXY=true",
				"HOLON_DATABASE_DRIVER=postgres",
				"HOLON_DATABASE_DSN=postgresql://holon:s=cr=t@db/holon?sslmode=disable",
				"HOLON_DATABASE_MAX_OPEN_CONNS=5",
				"HOLON_INSTANCE_DESCRIPTION=Une instance de test",
				"HOLON_INSTANCE_ASSOCIATION_CREATION=admins",
				"HOLON_INSTANCE_REGISTRATIONS=closed",
				"HOLON_INSTANCE_ADMIN_USERNAME=root",
				"HOLON_FEDERATION_ALLOW_PRIVATE_ADDRESSES=true",
				"HOLON_FEDERATION_FETCH_TIMEOUT=2s",
				"HOLON_FEDERATION_MAX_RESPONSE_BYTES=16384",
				"HOLON_FEDERATION_DELIVERY_TIMEOUT=2s",
				"HOLON_FEDERATION_DELIVERY_FIRST_RETRY=1s",
				"HOLON_FEDERATION_CLOCK_SKEW=1s",
				"HOLON_FEDERATION_POLL_UPDATE_INTERVAL=3s",
			},
			want: func(c *Config) {
				c.Server.Host = "holon.example.org"
				c.Server.Protocol = "https"
				c.Server.ShutdownTimeout = Duration{90 * time.Second}
				c.Server.MaxBodyBytes = 4096
				c.Server.TrustProxy = true
				c.Database = Database{Driver: "postgres", DSN: "postgresql://holon:s=cr=t@db/holon?sslmode=disable", MaxOpenConns: 5}
				c.Instance.Description = "Une instance de test"
				c.Instance.AssociationCreation = "admins"
				c.Instance.Registrations = "closed"
				c.Instance.AdminUsername = "root"
				c.Federation = Federation{
					AllowPrivateAddresses: true, FetchTimeout: Duration{2 * time.Second}, MaxResponseBytes: 16 << 10,
					DeliveryTimeout: Duration{2 * time.Second}, DeliveryFirstRetry: Duration{time.Second}, ClockSkew: Duration{time.Second},
					PollUpdateInterval: Duration{3 * time.Second},
				}
			},
		},
		{
			name: "HOLON_TEST_ variables are ignored",
			env:  []string{"HOLON_TEST_POSTGRES_DSN=postgres://x", "HOLON_TEST_=1"},
			want: func(*Config) {},
		},
		{
			name: "variables without the HOLON_ prefix are ignored",
			env:  []string{"PATH=/usr/bin", "HOLON=1", "holon_server_listen=nope", "NOEQUALS"},
			want: func(*Config) {},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.file != "" {
				path = writeConfig(t, tt.file)
			}
			got, err := Load(path, tt.env)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			want := Default()
			tt.want(&want)
			if got != want {
				t.Errorf("Load:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestLoad_RefusesBadInput(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere", "holon.toml")
	tests := []struct {
		name     string
		file     string
		path     string // used instead of a written file when set
		env      []string
		wantErrs []string // each must appear in the error message
		notWant  []string // none may appear
	}{
		{
			name:     "missing file error names the path",
			path:     missing,
			wantErrs: []string{"read config", missing},
		},
		{
			name:     "unknown file key is named",
			file:     "[server]\nlisen = \"127.0.0.1:1\"\n",
			wantErrs: []string{"unknown keys", "server.lisen"},
		},
		{
			name:     "unknown file table is named once",
			file:     "[servr]\nlisten = \"x\"\nhost = \"y\"\n",
			wantErrs: []string{"unknown keys: servr"},
			notWant:  []string{"servr.listen"},
		},
		{
			name:     "TOML syntax error names the path",
			file:     "[server\n",
			wantErrs: []string{"parse config", "config.toml"},
		},
		{
			name:     "wrong TOML type is named",
			file:     "[server]\nmax_body_bytes = \"1MiB\"\n",
			wantErrs: []string{"server.max_body_bytes"},
		},
		{
			name:     "unknown HOLON_ variable is named",
			env:      []string{"HOLON_SERVER_LISEN=127.0.0.1:1"},
			wantErrs: []string{"HOLON_SERVER_LISEN", "no such setting"},
		},
		{
			name:     "HOLON_TEST without underscore is not reserved",
			env:      []string{"HOLON_TESTING=1"},
			wantErrs: []string{"HOLON_TESTING"},
		},
		{
			name:     "every bad variable is reported",
			env:      []string{"HOLON_A=1", "HOLON_B=2"},
			wantErrs: []string{"HOLON_A", "HOLON_B"},
		},
		{
			name:     "bad duration in file",
			file:     "[server]\nshutdown_timeout = \"ten seconds\"\n",
			wantErrs: []string{"server.shutdown_timeout", `"ten seconds" is not a duration`},
		},
		{
			name:     "duration without unit in file",
			file:     "[server]\nshutdown_timeout = 10\n",
			wantErrs: []string{"server.shutdown_timeout", "not a duration"},
		},
		{
			name:     "bad duration in environment",
			env:      []string{"HOLON_SERVER_SHUTDOWN_TIMEOUT=soon"},
			wantErrs: []string{"HOLON_SERVER_SHUTDOWN_TIMEOUT", `"soon" is not a duration`},
		},
		{
			name:     "negative duration",
			env:      []string{"HOLON_SERVER_SHUTDOWN_TIMEOUT=-5s"},
			wantErrs: []string{"HOLON_SERVER_SHUTDOWN_TIMEOUT", "negative"},
		},
		{
			name:     "bad integer in environment",
			env:      []string{"HOLON_SERVER_MAX_BODY_BYTES=1MiB"},
			wantErrs: []string{"HOLON_SERVER_MAX_BODY_BYTES", "not an integer"},
		},
		{
			name:     "integer overflowing int64",
			env:      []string{"HOLON_SERVER_MAX_BODY_BYTES=99999999999999999999"},
			wantErrs: []string{"HOLON_SERVER_MAX_BODY_BYTES", "not an integer"},
		},
		{
			name:     "bad boolean in environment",
			env:      []string{"HOLON_SERVER_TRUST_PROXY=yes"},
			wantErrs: []string{"HOLON_SERVER_TRUST_PROXY", "not a boolean"},
		},
		{
			name:     "http with a non-loopback host is refused",
			env:      []string{"HOLON_SERVER_HOST=holon.example.org"},
			wantErrs: []string{"invalid configuration:", "server.protocol: https is required"},
		},
		{
			name:     "fetch timeout out of bounds is refused",
			env:      []string{"HOLON_FEDERATION_FETCH_TIMEOUT=5m"},
			wantErrs: []string{"federation.fetch_timeout: 5m0s is not between 1s and 1m0s"},
		},
		{
			name:     "postgres without dsn is refused",
			file:     "[database]\ndriver = \"postgres\"\ndsn = \"\"\n",
			wantErrs: []string{"database.dsn: required when driver is postgres"},
		},
		{
			name:     "postgres keeping the sqlite file dsn is refused",
			env:      []string{"HOLON_DATABASE_DRIVER=postgres"},
			wantErrs: []string{`database.dsn: "holon.db" is not a postgres:// or postgresql:// URL`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if tt.file != "" {
				path = writeConfig(t, tt.file)
			}
			got, err := Load(path, tt.env)
			if err == nil {
				t.Fatalf("Load succeeded with %+v, want an error", got)
			}
			if got != (Config{}) {
				t.Errorf("Load returned %+v with its error, want the zero Config", got)
			}
			for _, want := range tt.wantErrs {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
			for _, bad := range tt.notWant {
				if strings.Contains(err.Error(), bad) {
					t.Errorf("error %q contains %q", err, bad)
				}
			}
		})
	}
}

func TestLoad_ValidationFailureIsAValidationError(t *testing.T) {
	_, err := Load("", []string{"HOLON_LOG_LEVEL=loud", "HOLON_LOG_FORMAT=xml"})
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Load error %v is not a *ValidationError", err)
	}
	if len(verr.Problems) != 2 {
		t.Errorf("problems = %q, want 2", verr.Problems)
	}
}

func TestLoad_MissingFileIsNotExist(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "absent.toml"), nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v does not wrap os.ErrNotExist", err)
	}
}
