package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	settingspkg "github.com/holon-network/holon/core/instance"
)

func (c *cli) settingsCmd() *cobra.Command {
	settings := &cobra.Command{Use: "settings", Short: "Show or change the instance's settings (name, rules, sign-ups…)"}
	settings.AddCommand(c.settingsShowCmd(), c.settingsSetCmd())
	return settings
}

func (c *cli) settingsShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show",
		Short: "Print the instance's settings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				s, err := inst.settings.Get(ctx)
				if err != nil {
					return err
				}
				printSettings(cmd.OutOrStdout(), s)
				return nil
			})
		},
	}
}

func printSettings(out io.Writer, s settingspkg.Settings) {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	saved := "never (the configuration's [instance] values apply)"
	if s.Saved() {
		saved = s.UpdatedAt.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	for _, row := range [][2]string{{"name", s.Name}, {"description", s.ShortDescription},
		{"contact-email", s.ContactEmail}, {"contact-account", s.ContactAccount},
		{"languages", strings.Join(s.Languages, ",")}, {"registrations", s.Registrations},
		{"association-creation", s.AssociationCreation},
		{"extended-description", fmt.Sprintf("%d characters", len([]rune(s.ExtendedDescription)))},
		{"privacy-policy", fmt.Sprintf("%d characters", len([]rune(s.PrivacyPolicy)))}, {"saved", saved}} {
		fmt.Fprintf(w, "%s:\t%s\n", row[0], row[1])
	}
	_ = w.Flush()
	fmt.Fprintf(out, "rules: %d\n", len(s.Rules))
	for _, r := range s.Rules {
		fmt.Fprintf(out, "  %s. %s\n", r.ID, r.Text)
	}
}

func (c *cli) settingsSetCmd() *cobra.Command {
	var (
		name, description, extendedFile, contactEmail, contactAccount string
		registrations, creation, languages, privacyFile               string
		rules                                                         []string
	)
	cmd := &cobra.Command{
		Use: "set [--name N] [--description D] [--contact-email E] [--registrations open|approval|closed] " +
			"[--languages en,fr] [--rule TEXT]... [--privacy-policy-file F]",
		Short: "Change the instance's settings; what is not given stays as it is",
		Long: `Change the instance's settings, as an admin would on /admin/settings. Only
the flags given change; --rule, repeated, replaces the whole list of rules (a
rule whose text is unchanged keeps its id). A file of "-" is read from the
standard input. The change is checked first, applies at once to every process
of the instance, and is recorded in the audit log.`,
		Example: `  holon admin settings set --registrations approval --rule "Be kind" --rule "No spam"
  holon admin settings set --privacy-policy-file privacy.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				s, err := inst.settings.Get(ctx)
				if err != nil {
					return err
				}
				for flag, dst := range map[string]*string{"name": &s.Name, "description": &s.ShortDescription,
					"contact-email": &s.ContactEmail, "contact-account": &s.ContactAccount,
					"registrations": &s.Registrations, "association-creation": &s.AssociationCreation} {
					if f.Changed(flag) {
						v, _ := f.GetString(flag)
						*dst = v
					}
				}
				if f.Changed("languages") {
					s.Languages = strings.FieldsFunc(languages, func(r rune) bool { return r == ',' || r == ' ' })
				}
				if f.Changed("rule") {
					s.Rules = make([]settingspkg.Rule, 0, len(rules))
					for _, text := range rules {
						s.Rules = append(s.Rules, settingspkg.Rule{Text: text})
					}
				}
				for flag, file := range map[string]struct {
					path string
					dst  *string
				}{"extended-description-file": {extendedFile, &s.ExtendedDescription}, "privacy-policy-file": {privacyFile, &s.PrivacyPolicy}} {
					if !f.Changed(flag) {
						continue
					}
					text, err := readTextFile(cmd, file.path, settingspkg.MaxPrivacyPolicy)
					if err != nil {
						return fmt.Errorf("--%s: %w", flag, err)
					}
					*file.dst = text
				}
				saved, err := inst.settings.Update(ctx, settingspkg.CommandLine, s)
				if err != nil {
					return err
				}
				printSettings(cmd.OutOrStdout(), saved)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "the instance's name")
	f.StringVar(&description, "description", "", "its short description")
	f.StringVar(&extendedFile, "extended-description-file", "", "a plain-text file with its extended description")
	f.StringVar(&contactEmail, "contact-email", "", "an e-mail address to write to about the instance (empty for none)")
	f.StringVar(&contactAccount, "contact-account", "", "a local account's username to contact (empty for none)")
	f.StringVar(&registrations, "registrations", "", "who may sign up: open, approval or closed")
	f.StringVar(&creation, "association-creation", "", "who may create associations: users or admins")
	f.StringVar(&languages, "languages", "", "the languages the instance is run in, comma-separated (en,fr)")
	f.StringArrayVar(&rules, "rule", nil, "a rule; repeat for each, in order (replaces the list)")
	f.StringVar(&privacyFile, "privacy-policy-file", "", "a plain-text file with the privacy policy")
	return cmd
}

// readTextFile reads a text file, "-" being the standard input, refusing
// one over max bytes.
func readTextFile(cmd *cobra.Command, path string, max int) (string, error) {
	var r io.Reader
	if path == "-" {
		r = cmd.InOrStdin()
	} else {
		file, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer file.Close()
		r = file
	}
	b, err := io.ReadAll(io.LimitReader(r, int64(max)*4+1))
	if err != nil {
		return "", err
	}
	if len(b) > max*4 {
		return "", fmt.Errorf("the file is over %d characters", max)
	}
	return string(b), nil
}

func (c *cli) dashboardCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "dashboard",
		Short: "Print the admin dashboard's counts: accounts, associations, federation health",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.withInstance(cmd, func(ctx context.Context, inst *instance) error {
				d, err := inst.settings.Dashboard(ctx, settingspkg.CommandLine)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				for _, row := range []struct {
					label string
					n     int
				}{{"accounts active", d.AccountsByStatus["active"]}, {"accounts pending", d.AccountsByStatus["pending"]},
					{"accounts suspended", d.AccountsByStatus["suspended"]}, {"associations", d.Associations},
					{"local notes", d.LocalNotes}, {"remote actors", d.RemoteActors}, {"known instances", d.RemoteHosts},
					{"open reports", d.OpenReports}, {"deliveries waiting", d.QueueDepth}, {"deliveries retrying", d.Retrying},
					{"deliveries given up", d.DeadLetters}, {"received activities failed", d.InboxFailed}} {
					fmt.Fprintf(w, "%s:\t%d\n", row.label, row.n)
				}
				for _, h := range d.FailingHosts {
					fmt.Fprintf(w, "failing host:\t%s\t%d failures, last %s\n", h.Host, h.ConsecutiveFailures, h.LastFailureAt.UTC().Format("2006-01-02 15:04 UTC"))
				}
				return w.Flush()
			})
		},
	}
}
