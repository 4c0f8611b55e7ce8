package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// LedgerAccount is one account of an association's ledger with its running
// balance; a task's account also carries the task's money state.
type LedgerAccount struct {
	bun.BaseModel `bun:"table:ledger_accounts"`

	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	AssociationID uuid.UUID  `bun:"association_id,type:uuid"`
	Key           string     `bun:"key"`
	Kind          string     `bun:"kind"`
	ProjectID     *uuid.UUID `bun:"project_id,type:uuid"`
	TaskID        *uuid.UUID `bun:"task_id,type:uuid"`
	Balance       int64      `bun:"balance"`
	Budget        int64      `bun:"budget"`
	Open          bool       `bun:"open"`
	Locked        bool       `bun:"locked"`
	CreatedAt     time.Time  `bun:"created_at"`
}

// LedgerTransaction is one balanced transaction; Amount is the total that
// moved (the sum of its positive postings).
type LedgerTransaction struct {
	bun.BaseModel `bun:"table:ledger_transactions"`

	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	AssociationID uuid.UUID `bun:"association_id,type:uuid"`
	Kind          string    `bun:"kind"`
	Cause         string    `bun:"cause"`
	CreatedBy     string    `bun:"created_by"`
	Donor         string    `bun:"donor"`
	PublicName    bool      `bun:"public_name"`
	Memo          string    `bun:"memo"`
	Amount        int64     `bun:"amount"`
	CreatedAt     time.Time `bun:"created_at"`
}

// LedgerPosting is one line of a transaction: money into (positive) or out
// of (negative) one account.
type LedgerPosting struct {
	bun.BaseModel `bun:"table:ledger_postings,alias:posting"`

	TransactionID uuid.UUID `bun:"transaction_id,pk,type:uuid"`
	AccountID     uuid.UUID `bun:"account_id,pk,type:uuid"`
	Amount        int64     `bun:"amount"`
}

// LedgerPostingRow is a posting with its account's key, as lists show it.
type LedgerPostingRow struct {
	LedgerPosting `bun:",extend"`

	Key string `bun:"key"`
}

// LedgerLot is the part of one donation that sits in one internal account.
type LedgerLot struct {
	bun.BaseModel `bun:"table:ledger_lots"`

	ID         uuid.UUID `bun:"id,pk,type:uuid"`
	AccountID  uuid.UUID `bun:"account_id,type:uuid"`
	DonationID uuid.UUID `bun:"donation_id,type:uuid"`
	Amount     int64     `bun:"amount"`
}

// LedgerMove records that a part of a donation moved between two accounts.
type LedgerMove struct {
	bun.BaseModel `bun:"table:ledger_moves,alias:move"`

	ID            uuid.UUID `bun:"id,pk,type:uuid"`
	TransactionID uuid.UUID `bun:"transaction_id,type:uuid"`
	DonationID    uuid.UUID `bun:"donation_id,type:uuid"`
	FromAccount   uuid.UUID `bun:"from_account,type:uuid"`
	ToAccount     uuid.UUID `bun:"to_account,type:uuid"`
	Amount        int64     `bun:"amount"`
}

// LedgerMoveRow is a move with what a trace shows of it.
type LedgerMoveRow struct {
	LedgerMove `bun:",extend"`

	Kind      string    `bun:"kind"`
	CreatedAt time.Time `bun:"created_at"`
	FromKey   string    `bun:"from_key"`
	ToKey     string    `bun:"to_key"`
	Payee     string    `bun:"payee"`
}

// LedgerFundingRow is how much of one donation reached an account, and how
// much of it is still there.
type LedgerFundingRow struct {
	DonationID uuid.UUID `bun:"donation_id,type:uuid"`
	In         int64     `bun:"amount_in"`
	Remaining  int64     `bun:"remaining"`
	Donor      string    `bun:"donor"`
	PublicName bool      `bun:"public_name"`
	CreatedAt  time.Time `bun:"created_at"`
}

// LedgerPayout is money owed to a payee until marked paid.
type LedgerPayout struct {
	bun.BaseModel `bun:"table:ledger_payouts"`

	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	AssociationID uuid.UUID  `bun:"association_id,type:uuid"`
	TaskID        uuid.UUID  `bun:"task_id,type:uuid"`
	Payee         string     `bun:"payee"`
	Amount        int64      `bun:"amount"`
	PaidAt        *time.Time `bun:"paid_at"`
	PaidBy        string     `bun:"paid_by"`
	BankReference string     `bun:"bank_reference"`
}

