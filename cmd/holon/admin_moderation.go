package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
)

// The moderation commands act as an administrator or moderator account
// (--as, by default the first-start admin), so that the audit log says who
// acted and core checks the same rights as on the web.

func (c *cli) reportCmd() *cobra.Command {
	report := &cobra.Command{Use: "report", Short: "Read and resolve reports"}
	report.AddCommand(c.reportListCmd(), c.reportShowCmd(), c.reportResolveCmd())
	return report
}

func (c *cli) moderateCmd() *cobra.Command {
	var as string
	var in membership.ActionInput
	var report string
	cmd := &cobra.Command{
		Use:   "moderate ACCT warn|silence|unsilence|suspend|unsuspend|delete [--text T] [--report ID]",
		Short: "Act on a local account (username) or a remote actor (name@host)",
		Long: `Warn, silence, suspend (and undo those) or delete an account, as a moderator
does on /admin/accounts/ACCT. Only administrators delete; a local account's
deletion is federated.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Type = args[1]
			if report != "" {
				id, err := uuid.Parse(report)
				if err != nil {
					return core.Invalid(core.FieldError{Field: "report", Code: "invalid-id", Detail: "a report id is a UUID"})
				}
				in.Report = &id
			}
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				by, err := moderator(ctx, inst, as)
				if err != nil {
					return err
				}
				a, err := inst.members.ModerateAccount(ctx, by, args[0], in)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", args[0], a.Action)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the administrator or moderator acting (default: the first-start admin)")
	cmd.Flags().StringVar(&in.Text, "text", "", "the warning, or why")
	cmd.Flags().StringVar(&report, "report", "", "the report this answers")
	return cmd
}

func (c *cli) reportListCmd() *cobra.Command {
	var as, state string
	cmd := &cobra.Command{
		Use:   "list [--state open|resolved]",
		Short: "List reports, newest first: id, state, target, origin, comment",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				by, err := moderator(ctx, inst, as)
				if err != nil {
					return err
				}
				list, _, err := inst.members.Reports(ctx, by, state, uuid.Nil, membership.MaxPageSize)
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				for _, r := range list {
					origin := "local"
					if !r.Local {
						origin = "from " + r.ReporterHost
					}
					fmt.Fprintf(tw, "%s\t%s\t%s@%s\t%s\t%s\n", r.ID, r.State, r.TargetUsername, r.TargetHost, origin, flat(r.Comment))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the administrator or moderator reading (default: the first-start admin)")
	cmd.Flags().StringVar(&state, "state", membership.ReportOpen, "open or resolved")
	return cmd
}

func (c *cli) reportShowCmd() *cobra.Command {
	var as string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a report: target, comment, reported notes, moderators' notes and actions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := reportID(args[0])
			if err != nil {
				return err
			}
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				by, err := moderator(ctx, inst, as)
				if err != nil {
					return err
				}
				d, err := inst.members.ReportDetail(ctx, by, id)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "report %s (%s)\nabout %s@%s\ncomment: %s\n", d.Report.ID, d.Report.State,
					d.Report.TargetUsername, d.Report.TargetHost, flat(d.Report.Comment))
				for _, n := range d.Report.Notes {
					fmt.Fprintf(out, "note: %s\n", n.URI)
				}
				for _, n := range d.ModeratorNotes {
					fmt.Fprintf(out, "moderator note by %s: %s\n", n.Author, flat(n.Text))
				}
				for _, a := range d.Actions {
					fmt.Fprintf(out, "action %s by %s: %s\n", a.Action, a.Moderator, flat(a.Text))
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the administrator or moderator reading (default: the first-start admin)")
	return cmd
}

func (c *cli) reportResolveCmd() *cobra.Command {
	var as string
	var in membership.Resolution
	cmd := &cobra.Command{
		Use:   "resolve ID [--action none|warn|silence|suspend|delete|remove_notes] [--comment C]",
		Short: "Resolve a report, applying its action to the target in the same step",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := reportID(args[0])
			if err != nil {
				return err
			}
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				by, err := moderator(ctx, inst, as)
				if err != nil {
					return err
				}
				r, err := inst.members.ResolveReport(ctx, by, id, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "report %s %s (%s)\n", r.ID, r.State, in.Action)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the administrator or moderator acting (default: the first-start admin)")
	cmd.Flags().StringVar(&in.Action, "action", membership.ActionNone, "what to do to the reported account")
	cmd.Flags().StringVar(&in.Comment, "comment", "", "why, for the audit log and the other moderators")
	return cmd
}

// moderator returns the account the command acts as: username, or the
// first-start admin.
func moderator(ctx context.Context, inst *instance, username string) (membership.Account, error) {
	if username == "" {
		username = inst.cfg.Instance.AdminUsername
	}
	a, err := inst.members.Account(ctx, username)
	if err != nil {
		return membership.Account{}, fmt.Errorf("the moderator %q: %w", username, err)
	}
	return a, nil
}

func reportID(s string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, core.Invalid(core.FieldError{Field: "id", Code: "invalid-id", Detail: "a report id is a UUID"})
	}
	return id, nil
}

// flat keeps a free text on one line of a listing.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }
