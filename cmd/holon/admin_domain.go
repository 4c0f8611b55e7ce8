package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/holon-network/holon/core/domains"
)

func (c *cli) domainCmd() *cobra.Command {
	domain := &cobra.Command{Use: "domain", Short: "Block or unblock remote domains"}
	domain.AddCommand(c.domainBlockCmd(), c.domainUnblockCmd(), c.domainListCmd())
	return domain
}

func (c *cli) domainBlockCmd() *cobra.Command {
	var in domains.NewBlock
	cmd := &cobra.Command{
		Use:   "block DOMAIN [--public-comment C] [--private-comment C]",
		Short: "Stop all federation with a domain and its subdomains",
		Long: `Block a remote domain and its subdomains: their activities are refused at the
inbox, nothing is delivered to them or fetched from them, and every follow
between local actors and actors there ends.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Domain = args[0]
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				b, severed, err := inst.domains.Block(ctx, domains.CommandLine, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "blocked %s (%s); %d follows ended\n", b.Domain, b.Severity, severed)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&in.PublicComment, "public-comment", "", "the reason, as anyone may read it")
	cmd.Flags().StringVar(&in.PrivateComment, "private-comment", "", "a note for the admins only")
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

func (c *cli) domainListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Print the blocked domains, one a line: domain, severity, public comment",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				list, err := inst.domains.Blocks(ctx, domains.CommandLine)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				for _, b := range list {
					fmt.Fprintf(w, "%s\t%s\t%s\n", b.Domain, b.Severity, b.PublicComment)
				}
				return w.Flush()
			})
		},
	}
}
