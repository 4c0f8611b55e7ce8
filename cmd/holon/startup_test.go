package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// commands that open the database; each must fail the same clear way.
var databaseCommands = [][]string{
	{"serve"},
	{"migrate"},
	{"admin", "token", "create", "--username", "alice"},
}

func TestCommands_UnreachableDatabaseFailsClearlyWithoutSecrets(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no", "such", "folder")
	tests := []struct {
		name      string
		env       []string
		stderrHas string
		secret    string
	}{
		{
			name: "postgres refusing connections",
			env: []string{"HOLON_DATABASE_DRIVER=postgres",
				"HOLON_DATABASE_DSN=postgres://holon:s3cret-Pa55@127.0.0.1:1/holon?sslmode=disable&application_name=x"},
			stderrHas: "holon: cannot open the postgres database holon@127.0.0.1:1/holon: ",
			secret:    "s3cret-Pa55",
		},
		{
			name: "postgres with the password as a parameter",
			env: []string{"HOLON_DATABASE_DRIVER=postgres",
				"HOLON_DATABASE_DSN=postgres://127.0.0.1:1/holon?user=holon&password=hunter2-xyz"},
			stderrHas: "holon: cannot open the postgres database 127.0.0.1:1/holon: ",
			secret:    "hunter2-xyz",
		},
		{
			name:      "sqlite in a missing folder",
			env:       []string{"HOLON_DATABASE_DSN=" + filepath.Join(missing, "holon.db")},
			stderrHas: "holon: cannot open the sqlite database " + filepath.Join(missing, "holon.db") + ": the folder " + missing + " does not exist",
		},
	}
	for _, tt := range tests {
		for _, args := range databaseCommands {
			t.Run(tt.name+"/"+strings.Join(args, " "), func(t *testing.T) {
				r := holon(t, tt.env, "", args...)
				r.wantFailure(t, exitFailure, tt.stderrHas)
				if tt.secret != "" && strings.Contains(r.stdout+r.stderr, tt.secret) {
					t.Errorf("the output shows the password:\n%s%s", r.stdout, r.stderr)
				}
				if strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
					t.Errorf("stderr has more than one line:\n%s", r.stderr)
				}
			})
		}
	}
}

func TestCommands_InvalidConfigurationListsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	writeFile(t, bad, `
[server]
listen = "nowhere"
protocol = "gopher"
shutdown_timeout = "0s"

[database]
driver = "postgres"
dsn = ""

[log]
level = "loud"
`)
	typo := filepath.Join(dir, "typo.toml")
	writeFile(t, typo, "[server]\nlisten = \"127.0.0.1:8080\"\nlisen = \"x\"\n[databse]\ndriver = \"sqlite\"\n")

	tests := []struct {
		name string
		args []string
		env  []string
		want []string
	}{
		{
			name: "values of a file",
			args: []string{"--config", bad},
			want: []string{
				"holon: invalid configuration (from " + bad + " and HOLON_* environment variables):",
				`  - server.listen: "nowhere" is not host:port`,
				`  - server.protocol: "gopher" is not one of http, https`,
				"  - server.shutdown_timeout: must be positive",
				"  - database.dsn: required when driver is postgres",
				`  - log.level: "loud" is not one of`,
			},
		},
		{
			name: "unknown keys of a file",
			args: []string{"--config", typo},
			want: []string{"unknown keys: server.lisen, databse"},
		},
		{
			name: "missing file",
			args: []string{"--config", filepath.Join(dir, "absent.toml")},
			want: []string{"read config " + filepath.Join(dir, "absent.toml")},
		},
		{
			name: "environment variables",
			env:  []string{"HOLON_SERVER_LISTN=:1", "HOLON_SERVER_MAX_BODY_BYTES=lots", "HOLON_TEST_ANYTHING=ignored"},
			want: []string{
				"holon: invalid configuration (from built-in defaults and HOLON_* environment variables):",
				"  - environment variable HOLON_SERVER_LISTN: no such setting",
				`  - environment variable HOLON_SERVER_MAX_BODY_BYTES: "lots" is not an integer`,
			},
		},
	}
	for _, tt := range tests {
		for _, cmd := range append(databaseCommands, []string{"admin", "account", "create", "--username", "a", "--email", "a@example.org", "--password-stdin"}) {
			t.Run(tt.name+"/"+strings.Join(cmd, " "), func(t *testing.T) {
				r := holon(t, tt.env, goodPassword+"\n", append(cmd, tt.args...)...)
				r.wantFailure(t, exitUsage, tt.want...)
			})
		}
	}
}

func TestMigrate_AppliesOnceThenSaysUpToDate(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		r := holon(t, e.env, "", "migrate")
		r.wantSuccess(t)
		if !strings.Contains(r.stdout, "applied 20261121000001_foundation\n") || !strings.Contains(r.stdout, "migration(s) applied") {
			t.Errorf("first migrate printed %q", r.stdout)
		}
		r = holon(t, e.env, "", "migrate")
		r.wantSuccess(t)
		if want := "The " + string(e.driver) + " database is up to date: no migration to apply.\n"; r.stdout != want {
			t.Errorf("second migrate printed %q, want %q", r.stdout, want)
		}
	})
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
