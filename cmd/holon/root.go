package main

import (
	"github.com/spf13/cobra"

	"github.com/holon-network/holon/config"
)

// cli holds what every command shares: the environment it was started with
// and the --config flag.
type cli struct {
	environ    []string
	configPath string
}

func newRootCmd(environ []string) *cobra.Command {
	c := &cli{environ: environ}
	root := &cobra.Command{
		Use:   "holon",
		Short: "Holon, a federated ActivityPub server for associations",
		Long: `Holon runs an instance of a federated ActivityPub server for associations.

With no configuration, "holon serve" keeps its data in ./holon.db (SQLite),
serves http://127.0.0.1:8080 and, on first start, creates an administrator
account whose credentials it prints once.

Settings come from the file given by --config (see config.example.toml) and
from HOLON_<SECTION>_<KEY> environment variables, which override the file.`,
		// Errors are printed once, by run, with the right exit code.
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.CompletionOptions.HiddenDefaultCmd = true
	root.PersistentFlags().StringVar(&c.configPath, "config", "", "TOML configuration `file` (default: none; built-in defaults and HOLON_* variables)")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{err}
	})
	root.AddCommand(c.serveCmd(), c.migrateCmd(), c.adminCmd())
	root.AddCommand(c.partnerCmd())
	return root
}

// loadConfig reads the configuration from --config and the environment.
func (c *cli) loadConfig() (config.Config, error) {
	cfg, err := config.Load(c.configPath, c.environ)
	if err != nil {
		return config.Config{}, configError{path: c.configPath, err: err}
	}
	return cfg, nil
}
