package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/holon-network/holon/core/audit/auditlog"
)

func (c *cli) auditCmd() *cobra.Command {
	audit := &cobra.Command{Use: "audit", Short: "Read the audit log of admin and board actions"}
	audit.AddCommand(c.auditListCmd())
	return audit
}

func (c *cli) auditListCmd() *cobra.Command {
	var association string
	var f auditlog.Filter
	cmd := &cobra.Command{
		Use:   "list [--association NAME] [--action PREFIX] [--limit N]",
		Short: "Print the newest entries, one a line: time, who, action, target, detail",
		Long: `Print the audit log, newest first, tab-separated: time (UTC), who acted ("-"
for the command line or the instance itself), action, target, detail (JSON).
Without --association, the instance admins' actions; with it, what that
association's board and its adopted proposals did.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				p, err := auditlog.New(inst.db, inst.members).ForOperator(ctx, association, f)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				for _, e := range p.Entries {
					who := e.Account
					if who == "" {
						who = "-"
					}
					detail, err := json.Marshal(e.Detail)
					if err != nil {
						return err
					}
					fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\n", e.At.UTC().Format(time.RFC3339), who, e.Action, auditField(e.Target), detail)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&association, "association", "", "the association whose board actions to print")
	cmd.Flags().StringVar(&f.Action, "action", "", `only actions starting with this ("member.", "domain.block")`)
	cmd.Flags().IntVar(&f.Limit, "limit", auditlog.DefaultLimit, fmt.Sprintf("at most this many entries (up to %d)", auditlog.MaxLimit))
	return cmd
}

// auditField keeps a target on its line and in its column.
func auditField(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}
