package membership

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/money"
)

// Join modes of an association.
const (
	JoinFree     = "free"
	JoinApproval = "approval"
)

// Visibility of an association's members and records.
const (
	VisibilityPublic  = "public"
	VisibilityMembers = "members"
)

// Settings are an association's own rules. Durations are Go durations
// ("168h") so that tests can run a whole cycle in seconds.
type Settings struct {
	Currency                 string        `json:"currency"`
	JoinMode                 string        `json:"join_mode"`
	FollowApproval           bool          `json:"follow_approval"`
	ProbationPeriod          time.Duration `json:"probation_period"`
	DebatePeriod             time.Duration `json:"debate_period"`
	ConsensusPeriod          time.Duration `json:"consensus_period"`
	ValueVotePeriod          time.Duration `json:"value_vote_period"`
	MaxReservationPeriod     time.Duration `json:"max_reservation_period"`
	BoardMayAllocateUpTo     int64         `json:"board_may_allocate_up_to"` // minor units; 0: every allocation is a proposal
	BoardMayEvaluateProjects bool          `json:"board_may_evaluate_projects"`
	Visibility               string        `json:"visibility"`
}

// DefaultSettings are the settings of a new association (DESIGN §4: a week
// of consensus, then a week of value vote).
func DefaultSettings() Settings {
	return Settings{
		Currency:             "EUR",
		JoinMode:             JoinFree,
		ProbationPeriod:      0,
		DebatePeriod:         72 * time.Hour,
		ConsensusPeriod:      7 * 24 * time.Hour,
		ValueVotePeriod:      7 * 24 * time.Hour,
		MaxReservationPeriod: 30 * 24 * time.Hour,
		Visibility:           VisibilityPublic,
	}
}

// MaxPeriod bounds every period setting.
const MaxPeriod = 366 * 24 * time.Hour

// SettingsChange holds settings as a form or a JSON body gives them: text
// for durations and amounts, nil for what stays as it is.
type SettingsChange struct {
	Currency                 *string
	JoinMode                 *string
	FollowApproval           *bool
	ProbationPeriod          *string
	DebatePeriod             *string
	ConsensusPeriod          *string
	ValueVotePeriod          *string
	MaxReservationPeriod     *string
	BoardMayAllocateUpTo     *string
	BoardMayEvaluateProjects *bool
	Visibility               *string
}

// apply returns s with ch applied, or every field error at once.
func (s Settings) apply(ch SettingsChange, fe *fieldErrors) Settings {
	if ch.Currency != nil {
		c, err := money.Currency(*ch.Currency)
		if err != nil {
			fe.add(&core.FieldError{Field: "currency", Code: "unknown-currency", Detail: "must be an ISO 4217 code such as EUR"})
		} else if c != s.Currency {
			// Amounts are minor units: keep their decimal value in the new
			// currency ("100.00" EUR becomes "100" JPY), unless this same
			// change states the amount anew.
			if ch.BoardMayAllocateUpTo == nil {
				v, ok := rescale(s.BoardMayAllocateUpTo, money.Scale(s.Currency), money.Scale(c))
				if !ok {
					fe.add(&core.FieldError{Field: "board_may_allocate_up_to", Code: "restate-amount",
						Detail: fmt.Sprintf("the amount cannot be written in %s: state it again with the new currency", c)})
				}
				s.BoardMayAllocateUpTo = v
			}
			s.Currency = c
		}
	}
	if ch.JoinMode != nil {
		if *ch.JoinMode != JoinFree && *ch.JoinMode != JoinApproval {
			fe.add(&core.FieldError{Field: "join_mode", Code: "invalid-choice", Detail: "must be free or approval"})
		} else {
			s.JoinMode = *ch.JoinMode
		}
	}
	if ch.Visibility != nil {
		if *ch.Visibility != VisibilityPublic && *ch.Visibility != VisibilityMembers {
			fe.add(&core.FieldError{Field: "visibility", Code: "invalid-choice", Detail: "must be public or members"})
		} else {
			s.Visibility = *ch.Visibility
		}
	}
	if ch.FollowApproval != nil {
		s.FollowApproval = *ch.FollowApproval
	}
	if ch.BoardMayEvaluateProjects != nil {
		s.BoardMayEvaluateProjects = *ch.BoardMayEvaluateProjects
	}
	periods := []struct {
		field string
		in    *string
		out   *time.Duration
		min   time.Duration
	}{
		{"probation_period", ch.ProbationPeriod, &s.ProbationPeriod, 0},
		{"debate_period", ch.DebatePeriod, &s.DebatePeriod, 0},
		{"consensus_period", ch.ConsensusPeriod, &s.ConsensusPeriod, time.Second},
		{"value_vote_period", ch.ValueVotePeriod, &s.ValueVotePeriod, time.Second},
		{"max_reservation_period", ch.MaxReservationPeriod, &s.MaxReservationPeriod, time.Second},
	}
	for _, p := range periods {
		if p.in == nil {
			continue
		}
		d, err := time.ParseDuration(*p.in)
		switch {
		case err != nil:
			fe.add(&core.FieldError{Field: p.field, Code: "invalid-duration", Detail: `must be a duration such as "168h" or "30m"`})
		case d < p.min || d > MaxPeriod:
			fe.add(&core.FieldError{Field: p.field, Code: "out-of-range", Detail: fmt.Sprintf("must be between %s and %s", p.min, MaxPeriod)})
		default:
			*p.out = d
		}
	}
	if ch.BoardMayAllocateUpTo != nil {
		// Parsed in the currency this same change sets, if it sets one.
		n, err := money.Parse(*ch.BoardMayAllocateUpTo, s.Currency)
		if err != nil {
			fe.add(&core.FieldError{Field: "board_may_allocate_up_to", Code: "invalid-amount", Detail: fmt.Sprintf("must be an amount in %s such as \"100.00\"", s.Currency)})
		} else {
			s.BoardMayAllocateUpTo = n
		}
	}
	return s
}

