package instance

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// language is a BCP 47 language tag as instances announce them: a primary
// language subtag and optional region or script subtags ("fr", "pt-BR").
var language = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$`)

// check trims and checks in, naming every bad field at once, and gives the
// rules their ids (cur are the current rules).
func check(ctx context.Context, tx store.Tx, in Settings, cur []Rule) (Settings, error) {
	var fe core.FieldErrors
	out := Settings{
		Name:                fe.Text("name", in.Name, MaxName, true),
		ShortDescription:    fe.Text("short_description", in.ShortDescription, MaxShortDescription, false),
		ExtendedDescription: fe.Text("extended_description", in.ExtendedDescription, MaxExtendedDescription, false),
		PrivacyPolicy:       fe.Text("privacy_policy", in.PrivacyPolicy, MaxPrivacyPolicy, false),
		Registrations:       in.Registrations,
		AssociationCreation: in.AssociationCreation,
	}
	if email := strings.ToLower(strings.TrimSpace(in.ContactEmail)); email != "" {
		if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > 254 {
			fe.Add("contact_email", "invalid-email", "not a valid e-mail address")
		}
		out.ContactEmail = email
	}
	if name := strings.TrimPrefix(strings.TrimSpace(in.ContactAccount), "@"); name != "" {
		acc, err := tx.Accounts().ByUsername(ctx, strings.ToLower(name))
		switch {
		case errors.Is(err, store.ErrNotFound), err == nil && acc.Status != membership.AccountActive:
			fe.Add("contact_account", "account-not-found", "no active local account has this name")
		case err != nil:
			return Settings{}, fmt.Errorf("look up the contact account: %w", err)
		default:
			out.ContactAccount = acc.Username
		}
	}
	out.Languages = languages(&fe, in.Languages)
	if !slices.Contains([]string{membership.RegistrationsOpen, membership.RegistrationsApproval, membership.RegistrationsClosed}, in.Registrations) {
		fe.Add("registrations", "invalid-choice", "must be open, approval or closed")
	}
	if !slices.Contains([]string{membership.CreationByUsers, membership.CreationByAdmins}, in.AssociationCreation) {
		fe.Add("association_creation", "invalid-choice", "must be users or admins")
	}
	out.Rules = rules(&fe, in.Rules, cur)
	if err := fe.Err(); err != nil {
		return Settings{}, err
	}
	return out, nil
}

func languages(fe *core.FieldErrors, in []string) []string {
	if len(in) > MaxLanguages {
		fe.Add("languages", "too-many", "at most "+strconv.Itoa(MaxLanguages)+" languages")
		return nil
	}
	out := []string{}
	for _, l := range in {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if !language.MatchString(l) {
			fe.Add("languages", "invalid-language", "each language must be a code such as en, fr or pt-BR")
			return nil
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// rules checks the rules and gives each its id: the one it came with (which
// must be a current rule's), else the id of the current rule with the same
// text, else a new one, above every id used so far.
func rules(fe *core.FieldErrors, in, cur []Rule) []Rule {
	if len(in) > MaxRules {
		fe.Add("rules", "too-many", "at most "+strconv.Itoa(MaxRules)+" rules")
		return nil
	}
	next := 1
	byText := map[string]string{}
	known := map[string]bool{}
	for _, r := range cur {
		known[r.ID] = true
		byText[r.Text] = r.ID
		if n, err := strconv.Atoi(r.ID); err == nil && n >= next {
			next = n + 1
		}
	}
	out := make([]Rule, 0, len(in))
	used := map[string]bool{}
	for i, r := range in {
		field := "rules." + strconv.Itoa(i)
		n := len(*fe)
		text := fe.Text(field, r.Text, MaxRule, true)
		if len(*fe) > n {
			continue
		}
		id := strings.TrimSpace(r.ID)
		switch {
		case id != "" && !known[id]:
			fe.Add(field, "unknown-rule", "no current rule has this id")
			continue
		case id == "" && byText[text] != "" && !used[byText[text]]:
			id = byText[text]
		case id == "":
			id = strconv.Itoa(next)
			next++
		}
		if used[id] {
			fe.Add(field, "unknown-rule", "two rules have the same id")
			continue
		}
		used[id] = true
		out = append(out, Rule{ID: id, Text: text})
	}
	return out
}

// changes describes, for the audit log, which settings differ between old
// and new: short values in full, long texts by their new length.
func changes(old, new Settings) map[string]any {
	d := map[string]any{}
	for _, c := range []struct {
		name     string
		old, new string
	}{{"name", old.Name, new.Name}, {"contact_email", old.ContactEmail, new.ContactEmail},
		{"contact_account", old.ContactAccount, new.ContactAccount}, {"registrations", old.Registrations, new.Registrations},
		{"association_creation", old.AssociationCreation, new.AssociationCreation}} {
		if c.old != c.new {
			d[c.name] = map[string]string{"from": c.old, "to": c.new}
		}
	}
	for _, c := range []struct {
		name     string
		old, new string
	}{{"short_description", old.ShortDescription, new.ShortDescription},
		{"extended_description", old.ExtendedDescription, new.ExtendedDescription},
		{"privacy_policy", old.PrivacyPolicy, new.PrivacyPolicy}} {
		if c.old != c.new {
			d[c.name] = map[string]int{"length": len([]rune(c.new))}
		}
	}
	if !slices.Equal(old.Languages, new.Languages) {
		d["languages"] = new.Languages
	}
	if !slices.Equal(old.Rules, new.Rules) {
		d["rules"] = len(new.Rules)
	}
	return d
}
