package config

import (
	"os"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

const examplePath = "../config.example.toml"

// TestExampleFile_DocumentsEverySetting keeps config.example.toml in step
// with Config: it must load, set every key to its default, and name every
// environment variable.
func TestExampleFile_DocumentsEverySetting(t *testing.T) {
	loaded, err := Load(examplePath, nil)
	if err != nil {
		t.Fatalf("Load(%s): %v", examplePath, err)
	}
	if loaded != Default() {
		t.Errorf("%s does not give the defaults:\n got %+v\nwant %+v", examplePath, loaded, Default())
	}

	text, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	var decoded Config
	md, err := toml.Decode(string(text), &decoded)
	if err != nil {
		t.Fatal(err)
	}
	all, err := settings(&decoded)
	if err != nil {
		t.Fatalf("walk Config: %v", err)
	}
	for _, s := range all {
		if !md.IsDefined(s.section, s.key) {
			t.Errorf("%s does not set %s", examplePath, s.name())
		}
		if !strings.Contains(string(text), "Environment: "+s.envName()+"\n") {
			t.Errorf("%s does not name the variable %s", examplePath, s.envName())
		}
	}
}

func TestSettings_EnvironmentNamesFollowTomlKeys(t *testing.T) {
	c := Default()
	all, err := settings(&c)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, s := range all {
		names[s.envName()] = true
	}
	for _, want := range []string{
		"HOLON_SERVER_LISTEN", "HOLON_SERVER_HOST", "HOLON_SERVER_PROTOCOL",
		"HOLON_SERVER_SHUTDOWN_TIMEOUT", "HOLON_SERVER_MAX_BODY_BYTES", "HOLON_SERVER_TRUST_PROXY",
		"HOLON_DATABASE_DRIVER", "HOLON_DATABASE_DSN", "HOLON_DATABASE_MAX_OPEN_CONNS",
		"HOLON_INSTANCE_NAME", "HOLON_INSTANCE_DESCRIPTION", "HOLON_INSTANCE_REGISTRATIONS",
		"HOLON_INSTANCE_ASSOCIATION_CREATION", "HOLON_INSTANCE_DEFAULT_LOCALE",
		"HOLON_INSTANCE_ADMIN_USERNAME", "HOLON_FEDERATION_ALLOW_PRIVATE_ADDRESSES",
		"HOLON_FEDERATION_FETCH_TIMEOUT", "HOLON_FEDERATION_MAX_RESPONSE_BYTES",
		"HOLON_FEDERATION_DELIVERY_TIMEOUT", "HOLON_FEDERATION_DELIVERY_FIRST_RETRY", "HOLON_FEDERATION_CLOCK_SKEW",
		"HOLON_FEDERATION_POLL_UPDATE_INTERVAL", "HOLON_FEDERATION_MODE",
		"HOLON_LOG_LEVEL", "HOLON_LOG_FORMAT",
	} {
		if !names[want] {
			t.Errorf("no setting answers to %s", want)
		}
	}
	if len(names) != len(all) {
		t.Errorf("%d settings share %d variable names", len(all), len(names))
	}
}