// LedgerRight is a volunteer's right to reallocate a task's balance.
type LedgerRight struct {
	bun.BaseModel `bun:"table:ledger_rights"`

	ID        uuid.UUID `bun:"id,pk,type:uuid"`
	TaskID    uuid.UUID `bun:"task_id,type:uuid"`
	Holder    string    `bun:"holder"`
	Amount    int64     `bun:"amount"`
	Used      int64     `bun:"used"`
	Cause     string    `bun:"cause"`
	CreatedAt time.Time `bun:"created_at"`
}

// Ledger reads and writes the ledger's tables. It records; core/ledger
// decides (balances, lots, invariants).
type Ledger struct{ tx Tx }

// Ledger returns the ledger repository.
func (t Tx) Ledger() Ledger { return Ledger{t} }

// EnsureAccount inserts a unless an account with its association and key
// exists (concurrent callers both succeed), then returns the stored row.
func (r Ledger) EnsureAccount(ctx context.Context, a *LedgerAccount) (LedgerAccount, error) {
	_, err := r.tx.idb.NewInsert().Model(a).On("CONFLICT (association_id, key) DO NOTHING").Exec(ctx)
	if err != nil {
		return LedgerAccount{}, wrapWrite(err, "create ledger account "+a.Key)
	}
	return r.AccountByKey(ctx, a.AssociationID, a.Key)
}

// AccountByKey returns the account key ("general", "task:…") of association.
func (r Ledger) AccountByKey(ctx context.Context, association uuid.UUID, key string) (LedgerAccount, error) {
	var a LedgerAccount
	err := r.tx.idb.NewSelect().Model(&a).Where("association_id = ?", association).Where("key = ?", key).Scan(ctx)
	if err != nil {
		return LedgerAccount{}, notFound(err, "ledger account "+key)
	}
	return a, nil
}

// AccountOfTask returns task's account and, when forUpdate, locks its row
// on PostgreSQL until the transaction ends.
func (r Ledger) AccountOfTask(ctx context.Context, task uuid.UUID, forUpdate bool) (LedgerAccount, error) {
	var a LedgerAccount
	q := r.tx.idb.NewSelect().Model(&a).Where("task_id = ?", task)
	if forUpdate && r.tx.driver == Postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return LedgerAccount{}, notFound(err, "ledger account of task "+task.String())
	}
	return a, nil
}

// AccountsForUpdate returns the accounts ids in id order and, on PostgreSQL,
// locks their rows until the transaction ends. Locking in one order keeps
// concurrent transactions from deadlocking.
func (r Ledger) AccountsForUpdate(ctx context.Context, ids []uuid.UUID) ([]LedgerAccount, error) {
	var list []LedgerAccount
	q := r.tx.idb.NewSelect().Model(&list).Where("id IN (?)", bun.In(ids)).OrderExpr("id ASC")
	if r.tx.driver == Postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "lock ledger accounts")
	}
	return list, nil
}

// Accounts returns every account of association, by key.
func (r Ledger) Accounts(ctx context.Context, association uuid.UUID) ([]LedgerAccount, error) {
	var list []LedgerAccount
	if err := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association).OrderExpr("key ASC").Scan(ctx); err != nil {
		return nil, notFound(err, "list ledger accounts")
	}
	return list, nil
}

// UpdateAccount writes a's balance and task state.
func (r Ledger) UpdateAccount(ctx context.Context, a *LedgerAccount) error {
	res, err := r.tx.idb.NewUpdate().Model(a).Column("balance", "budget", "open", "locked").WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update ledger account "+a.Key)
	}
	return expectOne(res, "update ledger account "+a.Key)
}

// AddTransaction inserts t with its postings.
func (r Ledger) AddTransaction(ctx context.Context, t *LedgerTransaction, postings []LedgerPosting) error {
	if _, err := r.tx.idb.NewInsert().Model(t).Exec(ctx); err != nil {
		return wrapWrite(err, "add ledger transaction")
	}
	if _, err := r.tx.idb.NewInsert().Model(&postings).Exec(ctx); err != nil {
		return wrapWrite(err, "add ledger postings")
	}
	return nil
}

