package pages

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

type adminSettingsPage struct {
	frame
	Form  *form
	Rules []ruleRow
	Saved bool
	// Defaults says the configuration's values apply: no admin saved the
	// settings yet.
	Defaults bool
}

// ruleRow is one rule's inputs on the settings page.
type ruleRow struct {
	Number int // from 1, for the label
	ID     string
	Text   fieldState
	IDName string
}

// The settings form's fields. The instance's name is "instance_name",
// apart from the accounts' "name" and its bound.
var settingsFields = []string{"instance_name", "short_description", "extended_description", "contact_email",
	"contact_account", "languages", "registrations", "association_creation", "privacy_policy"}

// newRuleRows is how many empty rows the page offers for new rules.
const newRuleRows = 3

func ruleText(i int) string { return fmt.Sprintf("rules[%d].text", i) }
func ruleID(i int) string   { return fmt.Sprintf("rules[%d].id", i) }

var ruleFields = func() []string {
	var names []string
	for i := range instance.MaxRules {
		names = append(names, ruleText(i), ruleID(i))
	}
	return names
}()

func init() {
	for name, max := range map[string]int{"instance_name": instance.MaxName, "short_description": instance.MaxShortDescription,
		"extended_description": instance.MaxExtendedDescription, "contact_email": 254, "contact_account": membership.MaxNameLength + 1,
		"languages": 200, "registrations": 16, "association_creation": 16, "privacy_policy": instance.MaxPrivacyPolicy} {
		fieldMax[name] = max
	}
	for i := range instance.MaxRules {
		fieldMax[ruleText(i)] = instance.MaxRule
		fieldMax[ruleID(i)] = 16
	}
}

// settingsAdmin returns the viewer's authority over the settings, or
// answers (log-in page, 403) and returns false.
func (s *server) settingsAdmin(w http.ResponseWriter, r *http.Request) (instance.Admin, bool) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/admin/settings")
		return instance.Admin{}, false
	}
	by, err := instance.AdminOf(acc)
	if err != nil {
		s.fail(w, r, err)
		return by, false
	}
	return by, true
}

func (s *server) adminSettings(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.settingsAdmin(w, r); !ok {
		return
	}
	set, err := s.instance.Get(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(append(settingsFields, ruleFields...)...)
	for name, v := range map[string]string{"instance_name": set.Name, "short_description": set.ShortDescription,
		"extended_description": set.ExtendedDescription, "contact_email": set.ContactEmail, "contact_account": set.ContactAccount,
		"languages": strings.Join(set.Languages, ", "), "registrations": set.Registrations,
		"association_creation": set.AssociationCreation, "privacy_policy": set.PrivacyPolicy} {
		f.Values[name] = v
	}
	for i, rule := range set.Rules {
		f.Values[ruleText(i)], f.Values[ruleID(i)] = rule.Text, rule.ID
	}
	s.render(w, r, http.StatusOK, "admin_settings", &adminSettingsPage{Form: f, Rules: ruleRows(f, len(set.Rules)),
		Saved: r.URL.Query().Get("saved") == "1", Defaults: !set.Saved()})
}

// ruleRows lays out the rows of the rules: those filled, then empty ones
// for new rules, MaxRules at most.
func ruleRows(f *form, filled int) []ruleRow {
	n := min(filled+newRuleRows, instance.MaxRules)
	rows := make([]ruleRow, 0, n)
	for i := range n {
		rows = append(rows, ruleRow{Number: i + 1, ID: f.Value(ruleID(i)), Text: f.Field(ruleText(i)), IDName: ruleID(i)})
	}
	return rows
}

// changeAdminSettings saves the settings, all or nothing. A rule whose
// text is emptied is removed.
func (s *server) changeAdminSettings(w http.ResponseWriter, r *http.Request) {
	by, ok := s.settingsAdmin(w, r)
	if !ok {
		return
	}
	f, err := readForm(r, append(settingsFields, ruleFields...))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The rows the page sent, and which row each rule given to core came
	// from, so that core's "rules.2" shows next to its row.
	rows := 0
	var rules []instance.Rule
	rename := map[string]string{"name": "instance_name"}
	for i := range instance.MaxRules {
		if !f.submitted(ruleText(i)) && !f.submitted(ruleID(i)) {
			continue
		}
		rows = i + 1
		if text := strings.TrimSpace(f.Value(ruleText(i))); text != "" {
			rename["rules."+strconv.Itoa(len(rules))] = ruleText(i)
			rules = append(rules, instance.Rule{ID: f.Value(ruleID(i)), Text: text})
		}
	}
	if !f.Invalid() {
		in := instance.Settings{Name: f.Value("instance_name"), ShortDescription: f.Value("short_description"),
			ExtendedDescription: f.Value("extended_description"), ContactEmail: f.Value("contact_email"),
			ContactAccount: f.Value("contact_account"), Languages: strings.FieldsFunc(f.Value("languages"), isListSeparator),
			Registrations: f.Value("registrations"), AssociationCreation: f.Value("association_creation"),
			Rules: rules, PrivacyPolicy: f.Value("privacy_policy")}
		_, err := s.instance.Update(r.Context(), by, in)
		if err == nil {
			redirect(w, r, "/admin/settings?saved=1")
			return
		}
		if core.KindOf(err) == core.KindForbidden || !f.takeAs(err, rename) {
			s.fail(w, r, err)
			return
		}
	}
	set, err := s.instance.Get(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, f.Status(), "admin_settings", &adminSettingsPage{Form: f, Rules: ruleRows(f, rows), Defaults: !set.Saved()})
}

func isListSeparator(r rune) bool {
	return r == ',' || r == ' ' || r == ';' || r == '\n' || r == '\r' || r == '\t'
}
