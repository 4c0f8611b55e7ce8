package main

import (
	"fmt"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
)

func (c *cli) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply the database migrations and exit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := c.loadConfig()
			if err != nil {
				return err
			}
			in, err := wire(cmd.Context(), cfg, zerolog.Nop())
			if err != nil {
				return err
			}
			defer in.Close()
			applied, err := in.migrate(cmd.Context())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(applied) == 0 {
				fmt.Fprintf(out, "The %s database is up to date: no migration to apply.\n", cfg.Database.Driver)
				return nil
			}
			for _, name := range applied {
				fmt.Fprintf(out, "applied %s\n", name)
			}
			fmt.Fprintf(out, "The %s database is up to date: %d migration(s) applied.\n", cfg.Database.Driver, len(applied))
			return nil
		},
	}
}
