package projects

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Policy is the instance's part of the rules.
type Policy struct {
	// BaseURL is the instance's public URL, the stem of local actors' ids.
	BaseURL string
}

// Ledger is what projects asks of core/ledger, inside the caller's
// transaction: a task's account follows the task's life.
type Ledger interface {
	OpenTaskAccount(ctx context.Context, tx store.Tx, association, project, task uuid.UUID, budget int64) error
	OpenProjectAccount(ctx context.Context, tx store.Tx, association, project uuid.UUID) error
	CloseTaskAccount(ctx context.Context, tx store.Tx, task uuid.UUID) error
	// LockTask refuses (task-not-funded) unless the balance covers the budget.
	LockTask(ctx context.Context, tx store.Tx, task uuid.UUID) error
	UnlockTask(ctx context.Context, tx store.Tx, task uuid.UUID) error
	Payout(ctx context.Context, tx store.Tx, task uuid.UUID, payee string, cause string) (ledger.Transaction, error)
	GrantReallocationRight(ctx context.Context, tx store.Tx, task uuid.UUID, holder string, cause string) error
	// ReallocateIn moves parts of a volunteer's task to other tasks, for
	// the holder of its reallocation right (an actor elsewhere), because
	// of cause (their offer).
	ReallocateIn(ctx context.Context, tx store.Tx, holder string, task uuid.UUID, parts []ledger.Part, cause string) (ledger.Transaction, error)
	// MarkPaid refuses (treasurer-only) anyone but the treasurer.
	MarkPaid(ctx context.Context, tx store.Tx, by membership.Account, payout uuid.UUID, bankReference string) (ledger.Payout, error)
}

// Service applies the rules of projects and tasks. It is safe for
// concurrent use.
type Service struct {
	db     *store.DB
	clock  core.Clock
	policy Policy
	ledger Ledger
	// publisher publishes to the associations' followers (UsePublisher);
	// messenger sends to one actor elsewhere (UseMessenger).
	publisher Publisher
	messenger Messenger
}

// New returns a Service writing to db, keeping the money of tasks in
// ledger.
func New(db *store.DB, clock core.Clock, policy Policy, ledger Ledger) *Service {
	if policy.BaseURL == "" {
		policy.BaseURL = "http://127.0.0.1:8080"
	}
	return &Service{db: db, clock: clock, policy: policy, ledger: ledger}
}

// submissionURI is the id of a submission on the wire (DESIGN §3), the
// cause of the ledger's payout or reallocation right: its id here, or on
// the instance that hosts it.
func (s *Service) submissionURI(sub store.Submission) string {
	if sub.URI != "" {
		return sub.URI
	}
	return s.policy.BaseURL + "/submissions/" + sub.ID.String()
}

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// actorOf returns the id on the wire of by's own actor.
func actorOf(ctx context.Context, tx store.Tx, by membership.Account) (string, error) {
	if by.Status != membership.AccountActive {
		return "", ErrNoActor
	}
	a, err := tx.Actors().OfAccount(ctx, by.ID)
	if errors.Is(err, store.ErrNotFound) {
		return "", ErrNoActor
	}
	if err != nil {
		return "", err
	}
	return a.URI, nil
}

// memberOf returns by's active membership of association, or ErrNotMember.
func memberOf(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account) (membership.Member, error) {
	row, err := tx.Associations().Membership(ctx, association, by.ID)
	if errors.Is(err, store.ErrNotFound) {
		return membership.Member{}, ErrNotMember
	}
	if err != nil {
		return membership.Member{}, err
	}
	m := membership.MemberFromRow(row)
	if m.Status != membership.MemberActive {
		return membership.Member{}, ErrNotMember
	}
	return m, nil
}

// isBoard reports whether by sits on association's board.
func isBoard(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account) (bool, error) {
	m, err := memberOf(ctx, tx, association, by)
	if errors.Is(err, ErrNotMember) {
		return false, nil
	}
	return err == nil && m.IsBoard(), err
}

func associationByID(ctx context.Context, tx store.Tx, id uuid.UUID) (membership.Association, error) {
	row, err := tx.Associations().ByID(ctx, id)
	if err != nil {
		return membership.Association{}, err
	}
	return membership.AssociationFromRow(row)
}

func associationByName(ctx context.Context, tx store.Tx, name string) (membership.Association, error) {
	n, fe := membership.NormalizeName("name", name)
	if fe != nil {
		return membership.Association{}, ErrNoSuchAssociation
	}
	row, err := tx.Associations().ByName(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return membership.Association{}, ErrNoSuchAssociation
	}
	if err != nil {
		return membership.Association{}, err
	}
	return membership.AssociationFromRow(row)
}

// fieldErrors collects field errors so that a request is answered with
// every problem at once.
type fieldErrors []core.FieldError

func (f *fieldErrors) add(field, code, detail string) {
	*f = append(*f, core.FieldError{Field: field, Code: code, Detail: detail})
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return core.Invalid(f...)
}

// text trims s and checks it is valid UTF-8 of at most max characters (at
// least one when required).
func (f *fieldErrors) text(field, s string, max int, required bool) string {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s):
		f.add(field, "bad-encoding", "must be valid UTF-8 text")
	case required && s == "":
		f.add(field, "required", "this field is required")
	case utf8.RuneCountInString(s) > max:
		f.add(field, "too-long", "at most "+itoa(max)+" characters")
	default:
		return s
	}
	return ""
}

// list checks a list of texts: at most maxCount items (at least minCount),
// each 1 to maxLen characters once trimmed.
func (f *fieldErrors) list(field string, in []string, minCount, maxCount, maxLen int) []string {
	if len(in) < minCount {
		f.add(field, "too-few", "at least "+itoa(minCount)+" items")
		return nil
	}
	if len(in) > maxCount {
		f.add(field, "too-many", "at most "+itoa(maxCount)+" items")
		return nil
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		n := len(*f)
		v := f.text(field, s, maxLen, true)
		if len(*f) > n {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// uris checks a list of actor or link ids: absolute http(s) URLs.
func (f *fieldErrors) uris(field string, in []string, minCount, maxCount int) []string {
	if len(in) < minCount {
		f.add(field, "too-few", "at least "+itoa(minCount)+" items")
		return nil
	}
	if len(in) > maxCount {
		f.add(field, "too-many", "at most "+itoa(maxCount)+" items")
		return nil
	}
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if !core.IsHTTPURL(s) {
			f.add(field, "not-a-url", "each item must be an http or https address")
			return nil
		}
		if u, _ := url.Parse(s); u.User != nil {
			f.add(field, "not-a-url", "addresses may not carry credentials")
			return nil
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func encodeList(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

func decodeList(s string) []string {
	var l []string
	_ = json.Unmarshal([]byte(s), &l)
	if l == nil {
		l = []string{}
	}
	return l
}
