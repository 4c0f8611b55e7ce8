package pages

import (
	"strings"
	"time"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
)

// formatMoney writes minor units of currency as a person of lang reads
// them: "1,500.00 EUR" in English, "1 500,00 EUR" in French (a narrow
// no-break space groups the thousands).
func formatMoney(lang string, minor int64, currency string) string {
	s := money.Format(minor, currency)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "−", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	group, point := ",", "."
	if lang == "fr" {
		group, point = "\u202f", ","
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	out := sign + b.String()
	if hasFrac {
		out += point + frac
	}
	if currency != "" {
		out += "\u00a0" + currency
	}
	return out
}

// decimalInput reads an amount typed the French way ("12,50") as the
// decimal core expects ("12.50"); anything else is left for core to judge.
func decimalInput(s string) string {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		return strings.Replace(s, ",", ".", 1)
	}
	return s
}

// duration writes d in the largest whole unit: days, hours or minutes.
func (s speaker) duration(d time.Duration) (string, error) {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return s.tn("duration.days", int(d/(24*time.Hour)))
	case d >= time.Hour && d%time.Hour == 0:
		return s.tn("duration.hours", int(d/time.Hour))
	}
	return s.tn("duration.minutes", int((d+time.Minute-1)/time.Minute))
}

// labelSets translate the words core stores (statuses, kinds, categories)
// through the keys "<set>.<word>"; a word the catalogue lacks is shown as
// it is (one added by a newer version).
var labelSets = map[string]map[string]string{
	"project_status": labelKeys("project_status", projects.ProjectProposed, projects.ProjectEvaluating,
		projects.ProjectAccepted, projects.ProjectRejected, projects.ProjectActive, projects.ProjectCompleted, projects.ProjectArchived),
	"task_status":        labelKeys("task_status", projects.TaskStatuses...),
	"category":           labelKeys("category", projects.Categories...),
	"architecture":       labelKeys("architecture", projects.Centralised, projects.Decentralised, projects.Distributed),
	"kind":               labelKeys("kind", ledger.Kinds...),
	"reservation_status": labelKeys("reservation_status", store.ReservationActive, store.ReservationReleased, store.ReservationLapsed, store.ReservationCompleted),
	"submission_status":  labelKeys("submission_status", projects.SubmissionPending, projects.SubmissionAccepted, projects.SubmissionRejected),
	"outcome":            labelKeys("outcome", projects.OutcomePayout, projects.OutcomeVolunteer, projects.OutcomeRejected),
	"funds":              labelKeys("funds", "goal", "donated", "allocated", "spent"),
	"task_done": labelKeys("task_done", "added", "reserved", "released", "opened", "cancelled", "submitted", "reviewed",
		"allocated", "paid"),
	"month": labelKeys("month", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"),

	// the agenda
	"event_status":    labelKeys("event_status", agenda.StatusConfirmed, agenda.StatusTentative, agenda.StatusCancelled),
	"event_state":     labelKeys("event_state", agenda.StatePending, agenda.StateParticipant, agenda.StateWaitlisted, agenda.StateRejected),
	"join_mode_event": labelKeys("join_mode_event", agenda.JoinFree, agenda.JoinApproval),
	"event_category":  labelKeys("event_category", agenda.Categories...),
}

func labelKeys(set string, words ...string) map[string]string {
	m := make(map[string]string, len(words))
	for _, w := range words {
		m[w] = set + "." + w
	}
	return m
}