// settingsJSON is the stored shape: durations as Go duration strings, so
// that the stored document reads like the API.
type settingsJSON struct {
	Currency                 string `json:"currency"`
	JoinMode                 string `json:"join_mode"`
	FollowApproval           bool   `json:"follow_approval"`
	ProbationPeriod          string `json:"probation_period"`
	DebatePeriod             string `json:"debate_period"`
	ConsensusPeriod          string `json:"consensus_period"`
	ValueVotePeriod          string `json:"value_vote_period"`
	MaxReservationPeriod     string `json:"max_reservation_period"`
	BoardMayAllocateUpTo     int64  `json:"board_may_allocate_up_to"`
	BoardMayEvaluateProjects bool   `json:"board_may_evaluate_projects"`
	Visibility               string `json:"visibility"`
}

func (s Settings) encode() string {
	b, _ := json.Marshal(settingsJSON{
		Currency: s.Currency, JoinMode: s.JoinMode, FollowApproval: s.FollowApproval,
		ProbationPeriod: s.ProbationPeriod.String(), DebatePeriod: s.DebatePeriod.String(),
		ConsensusPeriod: s.ConsensusPeriod.String(), ValueVotePeriod: s.ValueVotePeriod.String(),
		MaxReservationPeriod: s.MaxReservationPeriod.String(), BoardMayAllocateUpTo: s.BoardMayAllocateUpTo,
		BoardMayEvaluateProjects: s.BoardMayEvaluateProjects, Visibility: s.Visibility,
	})
	return string(b)
}

// decodeSettings reads stored settings; keys missing from an older document
// keep their defaults.
func decodeSettings(doc string) (Settings, error) {
	d := DefaultSettings()
	j := settingsJSON{
		Currency: d.Currency, JoinMode: d.JoinMode, Visibility: d.Visibility,
		ProbationPeriod: d.ProbationPeriod.String(), DebatePeriod: d.DebatePeriod.String(),
		ConsensusPeriod: d.ConsensusPeriod.String(), ValueVotePeriod: d.ValueVotePeriod.String(),
		MaxReservationPeriod: d.MaxReservationPeriod.String(),
	}
	if err := json.Unmarshal([]byte(doc), &j); err != nil {
		return Settings{}, fmt.Errorf("decode association settings: %w", err)
	}
	s := Settings{Currency: j.Currency, JoinMode: j.JoinMode, FollowApproval: j.FollowApproval,
		BoardMayAllocateUpTo: j.BoardMayAllocateUpTo, BoardMayEvaluateProjects: j.BoardMayEvaluateProjects, Visibility: j.Visibility}
	for _, p := range []struct {
		in  string
		out *time.Duration
	}{
		{j.ProbationPeriod, &s.ProbationPeriod}, {j.DebatePeriod, &s.DebatePeriod},
		{j.ConsensusPeriod, &s.ConsensusPeriod}, {j.ValueVotePeriod, &s.ValueVotePeriod},
		{j.MaxReservationPeriod, &s.MaxReservationPeriod},
	} {
		v, err := time.ParseDuration(p.in)
		if err != nil {
			return Settings{}, fmt.Errorf("decode association settings: %w", err)
		}
		*p.out = v
	}
	return s, nil
}

// rescale converts minor units between currencies of different scales,
// keeping the decimal value; ok is false when that loses a fraction or
// overflows.
func rescale(minor int64, from, to int) (int64, bool) {
	for ; from < to; from++ {
		if minor > math.MaxInt64/10 {
			return 0, false
		}
		minor *= 10
	}
	for ; from > to; from-- {
		if minor%10 != 0 {
			return 0, false
		}
		minor /= 10
	}
	return minor, true
}

// Apply returns s with ch applied, or every field error of ch at once: the
// check a proposal to change a setting passes before it is put to the vote.
func (s Settings) Apply(ch SettingsChange) (Settings, error) {
	var fe fieldErrors
	out := s.apply(ch, &fe)
	return out, fe.err()
}
