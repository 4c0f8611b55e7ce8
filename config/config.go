package config

import "time"

// Config is the whole configuration of an instance. The toml tag of each
// section and field is the key in the file; the environment variable is
// HOLON_<SECTION>_<KEY> in upper case.
type Config struct {
	Server     Server     `toml:"server"`
	Database   Database   `toml:"database"`
	Instance   Instance   `toml:"instance"`
	Federation Federation `toml:"federation"`
	Log        Log        `toml:"log"`
	Map        Map        `toml:"map"`
}

// Server is how the instance listens and how it is addressed from outside.
type Server struct {
	// Listen is the address the HTTP server binds, host:port.
	Listen string `toml:"listen"`
	// Host is the public host[:port] used in every URL the instance hands
	// out, including ActivityPub ids; it must not change once the instance
	// federates.
	Host string `toml:"host"`
	// Protocol is "http" or "https"; http is accepted only for a loopback Host.
	Protocol string `toml:"protocol"`
	// ShutdownTimeout bounds how long in-flight requests may run on shutdown.
	ShutdownTimeout Duration `toml:"shutdown_timeout"`
	// MaxBodyBytes caps the size of a request body.
	MaxBodyBytes int64 `toml:"max_body_bytes"`
	// TrustProxy says whether X-Forwarded-For is trusted for client IPs;
	// set it only behind a reverse proxy that overwrites that header.
	TrustProxy bool `toml:"trust_proxy"`
}

// Database selects the store.
type Database struct {
	// Driver is "sqlite" or "postgres".
	Driver string `toml:"driver"`
	// DSN is a file path for sqlite, a postgres:// URL for postgres.
	DSN string `toml:"dsn"`
	// MaxOpenConns limits open connections; 0 lets the store choose.
	MaxOpenConns int `toml:"max_open_conns"`
}

// Instance is what the instance says about itself and who may join it.
type Instance struct {
	// Name is the display name of the instance.
	Name string `toml:"name"`
	// Description is a short presentation shown on the home page and in
	// nodeinfo.
	Description string `toml:"description"`
	// Registrations is "open", "approval" or "closed".
	Registrations string `toml:"registrations"`
	// AssociationCreation is who may create associations: "users" or "admins".
	AssociationCreation string `toml:"association_creation"`
	// DefaultLocale is the language used when a visitor expresses none:
	// "en" or "fr".
	DefaultLocale string `toml:"default_locale"`
	// AdminUsername is the account created, with administrator rights, on
	// first start.
	AdminUsername string `toml:"admin_username"`
}

// Federation is how the instance talks to other servers.
type Federation struct {
	// AllowPrivateAddresses lets the instance fetch from and deliver to
	// private, loopback and link-local addresses; only for tests and closed
	// networks, as it lets anyone who can make the instance fetch a URL
	// reach the services next to it.
	AllowPrivateAddresses bool `toml:"allow_private_addresses"`
	// FetchTimeout bounds one fetch of a remote object, redirects included.
	FetchTimeout Duration `toml:"fetch_timeout"`
	// MaxResponseBytes caps the size of a fetched document; a larger one is
	// refused, not truncated.
	MaxResponseBytes int64 `toml:"max_response_bytes"`
	// DeliveryTimeout bounds one POST of an activity to a remote inbox.
	DeliveryTimeout Duration `toml:"delivery_timeout"`
	// DeliveryFirstRetry is the wait before a failed delivery's first
	// retry; each later retry waits twice as long as the one before.
	DeliveryFirstRetry Duration `toml:"delivery_first_retry"`
	// ClockSkew is the largest difference expected between the clocks of
	// the processes sharing the database; a claimed delivery is held that
	// much longer than its POST may take.
	ClockSkew Duration `toml:"clock_skew"`
	// PollUpdateInterval is how often at most a proposal's Question is
	// published again with the counts ballots changed, so that a thousand
	// ballots make a few Updates to the followers, not a thousand.
	PollUpdateInterval Duration `toml:"poll_update_interval"`
	// Mode, when set, fixes the federation mode ("open" or "allowlist")
	// whatever the admins chose, who may then not change it; "" leaves it
	// to them (open until they switch).
	Mode string `toml:"mode"`
}

