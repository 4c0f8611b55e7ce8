package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// RemoteMembership is a local person's membership of an association on
// another instance, as this instance knows it: pending until the
// association answers the Join, then active or rejected; left when the
// person leaves.
type RemoteMembership struct {
	bun.BaseModel `bun:"table:remote_memberships"`

	ID           uuid.UUID `bun:"id,pk,type:uuid"`
	AccountID    uuid.UUID `bun:"account_id,type:uuid"`
	Actor        string    `bun:"actor"`
	Association  string    `bun:"association"`
	JoinActivity string    `bun:"join_activity"`
	Status       string    `bun:"status"`
	Reason       string    `bun:"reason"`
	CreatedAt    time.Time `bun:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at"`
}

// RemoteMembershipRow is a membership elsewhere with what this instance
// keeps of the association's actor.
type RemoteMembershipRow struct {
	RemoteMembership `bun:",extend"`

	Username    string `bun:"username"`
	Host        string `bun:"host"`
	DisplayName string `bun:"display_name"`
}

// RemoteMemberships reads and writes local persons' memberships of
// associations elsewhere.
type RemoteMemberships struct{ tx Tx }

// RemoteMemberships returns the repository of memberships elsewhere.
func (t Tx) RemoteMemberships() RemoteMemberships { return RemoteMemberships{t} }

// Create inserts m; ErrDuplicate when the person already has a pending or
// active membership of the association.
func (r RemoteMemberships) Create(ctx context.Context, m *RemoteMembership) error {
	_, err := r.tx.idb.NewInsert().Model(m).Exec(ctx)
	return wrapWrite(err, "create membership of a remote association")
}

// ByJoin returns the membership asked for with the Join activity join.
func (r RemoteMemberships) ByJoin(ctx context.Context, join string) (RemoteMembership, error) {
	var m RemoteMembership
	if err := r.tx.idb.NewSelect().Model(&m).Where("join_activity = ?", join).Scan(ctx); err != nil {
		return RemoteMembership{}, notFound(err, "membership of a remote association")
	}
	return m, nil
}

// Open returns actor's pending or active membership of association.
func (r RemoteMemberships) Open(ctx context.Context, actor, association string) (RemoteMembership, error) {
	var m RemoteMembership
	err := r.tx.idb.NewSelect().Model(&m).Where("actor = ?", actor).Where("association = ?", association).
		Where("status IN (?)", bun.In([]string{RemotePending, RemoteActive})).Scan(ctx)
	if err != nil {
		return RemoteMembership{}, notFound(err, "open membership of "+association)
	}
	return m, nil
}

// Move changes membership id from state from to state to with reason;
// false, changing nothing, when it is no longer in from.
func (r RemoteMemberships) Move(ctx context.Context, id uuid.UUID, from, to, reason string, at time.Time) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*RemoteMembership)(nil)).
		Set("status = ?", to).Set("reason = ?", reason).Set("updated_at = ?", at).
		Where("id = ?", id).Where("status = ?", from).Exec(ctx)
	return affected(res, err, "change membership of a remote association")
}

// Of lists account's memberships elsewhere, newest first, at most limit.
func (r RemoteMemberships) Of(ctx context.Context, account uuid.UUID, limit int) ([]RemoteMembershipRow, error) {
	var list []RemoteMembershipRow
	err := r.rows(&list).Where("remote_membership.account_id = ?", account).
		OrderExpr("remote_membership.id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "memberships elsewhere")
	}
	return list, nil
}

// Latest returns account's newest membership of association, whatever
// its state.
func (r RemoteMemberships) Latest(ctx context.Context, account uuid.UUID, association string) (RemoteMembershipRow, error) {
	var list []RemoteMembershipRow
	err := r.rows(&list).Where("remote_membership.account_id = ?", account).
		Where("remote_membership.association = ?", association).
		OrderExpr("remote_membership.id DESC").Limit(1).Scan(ctx)
	if err == nil && len(list) == 0 {
		err = sql.ErrNoRows
	}
	if err != nil {
		return RemoteMembershipRow{}, notFound(err, "membership of "+association)
	}
	return list[0], nil
}

// EndAll moves every pending or active membership of account to state to:
// the account is deleted.
func (r RemoteMemberships) EndAll(ctx context.Context, account uuid.UUID, to string, at time.Time) error {
	_, err := r.tx.idb.NewUpdate().Model((*RemoteMembership)(nil)).
		Set("status = ?", to).Set("updated_at = ?", at).
		Where("account_id = ?", account).Where("status IN (?)", bun.In([]string{RemotePending, RemoteActive})).Exec(ctx)
	return wrapWrite(err, "end memberships elsewhere")
}

func (r RemoteMemberships) rows(model any) *bun.SelectQuery {
	return r.tx.idb.NewSelect().Model(model).
		ColumnExpr("remote_membership.*").
		ColumnExpr("COALESCE(a.username, '') AS username, COALESCE(a.host, '') AS host, COALESCE(a.display_name, '') AS display_name").
		Join("LEFT JOIN actors AS a ON a.uri = remote_membership.association")
}

// AssociationInboxes lists the inboxes of the associations elsewhere of
// which actor is a member or asked to be, to tell them of its deletion.
func (r RemoteMemberships) AssociationInboxes(ctx context.Context, actor string) ([]string, error) {
	var list []string
	err := r.tx.idb.NewSelect().TableExpr("remote_memberships AS m").
		ColumnExpr("DISTINCT CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END").
		Join("JOIN actors AS a ON a.uri = m.association").
		Where("m.actor = ?", actor).Where("m.status IN (?)", bun.In([]string{RemotePending, RemoteActive})).
		Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "inboxes of associations elsewhere")
	}
	return list, nil
}
