package api

import (
	"net/http"

	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/web/auth"
)

// instanceSettingsJSON is the instance's settings as admins read and change them.
type instanceSettingsJSON struct {
	Name                string          `json:"name"`
	ShortDescription    string          `json:"short_description"`
	ExtendedDescription string          `json:"extended_description"`
	ContactEmail        string          `json:"contact_email"`
	ContactAccount      string          `json:"contact_account"`
	Languages           []string        `json:"languages"`
	Registrations       string          `json:"registrations"`
	AssociationCreation string          `json:"association_creation"`
	Rules               []instance.Rule `json:"rules"`
	PrivacyPolicy       string          `json:"privacy_policy"`
	// UpdatedAt is null while the configuration's defaults apply.
	UpdatedAt *string `json:"updated_at"`
}

// instanceSettingsPatch changes the fields it carries; rules, when given, replace
// the list (a rule with an id keeps it, one without gets one).
type instanceSettingsPatch struct {
	Name                *string          `json:"name"`
	ShortDescription    *string          `json:"short_description"`
	ExtendedDescription *string          `json:"extended_description"`
	ContactEmail        *string          `json:"contact_email"`
	ContactAccount      *string          `json:"contact_account"`
	Languages           *[]string        `json:"languages"`
	Registrations       *string          `json:"registrations"`
	AssociationCreation *string          `json:"association_creation"`
	Rules               *[]instance.Rule `json:"rules"`
	PrivacyPolicy       *string          `json:"privacy_policy"`
}

func renderSettings(s instance.Settings) instanceSettingsJSON {
	out := instanceSettingsJSON{Name: s.Name, ShortDescription: s.ShortDescription, ExtendedDescription: s.ExtendedDescription,
		ContactEmail: s.ContactEmail, ContactAccount: s.ContactAccount, Languages: s.Languages, Registrations: s.Registrations,
		AssociationCreation: s.AssociationCreation, Rules: s.Rules, PrivacyPolicy: s.PrivacyPolicy}
	if s.Saved() {
		at := timestamp(s.UpdatedAt)
		out.UpdatedAt = &at
	}
	return out
}

// settingsAdmin returns the caller's authority over the settings.
func settingsAdmin(r *http.Request) (instance.Admin, error) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		return instance.Admin{}, err
	}
	return instance.AdminOf(acc)
}

func (h *handlers) getSettings(w http.ResponseWriter, r *http.Request) {
	if _, err := settingsAdmin(r); err != nil {
		fail(w, r, err)
		return
	}
	s, err := h.instance.Get(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderSettings(s))
}

func (h *handlers) updateSettings(w http.ResponseWriter, r *http.Request) {
	by, err := settingsAdmin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	var p instanceSettingsPatch
	if err := decode(r, &p); err != nil {
		fail(w, r, err)
		return
	}
	s, err := h.instance.Get(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&s.Name, p.Name)
	set(&s.ShortDescription, p.ShortDescription)
	set(&s.ExtendedDescription, p.ExtendedDescription)
	set(&s.ContactEmail, p.ContactEmail)
	set(&s.ContactAccount, p.ContactAccount)
	set(&s.Registrations, p.Registrations)
	set(&s.AssociationCreation, p.AssociationCreation)
	set(&s.PrivacyPolicy, p.PrivacyPolicy)
	if p.Languages != nil {
		s.Languages = *p.Languages
	}
	if p.Rules != nil {
		s.Rules = *p.Rules
	}
	if s, err = h.instance.Update(r.Context(), by, s); err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderSettings(s))
}

// dashboardJSON is what the admin dashboard counts.
type dashboardJSON struct {
	Accounts struct {
		Active    int `json:"active"`
		Pending   int `json:"pending"`
		Suspended int `json:"suspended"`
	} `json:"accounts"`
	Associations int `json:"associations"`
	LocalNotes   int `json:"local_notes"`
	RemoteActors int `json:"remote_actors"`
	Instances    int `json:"instances"`
	OpenReports  int `json:"open_reports"`
	Federation   struct {
		QueueDepth     int               `json:"queue_depth"`
		Retrying       int               `json:"retrying"`
		DeadLetters    int               `json:"dead_letters"`
		FailedInbox    int               `json:"failed_inbox"`
		FailingHosts   []failingHostJSON `json:"failing_hosts"`
		KnownInstances []knownHostJSON   `json:"known_instances"`
	} `json:"federation"`
}

type failingHostJSON struct {
	Host                string  `json:"host"`
	ConsecutiveFailures int     `json:"consecutive_failures"`
	CircuitOpenUntil    *string `json:"circuit_open_until"`
	LastFailureAt       string  `json:"last_failure_at"`
}

type knownHostJSON struct {
	Host            string  `json:"host"`
	Actors          int     `json:"actors"`
	LastDeliveredAt *string `json:"last_delivered_at"`
}

func (h *handlers) getDashboard(w http.ResponseWriter, r *http.Request) {
	by, err := settingsAdmin(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	d, err := h.instance.Dashboard(r.Context(), by)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderDashboard(d))
}

func renderDashboard(d instance.Dashboard) dashboardJSON {
	var out dashboardJSON
	out.Accounts.Active = d.AccountsByStatus["active"]
	out.Accounts.Pending = d.AccountsByStatus["pending"]
	out.Accounts.Suspended = d.AccountsByStatus["suspended"]
	out.Associations, out.LocalNotes, out.RemoteActors, out.Instances, out.OpenReports =
		d.Associations, d.LocalNotes, d.RemoteActors, d.RemoteHosts, d.OpenReports
	f := &out.Federation
	f.QueueDepth, f.Retrying, f.DeadLetters, f.FailedInbox = d.QueueDepth, d.Retrying, d.DeadLetters, d.InboxFailed
	f.FailingHosts = make([]failingHostJSON, 0, len(d.FailingHosts))
	for _, fh := range d.FailingHosts {
		row := failingHostJSON{Host: fh.Host, ConsecutiveFailures: fh.ConsecutiveFailures, LastFailureAt: timestamp(fh.LastFailureAt)}
		if fh.OpenUntil != nil {
			at := timestamp(*fh.OpenUntil)
			row.CircuitOpenUntil = &at
		}
		f.FailingHosts = append(f.FailingHosts, row)
	}
	f.KnownInstances = make([]knownHostJSON, 0, len(d.KnownHosts))
	for _, kh := range d.KnownHosts {
		f.KnownInstances = append(f.KnownInstances, knownHost(kh))
	}
	return out
}

func knownHost(kh store.KnownHost) knownHostJSON {
	row := knownHostJSON{Host: kh.Host, Actors: kh.Actors}
	if kh.LastDeliveredAt != nil {
		at := timestamp(*kh.LastDeliveredAt)
		row.LastDeliveredAt = &at
	}
	return row
}
