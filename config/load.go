package config

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/BurntSushi/toml"
)

const (
	envPrefix = "HOLON_"
	// envTestPrefix is left to the test suite, which passes its own settings
	// to the processes it starts; Load ignores these variables.
	envTestPrefix = "HOLON_TEST_"
)

// Load builds the configuration of an instance: Default, then the TOML file
// at path (skipped when path is empty), then the HOLON_<SECTION>_<KEY>
// variables of environ (as given by os.Environ), then Validate.
//
// A key of the file or a HOLON_ variable that matches no setting is an error,
// so that a typo is reported rather than silently ignored; variables starting
// with HOLON_TEST_ are the exception. A validation failure is returned as a
// *ValidationError.
func Load(path string, environ []string) (Config, error) {
	c := Default()
	if path != "" {
		if err := c.readFile(path); err != nil {
			return Config{}, err
		}
	}
	if err := c.applyEnv(environ); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func (c *Config) readFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config %s: %w", path, err)
	}
	md, err := toml.Decode(string(data), c)
	if err != nil {
		return fmt.Errorf("parse config %s: %w", path, err)
	}
	if unknown := unknownKeys(md.Undecoded()); len(unknown) > 0 {
		return fmt.Errorf("parse config %s: unknown keys: %s", path, strings.Join(unknown, ", "))
	}
	return nil
}

// unknownKeys names the undecoded keys, leaving out those inside an unknown
// table already named, so that "[typo]" is reported once, not once per key.
func unknownKeys(keys []toml.Key) []string {
	var names []string
	for _, k := range keys {
		name := k.String()
		if len(names) > 0 && strings.HasPrefix(name, names[len(names)-1]+".") {
			continue
		}
		names = append(names, name)
	}
	return names
}

func (c *Config) applyEnv(environ []string) error {
	all, err := settings(c)
	if err != nil {
		return err
	}
	byEnv := make(map[string]setting, len(all))
	for _, s := range all {
		byEnv[s.envName()] = s
	}
	var errs []error
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, envPrefix) || strings.HasPrefix(name, envTestPrefix) {
			continue
		}
		s, known := byEnv[name]
		if !known {
			errs = append(errs, fmt.Errorf("environment variable %s: no such setting", name))
			continue
		}
		if err := s.set(value); err != nil {
			errs = append(errs, fmt.Errorf("environment variable %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}
