// Package config describes how a Holon instance is configured: one Config value,
// read from a TOML file and HOLON_<SECTION>_<KEY> environment variables, checked
// as a whole, then handed to whatever needs it.
//
// With no file and no environment variables, Default gives a working local
// instance: SQLite in holon.db, listening and addressed on 127.0.0.1:8080 over
// plain http. Load layers the file and then the environment over those defaults
// and validates the result, so a Config returned without error is usable as is.
// Validate reports every problem at once, each named "<section>.<key>", so an
// operator fixes a configuration in one pass rather than one error per restart.
//
// Every setting has exactly one place in the code: a field with a toml tag.
// The environment variable names and the list of known keys are derived from
// those tags by reflection, so adding a setting is adding a field (plus its
// default, its check in Validate and its entry in config.example.toml, which a
// test keeps in step).
//
// This package never holds global state and never reads the process
// environment or the file system on its own: Load is given the path and the
// environment (os.Environ()) by the command that starts the server. Other
// packages never reach for configuration through globals or getters; they
// receive the Config, or better the few values they need, as explicit
// arguments when they are constructed.
package config
