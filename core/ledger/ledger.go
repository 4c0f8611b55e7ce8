package ledger

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Transaction kinds (DESIGN §7, shared with the vocabulary and the UI).
const (
	KindDonation     = "donation"
	KindAllocation   = "allocation"
	KindReallocation = "reallocation"
	KindPayout       = "payout"
	KindRefund       = "refund"
	KindTransfer     = "transfer"
)

// Account kinds and the keys of the association-wide accounts.
const (
	AccountGeneral  = "general"
	AccountProject  = "project"
	AccountTask     = "task"
	AccountExternal = "external"

	KeyGeneral = "general"
	KeyDonors  = "external:donors"
	KeyPayees  = "external:payees"
)

// ProjectKey and TaskKey name the accounts of a project and of a task.
func ProjectKey(id uuid.UUID) string { return "project:" + id.String() }

// TaskKey names the account of task id.
func TaskKey(id uuid.UUID) string { return "task:" + id.String() }

// Bounds on free texts.
const (
	MaxCause     = core.MaxIDLength
	MaxDonorName = 200
	MaxMemo      = 500
)

// Transaction is one balanced transaction of the ledger.
type Transaction struct {
	ID            uuid.UUID
	AssociationID uuid.UUID
	Kind          string
	Cause         string
	CreatedBy     string // actor URI; "" for an anonymous donor
	// Donor is the donor's name as given (donations only); DonorPublic says
	// whether the public may see it. Members always may.
	Donor       string
	DonorPublic bool
	Memo        string
	Amount      int64
	CreatedAt   time.Time
	Postings    []Posting
}

// Posting is money into (positive) or out of (negative) one account.
type Posting struct {
	Account string // key: general, project:{id}, task:{id}, external:…
	Amount  int64
}

// Service keeps the ledgers of this instance's associations. It is safe for
// concurrent use.
type Service struct {
	db        *store.DB
	clock     core.Clock
	members   *membership.Service
	publisher Publisher
}

// New returns a Service writing to db.
func New(db *store.DB, clock core.Clock, members *membership.Service) *Service {
	return &Service{db: db, clock: clock, members: members}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// ensureAccount returns account key of association, creating it (empty)
// the first time.
func (s *Service) ensureAccount(ctx context.Context, tx store.Tx, association uuid.UUID, key string) (store.LedgerAccount, error) {
	kind, project := AccountGeneral, (*uuid.UUID)(nil)
	switch {
	case key == KeyGeneral:
	case key == KeyDonors || key == KeyPayees:
		kind = AccountExternal
	case strings.HasPrefix(key, "project:"):
		id, err := uuid.Parse(strings.TrimPrefix(key, "project:"))
		if err != nil {
			return store.LedgerAccount{}, ErrInvalidTarget
		}
		kind, project = AccountProject, &id
	default:
		return store.LedgerAccount{}, fmt.Errorf("ensure ledger account %q: not an association-wide account", key)
	}
	return tx.Ledger().EnsureAccount(ctx, &store.LedgerAccount{ID: newID(), AssociationID: association,
		Key: key, Kind: kind, ProjectID: project, Open: true, CreatedAt: s.now()})
}

// accountByKey returns the existing account key of association.
func accountByKey(ctx context.Context, tx store.Tx, association uuid.UUID, key string) (store.LedgerAccount, error) {
	a, err := tx.Ledger().AccountByKey(ctx, association, key)
	if errors.Is(err, store.ErrNotFound) {
		return store.LedgerAccount{}, ErrNoSuchAccount
	}
	return a, err
}

func taskAccount(ctx context.Context, tx store.Tx, task uuid.UUID, forUpdate bool) (store.LedgerAccount, error) {
	a, err := tx.Ledger().AccountOfTask(ctx, task, forUpdate)
	if errors.Is(err, store.ErrNotFound) {
		return store.LedgerAccount{}, ErrNoSuchTaskAccount
	}
	return a, err
}

func checkCause(cause string) (string, error) {
	cause = strings.TrimSpace(cause)
	if cause == "" || len(cause) > MaxCause {
		return "", ErrInvalidCause
	}
	return cause, nil
}
