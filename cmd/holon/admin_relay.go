package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/holon-network/holon/core/relays"
)

func (c *cli) relayCmd() *cobra.Command {
	relay := &cobra.Command{Use: "relay", Short: "Subscribe the instance to ActivityPub relays, or unsubscribe"}
	relay.AddCommand(c.relayAddCmd(), c.relayRemoveCmd(), c.relayListCmd())
	return relay
}

func (c *cli) relayAddCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "add URL",
		Short: "Subscribe to a relay, by its inbox (https://relay.example/inbox) or its actor",
		Long: `Subscribe the instance to an ActivityPub relay, as Mastodon does: the instance
actor sends the relay's inbox a Follow of the Public collection. The Follow is
queued and sent by the running server; the subscription stays pending until the
relay answers. Once accepted, the public posts the relay passes on show in the
network timeline, and this instance's public posts are delivered to the relay.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				r, err := inst.relays.Subscribe(ctx, relays.CommandLine, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "subscribed to %s (%s)\n", r.Inbox, r.State)
				return nil
			})
		},
	}
}

func (c *cli) relayRemoveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "remove URL",
		Short: "Unsubscribe from a relay (its inbox or actor, as listed): the Undo of the Follow is queued",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				if err := inst.relays.UnsubscribeInbox(ctx, relays.CommandLine, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "unsubscribed from %s\n", args[0])
				return nil
			})
		},
	}
}

func (c *cli) relayListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Print the relays, one a line: inbox, state, actor",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				list, err := inst.relays.List(ctx, relays.CommandLine)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				for _, r := range list {
					fmt.Fprintf(w, "%s\t%s\t%s\n", r.Inbox, r.State, r.Actor)
				}
				return w.Flush()
			})
		},
	}
}
