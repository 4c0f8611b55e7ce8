package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/holon-network/holon/core/domains"
)

func (c *cli) domainCmd() *cobra.Command {
	domain := &cobra.Command{Use: "domain", Short: "Block, silence or allow remote domains"}
	domain.AddCommand(c.domainBlockCmd(), c.domainUnblockCmd(), c.domainAllowCmd(), c.domainDisallowCmd(),
		c.domainListCmd(), c.domainImportCmd(), c.domainExportCmd())
	return domain
}

// cutsMembers prints the members a refused change would cut off, and says
// how to go on.
func cutsMembers(cmd *cobra.Command, err error) error {
	affected, ok := domains.AffectedOf(err)
	if !ok {
		return err
	}
	w := tabwriter.NewWriter(cmd.ErrOrStderr(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "member\tassociation")
	for _, a := range affected {
		fmt.Fprintf(w, "%s\t%s\n", a.Acct, a.Association)
	}
	_ = w.Flush()
	return fmt.Errorf("%w (%d members); run again with --confirm to go on", err, len(affected))
}

func (c *cli) domainBlockCmd() *cobra.Command {
	var in domains.NewBlock
	cmd := &cobra.Command{
		Use:   "block DOMAIN [--severity silence|suspend] [--public-comment C] [--private-comment C] [--confirm]",
		Short: "Suspend (or silence) a domain and its subdomains",
		Long: `Block a remote domain and its subdomains. Suspend (the default): their
activities are refused at the inbox, nothing is delivered to them or fetched
from them, every follow between local actors and actors there ends, and what
was stored from them leaves the network views. Silence: federation goes on,
but the network views leave their content out.

A suspension that would cut off active remote members of local associations
is refused with their list, unless --confirm.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Domain = args[0]
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				b, severed, err := inst.domains.Block(ctx, domains.CommandLine, in)
				if err != nil {
					return cutsMembers(cmd, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "blocked %s (%s); %d follows ended\n", b.Domain, b.Severity, severed)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&in.Severity, "severity", domains.Suspend, "silence or suspend")
	cmd.Flags().StringVar(&in.PublicComment, "public-comment", "", "the reason, as anyone may read it")
	cmd.Flags().StringVar(&in.PrivateComment, "private-comment", "", "a note for the admins only")
	cmd.Flags().BoolVar(&in.Confirm, "confirm", false, "go on even though remote members are cut off")
	return cmd
}

func (c *cli) domainUnblockCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "unblock DOMAIN",
		Short: "Lift the block of a domain (follows ended by the block do not come back)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				if err := inst.domains.Unblock(ctx, domains.CommandLine, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "unblocked %s\n", args[0])
				return nil
			})
		},
	}
}

func (c *cli) domainAllowCmd() *cobra.Command {
	var in domains.NewAllow
	cmd := &cobra.Command{
		Use:   "allow DOMAIN [--comment C]",
		Short: "Allow a domain and its subdomains (what allowlist mode federates with)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Domain = args[0]
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				a, err := inst.domains.Allow(ctx, domains.CommandLine, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "allowed %s\n", a.Domain)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&in.Comment, "comment", "", "a note for the admins")
	return cmd
}

func (c *cli) domainDisallowCmd() *cobra.Command {
	var confirm bool
	cmd := &cobra.Command{
		Use:   "disallow DOMAIN [--confirm]",
		Short: "Remove a domain from the allowlist",
		Long: `Remove a domain from the allowlist. In allowlist mode, this is refused with
the list of the active remote members of local associations it would cut
off, unless --confirm.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				if err := inst.domains.Disallow(ctx, domains.CommandLine, args[0], confirm); err != nil {
					return cutsMembers(cmd, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "disallowed %s\n", args[0])
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&confirm, "confirm", false, "go on even though remote members are cut off")
	return cmd
}

func (c *cli) domainListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Print the blocked and allowed domains, one a line: domain, status (suspend, silence, allowed), comment",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				blocks, err := inst.domains.Blocks(ctx, domains.CommandLine)
				if err != nil {
					return err
				}
				allows, err := inst.domains.Allows(ctx, domains.CommandLine)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				for _, b := range blocks {
					fmt.Fprintf(w, "%s\t%s\t%s\n", b.Domain, b.Severity, b.PublicComment)
				}
				for _, a := range allows {
					fmt.Fprintf(w, "%s\tallowed\t%s\n", a.Domain, a.Comment)
				}
				return w.Flush()
			})
		},
	}
}

func (c *cli) domainImportCmd() *cobra.Command {
	var confirm bool
	cmd := &cobra.Command{
		Use:   "import FILE [--confirm]",
		Short: "Block the domains of a list in Mastodon's CSV format (- reads stdin)",
		Long: `Block the domains of a list exported by Mastodon (` + domains.CSVHeader + `),
or of a plain list, one domain a line, all or nothing: a bad row refuses the
whole list, with its line. Rows of severity noop are skipped, and domains
blocked already are left as they are.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var r io.Reader = cmd.InOrStdin()
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				r = f
			}
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				out, err := inst.domains.Import(ctx, domains.CommandLine, r, confirm)
				if err != nil {
					return cutsMembers(cmd, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d added, %d unchanged, %d skipped\n", out.Added, out.Unchanged, out.Skipped)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&confirm, "confirm", false, "go on even though remote members are cut off")
	return cmd
}

func (c *cli) domainExportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "export",
		Short: "Print the blocks in Mastodon's CSV format",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				return inst.domains.Export(ctx, domains.CommandLine, cmd.OutOrStdout())
			})
		},
	}
}

func (c *cli) federationCmd() *cobra.Command {
	federation := &cobra.Command{Use: "federation", Short: "Choose whom the instance federates with"}
	var confirm bool
	mode := &cobra.Command{
		Use:   "mode [open|allowlist] [--confirm]",
		Short: "Print the federation mode, or switch it",
		Long: `Without an argument, print the federation mode (and "(set by the
configuration)" when federation.mode fixes it). open federates with every
domain not suspended; allowlist only with the allowed domains. Switching to
allowlist is refused with the list of the active remote members of local
associations it would cut off, unless --confirm.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				if len(args) == 1 {
					if err := inst.domains.SetMode(ctx, domains.CommandLine, args[0], confirm); err != nil {
						return cutsMembers(cmd, err)
					}
				}
				m, locked, err := inst.domains.Mode(ctx)
				if err != nil {
					return err
				}
				if locked {
					m += " (set by the configuration)"
				}
				fmt.Fprintln(cmd.OutOrStdout(), m)
				return nil
			})
		},
	}
	mode.Flags().BoolVar(&confirm, "confirm", false, "go on even though remote members are cut off")
	federation.AddCommand(mode)
	return federation
}