// Log configures the zerolog logger.
type Log struct {
	// Level is one of trace, debug, info, warn, error.
	Level string `toml:"level"`
	// Format is "json" or "console".
	Format string `toml:"format"`
}

// Map is where the network's map page takes its background from.
type Map struct {
	// TileURL is the address template of the tile server's images, with
	// {z}, {x} and {y} (and optionally {r}), http or https; ""
	// shows no map, the page lists the places only.
	TileURL string `toml:"tile_url"`
	// Attribution is the credit the tile server asks for, shown on the
	// map, as plain text.
	Attribution string `toml:"attribution"`
}

// Bounds of the Map settings.
const (
	MaxTileURL     = 500
	MaxAttribution = 300
)

// Accepted values of the enumerated settings.
const (
	ProtocolHTTP  = "http"
	ProtocolHTTPS = "https"

	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"

	RegistrationsOpen     = "open"
	RegistrationsApproval = "approval"
	RegistrationsClosed   = "closed"

	AssociationCreationUsers  = "users"
	AssociationCreationAdmins = "admins"

	FederationOpen      = "open"
	FederationAllowlist = "allowlist"

	LogFormatJSON    = "json"
	LogFormatConsole = "console"
)

// Bounds of Server.MaxBodyBytes.
const (
	MinBodyBytes = 1 << 10
	MaxBodyBytes = 64 << 20
)

// Bounds of the Federation settings.
const (
	MinFetchTimeout  = time.Second
	MaxFetchTimeout  = time.Minute
	MinResponseBytes = 16 << 10
	MaxResponseBytes = 16 << 20

	MinDeliveryTimeout = time.Second
	MaxDeliveryTimeout = time.Minute
	// The first retry comes within a minute, so that a peer that was down
	// for a moment soon gets what it missed.
	MinDeliveryFirstRetry = time.Second
	MaxDeliveryFirstRetry = time.Minute
	MinClockSkew          = time.Second
	MaxClockSkew          = 10 * time.Minute
	MinPollUpdateInterval = time.Second
	MaxPollUpdateInterval = time.Hour
)

// Default returns the configuration of a local instance that needs no file:
// SQLite in ./holon.db, served on http://127.0.0.1:8080.
func Default() Config {
	return Config{
		Server: Server{
			Listen:          "127.0.0.1:8080",
			Host:            "127.0.0.1:8080",
			Protocol:        ProtocolHTTP,
			ShutdownTimeout: Duration{10 * time.Second},
			MaxBodyBytes:    1 << 20,
			TrustProxy:      false,
		},
		Database: Database{
			Driver:       DriverSQLite,
			DSN:          "holon.db",
			MaxOpenConns: 0,
		},
		Instance: Instance{
			Name:                "Holon",
			Description:         "",
			Registrations:       RegistrationsOpen,
			AssociationCreation: AssociationCreationUsers,
			DefaultLocale:       "en",
			AdminUsername:       "admin",
		},
		Federation: Federation{
			AllowPrivateAddresses: false,
			FetchTimeout:          Duration{10 * time.Second},
			MaxResponseBytes:      1 << 20,
			DeliveryTimeout:       Duration{15 * time.Second},
			DeliveryFirstRetry:    Duration{30 * time.Second},
			ClockSkew:             Duration{time.Minute},
			PollUpdateInterval:    Duration{time.Minute},
		},
		Log: Log{
			Level:  "info",
			Format: LogFormatJSON,
		},
		Map: Map{
			TileURL:     "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
			Attribution: "© OpenStreetMap contributors",
		},
	}
}

// BaseURL is the origin every public URL starts with, such as
// "https://example.org"; it has no trailing slash.
func (c Config) BaseURL() string {
	return c.Server.Protocol + "://" + c.Server.Host
}
