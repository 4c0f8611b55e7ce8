package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/holon-network/holon/core/membership"
)

// The partner commands act as a board member of the association (--as, by
// default the first-start admin), so that core checks the same rights as on
// the web and the audit log says who acted.

func (c *cli) partnerCmd() *cobra.Command {
	partner := &cobra.Command{Use: "partner", Short: "Make other associations partners of an association, end partnerships, list them"}
	partner.AddCommand(c.partnerAddCmd(), c.partnerRemoveCmd(), c.partnerListCmd())
	return partner
}

// boardFlags are the flags every partner command takes.
type boardFlags struct{ association, as string }

func (f *boardFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.association, "association", "", "the association's name (required)")
	cmd.Flags().StringVar(&f.as, "as", "", "the board member acting (default: the first-start admin)")
	_ = cmd.MarkFlagRequired("association")
}

// boardMember returns the account acting on the association's behalf.
func boardMember(ctx context.Context, inst *instance, username string) (membership.Account, error) {
	if username == "" {
		username = inst.cfg.Instance.AdminUsername
	}
	a, err := inst.members.Account(ctx, username)
	if err != nil {
		return membership.Account{}, fmt.Errorf("the board member %q: %w", username, err)
	}
	return a, nil
}

func (c *cli) partnerAddCmd() *cobra.Command {
	var f boardFlags
	cmd := &cobra.Command{
		Use:   "add NAME@HOST|URL --association N [--as U]",
		Short: "Make another association a partner: the association follows it",
		Long: `Make another association (name@host, or the URL of its actor) a partner. The
association's own actor follows it: a Follow to another instance is queued and
sent by the running server, and the partnership stays requested until the other
association follows back (its board adds this association in turn). When the
other association asked first, adding it accepts its follow.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				by, err := boardMember(ctx, inst, f.as)
				if err != nil {
					return err
				}
				p, err := inst.members.AddPartner(ctx, by, f.association, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", p.Acct(), p.State)
				return nil
			})
		},
	}
	f.register(cmd)
	return cmd
}

func (c *cli) partnerRemoveCmd() *cobra.Command {
	var f boardFlags
	cmd := &cobra.Command{
		Use:   "remove NAME@HOST|URL --association N [--as U]",
		Short: "End a partnership: neither association follows the other any more",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				by, err := boardMember(ctx, inst, f.as)
				if err != nil {
					return err
				}
				if err := inst.members.EndPartnership(ctx, by, f.association, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "ended the partnership with %s\n", args[0])
				return nil
			})
		},
	}
	f.register(cmd)
	return cmd
}

func (c *cli) partnerListCmd() *cobra.Command {
	var f boardFlags
	cmd := &cobra.Command{
		Use:   "list --association N [--as U]",
		Short: "Print the partners, one a line: name@host, state (mutual, requested, offered), since, actor",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				by, err := boardMember(ctx, inst, f.as)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				for after := uuid.Nil; ; {
					page, err := inst.members.Partners(ctx, &by, f.association, after, membership.MaxPageSize)
					if err != nil {
						return err
					}
					for _, p := range page.Items {
						fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", p.Acct(), p.State, p.Since.Format(time.RFC3339), p.URI)
					}
					if after = page.Next; after == uuid.Nil {
						break
					}
				}
				return w.Flush()
			})
		},
	}
	f.register(cmd)
	return cmd
}