// Transaction returns the transaction id.
func (r Ledger) Transaction(ctx context.Context, id uuid.UUID) (LedgerTransaction, error) {
	var t LedgerTransaction
	if err := r.tx.idb.NewSelect().Model(&t).Where("id = ?", id).Scan(ctx); err != nil {
		return LedgerTransaction{}, notFound(err, "ledger transaction "+id.String())
	}
	return t, nil
}

// Transactions returns up to limit transactions of association, newest
// first, before the cursor id (uuid.Nil for the first page).
func (r Ledger) Transactions(ctx context.Context, association uuid.UUID, before uuid.UUID, limit int) ([]LedgerTransaction, error) {
	var list []LedgerTransaction
	q := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association).OrderExpr("id DESC").Limit(int64(limit))
	if before != uuid.Nil {
		q = q.Where("id < ?", before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list ledger transactions")
	}
	return list, nil
}

// Postings returns the postings of the transactions ids with their
// accounts' keys.
func (r Ledger) Postings(ctx context.Context, ids []uuid.UUID) ([]LedgerPostingRow, error) {
	var list []LedgerPostingRow
	if len(ids) == 0 {
		return nil, nil
	}
	err := r.tx.idb.NewSelect().Model(&list).
		ColumnExpr("posting.*, a.key").
		Join("JOIN ledger_accounts AS a ON a.id = posting.account_id").
		Where("posting.transaction_id IN (?)", bun.In(ids)).
		OrderExpr("posting.transaction_id, posting.amount ASC").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list ledger postings")
	}
	return list, nil
}

// Lots returns up to limit lots of account in order of arrival, after the
// cursor id; only the lots of donation when it is not uuid.Nil.
func (r Ledger) Lots(ctx context.Context, account, donation, after uuid.UUID, limit int) ([]LedgerLot, error) {
	var list []LedgerLot
	q := r.tx.idb.NewSelect().Model(&list).Where("account_id = ?", account).OrderExpr("id ASC").Limit(int64(limit))
	if donation != uuid.Nil {
		q = q.Where("donation_id = ?", donation)
	}
	if after != uuid.Nil {
		q = q.Where("id > ?", after)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list ledger lots")
	}
	return list, nil
}

// LotsOfDonation returns where the money of donation sits now.
func (r Ledger) LotsOfDonation(ctx context.Context, donation uuid.UUID) ([]LedgerLot, error) {
	var list []LedgerLot
	if err := r.tx.idb.NewSelect().Model(&list).Where("donation_id = ?", donation).OrderExpr("id ASC").Scan(ctx); err != nil {
		return nil, notFound(err, "list lots of donation")
	}
	return list, nil
}

// LotSums returns the sum of the lots of each account of association.
func (r Ledger) LotSums(ctx context.Context, association uuid.UUID) (map[uuid.UUID]int64, error) {
	var rows []struct {
		AccountID uuid.UUID `bun:"account_id,type:uuid"`
		Sum       int64     `bun:"total"`
	}
	err := r.tx.idb.NewSelect().TableExpr("ledger_lots AS l").
		ColumnExpr("l.account_id, SUM(l.amount) AS total").
		Join("JOIN ledger_accounts AS a ON a.id = l.account_id").
		Where("a.association_id = ?", association).
		GroupExpr("l.account_id").Scan(ctx, &rows)
	if err != nil {
		return nil, notFound(err, "sum ledger lots")
	}
	out := make(map[uuid.UUID]int64, len(rows))
	for _, r := range rows {
		out[r.AccountID] = r.Sum
	}
	return out, nil
}

// AddLots inserts lots.
func (r Ledger) AddLots(ctx context.Context, lots []LedgerLot) error {
	if len(lots) == 0 {
		return nil
	}
	_, err := r.tx.idb.NewInsert().Model(&lots).Exec(ctx)
	return wrapWrite(err, "add ledger lots")
}

// SetLotAmount writes what is left of lot id.
func (r Ledger) SetLotAmount(ctx context.Context, id uuid.UUID, amount int64) error {
	_, err := r.tx.idb.NewUpdate().Model((*LedgerLot)(nil)).Set("amount = ?", amount).Where("id = ?", id).Exec(ctx)
	return wrapWrite(err, "update ledger lot")
}

