package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/holon-network/holon/core/membership"
)

func (c *cli) adminCmd() *cobra.Command {
	admin := &cobra.Command{
		Use:   "admin",
		Short: "Administer the instance: accounts, tokens, associations, domains",
		Long: `Administer the instance from the command line. Each command applies pending
migrations first, so it also works on a database no server has started yet.`,
	}
	account := &cobra.Command{Use: "account", Short: "Manage accounts"}
	account.AddCommand(c.accountCreateCmd(), c.accountDeleteCmd())
	key := &cobra.Command{Use: "key", Short: "Manage actors' signing keys"}
	key.AddCommand(c.keyRotateCmd())
	token := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	token.AddCommand(c.tokenCreateCmd())
	association := &cobra.Command{Use: "association", Short: "Manage associations"}
	association.AddCommand(c.associationCreateCmd())
	admin.AddCommand(account, token, association, key, c.domainCmd(), c.federationCmd(), c.relayCmd())
	admin.AddCommand(c.settingsCmd(), c.dashboardCmd(), c.auditCmd(), c.reportCmd(), c.moderateCmd())
	return admin
}

// withInstance loads the configuration, wires the instance, applies pending
// migrations (named on stderr, so that stdout stays for the result) and
// runs fn on it.
func (c *cli) withInstance(cmd *cobra.Command, fn func(ctx context.Context, in *instance) error) error {
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	in, err := wire(ctx, cfg, zerolog.Nop())
	if err != nil {
		return err
	}
	defer in.Close()
	applied, err := in.migrate(ctx)
	if err != nil {
		return err
	}
	for _, name := range applied {
		fmt.Fprintf(cmd.ErrOrStderr(), "applied migration %s\n", name)
	}
	return fn(ctx, in)
}

func (c *cli) accountCreateCmd() *cobra.Command {
	var (
		in            membership.NewAccount
		passwordStdin bool
		isAdmin       bool
	)
	cmd := &cobra.Command{
		Use:   "create --username U --email E --password-stdin [--admin]",
		Short: "Create an active account; the password is read from standard input",
		Long: `Create an active account, whatever the instance's registration mode. The
password is read from the first line of standard input, so that it never shows
in the process list or the shell history:

    printf '%s\n' "$PASSWORD" | holon admin account create --username alice --email alice@example.org --password-stdin`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !passwordStdin {
				return usageError{errors.New("--password-stdin is required: give the password on the first line of standard input")}
			}
			password, err := readPassword(cmd.InOrStdin())
			if err != nil {
				return err
			}
			in.Password = password
			role := membership.RoleUser
			if isAdmin {
				role = membership.RoleAdmin
			}
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				a, err := inst.members.CreateAccount(ctx, in, role)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created account %s (%s)\n", a.Username, a.Role)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Username, "username", "", "username: 1 to 30 of a-z, 0-9 and _ (required)")
	f.StringVar(&in.Email, "email", "", "e-mail address (required)")
	f.StringVar(&in.DisplayName, "display-name", "", "display name (default: the username)")
	f.StringVar(&in.Locale, "locale", "", "language of the account, en or fr (default: instance.default_locale)")
	f.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input (required)")
	f.BoolVar(&isAdmin, "admin", false, "make the account an administrator of the instance")
	_ = cmd.MarkFlagRequired("username")
	_ = cmd.MarkFlagRequired("email")
	return cmd
}

// readPassword reads the first line of r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("no password on standard input: --password-stdin reads it from the first line, which is empty")
	}
	return line, nil
}

func (c *cli) tokenCreateCmd() *cobra.Command {
	var username, label string
	cmd := &cobra.Command{
		Use:   "create --username U [--label L]",
		Short: "Create an API token and print it alone on standard output",
		Long: `Create a bearer token for the native API and print it, alone on one line of
standard output, for scripts:

    TOKEN=$(holon admin token create --username alice --label backup)

The token is shown only this once: Holon stores its hash.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, in *instance) error {
				account, err := in.members.Account(ctx, username)
				if err != nil {
					return fmt.Errorf("account %q: %w", username, err)
				}
				secret, _, err := in.members.CreateToken(ctx, account, label)
				if err != nil {
					return fmt.Errorf("create a token for %s: %w", account.Username, err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), secret)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&username, "username", "", "the account the token acts as (required)")
	cmd.Flags().StringVar(&label, "label", "", "what the token is for, shown in the account's settings")
	_ = cmd.MarkFlagRequired("username")
	return cmd
}

func (c *cli) associationCreateCmd() *cobra.Command {
	var (
		in    membership.NewAssociation
		owner string
	)
	cmd := &cobra.Command{
		Use:   "create --name N --display-name D --owner U",
		Short: "Found an association, with its owner as first board member",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				founder, err := inst.members.Account(ctx, owner)
				if err != nil {
					return fmt.Errorf("owner %q: %w", owner, err)
				}
				a, err := inst.members.CreateAssociation(ctx, founder, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created association %s (%s/@%s), with %s on its board\n",
					a.Name, inst.cfg.BaseURL(), a.Name, founder.Username)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Name, "name", "", "name: 1 to 30 of a-z, 0-9 and _, unique among persons and associations (required)")
	f.StringVar(&in.DisplayName, "display-name", "", "display name (required)")
	f.StringVar(&in.Summary, "summary", "", "one-paragraph presentation")
	f.StringVar(&in.Currency, "currency", "", "ISO 4217 currency of its ledger (default: EUR)")
	f.StringVar(&owner, "owner", "", "username of the founder, who joins the board (required)")
	for _, name := range []string{"name", "display-name", "owner"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

func (c *cli) keyRotateCmd() *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "rotate --actor NAME",
		Short: "Give a local actor a new key pair, under the same key id",
		Long: `Give a local actor (a person, an association, or the instance actor, named
after the host) a new RSA key pair; its key id stays. The actor's new
document is queued for its followers' servers, and delivered by the running
server; other servers fetch the new key when a signature fails with the old
one. Use it when a key may have leaked.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, in *instance) error {
				a, err := in.members.RotateKey(ctx, membership.Operator, name)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "rotated the key %s\n", a.KeyID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "actor", "", "name of the local actor (required)")
	_ = cmd.MarkFlagRequired("actor")
	return cmd
}

func (c *cli) accountDeleteCmd() *cobra.Command {
	var username string
	cmd := &cobra.Command{
		Use:   "delete --username U",
		Short: "Delete an account: its notes, follows and memberships; its name stays taken",
		Long: `Delete an account as an administrator would: the servers of its followers
and of those it follows are sent a Delete of its actor, its notes become
tombstones, its follows, likes, boosts, memberships, avatar and profile
fields go, its sessions end and its tokens are revoked. Its name stays taken,
and its addresses answer 410 Gone. Refused while it is the last board member
of an association (associations are not deleted with accounts) or the last
administrator.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, in *instance) error {
				if err := in.members.DeleteAccount(ctx, membership.Operator, username); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "deleted account %s\n", username)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&username, "username", "", "the account to delete (required)")
	_ = cmd.MarkFlagRequired("username")
	return cmd
}