// DeleteLots removes spent lots.
func (r Ledger) DeleteLots(ctx context.Context, ids []uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := r.tx.idb.NewDelete().Model((*LedgerLot)(nil)).Where("id IN (?)", bun.In(ids)).Exec(ctx)
	return wrapWrite(err, "delete ledger lots")
}

// AddMoves inserts moves.
func (r Ledger) AddMoves(ctx context.Context, moves []LedgerMove) error {
	if len(moves) == 0 {
		return nil
	}
	_, err := r.tx.idb.NewInsert().Model(&moves).Exec(ctx)
	return wrapWrite(err, "add ledger moves")
}

// MovesOfDonation returns every move of a part of donation, in order.
func (r Ledger) MovesOfDonation(ctx context.Context, donation uuid.UUID) ([]LedgerMoveRow, error) {
	var list []LedgerMoveRow
	err := r.tx.idb.NewSelect().Model(&list).
		ColumnExpr("move.*, t.kind, t.created_at, f.key AS from_key, d.key AS to_key, COALESCE(p.payee, '') AS payee").
		Join("JOIN ledger_transactions AS t ON t.id = move.transaction_id").
		Join("JOIN ledger_accounts AS f ON f.id = move.from_account").
		Join("JOIN ledger_accounts AS d ON d.id = move.to_account").
		Join("LEFT JOIN ledger_payouts AS p ON p.id = move.transaction_id").
		Where("move.donation_id = ?", donation).
		OrderExpr("move.id ASC").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list moves of donation")
	}
	return list, nil
}

// FundingOf returns, for each donation that reached account, how much came
// in and how much is still there, oldest donation first.
func (r Ledger) FundingOf(ctx context.Context, account uuid.UUID) ([]LedgerFundingRow, error) {
	var list []LedgerFundingRow
	err := r.tx.idb.NewSelect().TableExpr("ledger_moves AS m").
		ColumnExpr("m.donation_id, SUM(m.amount) AS amount_in, t.donor, t.public_name, t.created_at").
		ColumnExpr("COALESCE((SELECT SUM(l.amount) FROM ledger_lots AS l WHERE l.account_id = m.to_account AND l.donation_id = m.donation_id), 0) AS remaining").
		Join("JOIN ledger_transactions AS t ON t.id = m.donation_id").
		Where("m.to_account = ?", account).
		GroupExpr("m.donation_id, m.to_account, t.donor, t.public_name, t.created_at").
		OrderExpr("m.donation_id ASC").Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "funding of account")
	}
	return list, nil
}

// AddPayout inserts p.
func (r Ledger) AddPayout(ctx context.Context, p *LedgerPayout) error {
	_, err := r.tx.idb.NewInsert().Model(p).Exec(ctx)
	return wrapWrite(err, "add payout")
}

// PayoutForUpdate returns payout id and, on PostgreSQL, locks its row.
func (r Ledger) PayoutForUpdate(ctx context.Context, id uuid.UUID) (LedgerPayout, error) {
	var p LedgerPayout
	q := r.tx.idb.NewSelect().Model(&p).Where("id = ?", id)
	if r.tx.driver == Postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return LedgerPayout{}, notFound(err, "payout "+id.String())
	}
	return p, nil
}

// UpdatePayout writes p's payment columns.
func (r Ledger) UpdatePayout(ctx context.Context, p *LedgerPayout) error {
	res, err := r.tx.idb.NewUpdate().Model(p).Column("paid_at", "paid_by", "bank_reference").WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update payout")
	}
	return expectOne(res, "update payout")
}

// AddRight inserts r; ErrDuplicate if the task already has a right.
func (r Ledger) AddRight(ctx context.Context, right *LedgerRight) error {
	_, err := r.tx.idb.NewInsert().Model(right).Exec(ctx)
	return wrapWrite(err, "add reallocation right")
}

// RightOfTaskForUpdate returns the reallocation right on task and, on
// PostgreSQL, locks its row.
func (r Ledger) RightOfTaskForUpdate(ctx context.Context, task uuid.UUID) (LedgerRight, error) {
	var right LedgerRight
	q := r.tx.idb.NewSelect().Model(&right).Where("task_id = ?", task)
	if r.tx.driver == Postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return LedgerRight{}, notFound(err, "reallocation right on task "+task.String())
	}
	return right, nil
}

// UseRight adds amount to the used part of right id, unless that would pass
// its amount: the database keeps each minor unit used once.
func (r Ledger) UseRight(ctx context.Context, id uuid.UUID, amount int64) error {
	res, err := r.tx.idb.NewUpdate().Model((*LedgerRight)(nil)).
		Set("used = used + ?", amount).Where("id = ?", id).Where("used + ? <= amount", amount).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "use reallocation right")
	}
	return expectOne(res, "use reallocation right")
}

// RightsOf returns holder's reallocation rights, newest first.
func (r Ledger) RightsOf(ctx context.Context, holder string) ([]LedgerRight, error) {
	var list []LedgerRight
	if err := r.tx.idb.NewSelect().Model(&list).Where("holder = ?", holder).OrderExpr("id DESC").Scan(ctx); err != nil {
		return nil, notFound(err, "list reallocation rights")
	}
	return list, nil
}

// AssociationName returns the name of association id, whose ledger a trace
// reads.
func (r Ledger) AssociationName(ctx context.Context, id uuid.UUID) (string, error) {
	var name string
	err := r.tx.idb.NewSelect().TableExpr("associations").Column("name").Where("id = ?", id).Scan(ctx, &name)
	if err != nil {
		return "", notFound(err, "association "+id.String())
	}
	return name, nil
}

// Payout returns payout id (its id is its transaction's).
func (r Ledger) Payout(ctx context.Context, id uuid.UUID) (LedgerPayout, error) {
	var p LedgerPayout
	if err := r.tx.idb.NewSelect().Model(&p).Where("id = ?", id).Scan(ctx); err != nil {
		return LedgerPayout{}, notFound(err, "payout "+id.String())
	}
	return p, nil
}

// CountTransactions counts association's transactions.
func (r Ledger) CountTransactions(ctx context.Context, association uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*LedgerTransaction)(nil)).Where("association_id = ?", association).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count ledger transactions")
	}
	return int(n), nil
}

// PayoutsOfTask returns the payouts of task, oldest first (one, unless a
// task was paid out twice, which core/projects never does).
func (r Ledger) PayoutsOfTask(ctx context.Context, task uuid.UUID) ([]LedgerPayout, error) {
	var list []LedgerPayout
	if err := r.tx.idb.NewSelect().Model(&list).Where("task_id = ?", task).OrderExpr("id ASC").Scan(ctx); err != nil {
		return nil, notFound(err, "payouts of task "+task.String())
	}
	return list, nil
}

// LedgerFlowRow is the money that moved into (In) and out of (Out) the
// accounts of one kind, by transactions of one kind.
type LedgerFlowRow struct {
	Kind        string `bun:"kind"`
	AccountKind string `bun:"account_kind"`
	In          int64  `bun:"amount_in"`
	Out         int64  `bun:"amount_out"`
}

// FlowsOfProject sums the postings of project's accounts (its own and its
// tasks'), by kind of transaction and kind of account.
func (r Ledger) FlowsOfProject(ctx context.Context, project uuid.UUID) ([]LedgerFlowRow, error) {
	var list []LedgerFlowRow
	err := r.tx.idb.NewSelect().TableExpr("ledger_postings AS p").
		ColumnExpr("t.kind, a.kind AS account_kind").
		ColumnExpr("COALESCE(SUM(CASE WHEN p.amount > 0 THEN p.amount ELSE 0 END), 0) AS amount_in").
		ColumnExpr("COALESCE(SUM(CASE WHEN p.amount < 0 THEN -p.amount ELSE 0 END), 0) AS amount_out").
		Join("JOIN ledger_accounts AS a ON a.id = p.account_id").
		Join("JOIN ledger_transactions AS t ON t.id = p.transaction_id").
		Where("a.project_id = ?", project).
		GroupExpr("t.kind, a.kind").Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "money flows of project")
	}
	return list, nil
}

// BalanceOfProject sums the balances of project's accounts (its own and
// its tasks').
func (r Ledger) BalanceOfProject(ctx context.Context, project uuid.UUID) (int64, error) {
	var sum int64
	err := r.tx.idb.NewSelect().TableExpr("ledger_accounts").ColumnExpr("COALESCE(SUM(balance), 0)").
		Where("project_id = ?", project).Scan(ctx, &sum)
	if err != nil {
		return 0, notFound(err, "balance of project")
	}
	return sum, nil
}
