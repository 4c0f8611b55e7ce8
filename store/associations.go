package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Association is an association's row. Settings is a JSON document whose
// shape core/membership owns.
type Association struct {
	bun.BaseModel `bun:"table:associations"`

	ID          uuid.UUID  `bun:"id,pk,type:uuid"`
	Name        string     `bun:"name"`
	DisplayName string     `bun:"display_name"`
	Summary     string     `bun:"summary"`
	Statutes    string     `bun:"statutes"`
	Settings    string     `bun:"settings"`
	CreatedBy   *uuid.UUID `bun:"created_by,type:uuid"`
	CreatedAt   time.Time  `bun:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
}

// Membership is one member's row in one association. The member is an
// actor, local or remote; AccountID is set for a local person only.
// JoinActivity is the Join a remote member sent, which the board's answer
// names.
type Membership struct {
	bun.BaseModel `bun:"table:memberships"`

	ID               uuid.UUID  `bun:"id,pk,type:uuid"`
	AssociationID    uuid.UUID  `bun:"association_id,type:uuid"`
	ActorID          uuid.UUID  `bun:"actor_id,type:uuid"`
	AccountID        *uuid.UUID `bun:"account_id,type:uuid"`
	Role             string     `bun:"role"`
	Status           string     `bun:"status"`
	RequestedAt      time.Time  `bun:"requested_at"`
	JoinedAt         *time.Time `bun:"joined_at"`
	VotingSuspended  bool       `bun:"voting_suspended"`
	SuspensionReason string     `bun:"suspension_reason"`
	SuspendedAt      *time.Time `bun:"suspended_at"`
	UpdatedAt        time.Time  `bun:"updated_at"`
	JoinActivity     string     `bun:"join_activity"`
}

// MemberRow is a membership with its member's actor and names, as lists
// show it: a local person's display name is their account's, a remote
// actor's the one its document gives.
type MemberRow struct {
	Membership `bun:",extend"`

	Username    string `bun:"username"`
	Host        string `bun:"host"`
	ActorURI    string `bun:"actor_uri"`
	Local       bool   `bun:"local"`
	DisplayName string `bun:"display_name"`
}

// Associations reads and writes associations and their memberships.
type Associations struct{ tx Tx }

// Associations returns the association repository.
func (t Tx) Associations() Associations { return Associations{t} }

// Create inserts a.
func (r Associations) Create(ctx context.Context, a *Association) error {
	_, err := r.tx.idb.NewInsert().Model(a).Exec(ctx)
	return wrapWrite(err, "create association "+a.Name)
}

// Update writes every column of a.
func (r Associations) Update(ctx context.Context, a *Association) error {
	res, err := r.tx.idb.NewUpdate().Model(a).WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update association "+a.Name)
	}
	return expectOne(res, "update association "+a.Name)
}

// ByName returns the association named name.
func (r Associations) ByName(ctx context.Context, name string) (Association, error) {
	var a Association
	if err := r.tx.idb.NewSelect().Model(&a).Where("name = ?", name).Scan(ctx); err != nil {
		return Association{}, notFound(err, "association "+name)
	}
	return a, nil
}

// List returns up to limit associations ordered by name, after the name
// cursor ("" for the first page).
func (r Associations) List(ctx context.Context, after string, limit int) ([]Association, error) {
	var list []Association
	q := r.tx.idb.NewSelect().Model(&list).OrderExpr("name ASC").Limit(int64(limit))
	if after != "" {
		q = q.Where("name > ?", after)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list associations")
	}
	return list, nil
}

// AddMembership inserts m; ErrDuplicate if the actor already has a
// membership (pending or active) in the association.
func (r Associations) AddMembership(ctx context.Context, m *Membership) error {
	_, err := r.tx.idb.NewInsert().Model(m).Exec(ctx)
	return wrapWrite(err, "add membership")
}

// UpdateMembership writes every column of m.
func (r Associations) UpdateMembership(ctx context.Context, m *Membership) error {
	res, err := r.tx.idb.NewUpdate().Model(m).WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update membership")
	}
	return expectOne(res, "update membership")
}

// DeleteMembership removes the membership id.
func (r Associations) DeleteMembership(ctx context.Context, id uuid.UUID) error {
	res, err := r.tx.idb.NewDelete().Model((*Membership)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "delete membership")
	}
	return expectOne(res, "delete membership")
}

// Membership returns account's membership in association.
func (r Associations) Membership(ctx context.Context, association, account uuid.UUID) (MemberRow, error) {
	var m MemberRow
	err := r.memberQuery(&m).
		Where("membership.association_id = ?", association).
		Where("membership.account_id = ?", account).
		Scan(ctx)
	if err != nil {
		return MemberRow{}, notFound(err, "membership")
	}
	return m, nil
}

// MembershipOfActor returns the membership of the actor whose row is
// actor (local or remote) in association.
func (r Associations) MembershipOfActor(ctx context.Context, association, actor uuid.UUID) (MemberRow, error) {
	var m MemberRow
	err := r.memberQuery(&m).
		Where("membership.association_id = ?", association).
		Where("membership.actor_id = ?", actor).
		Scan(ctx)
	if err != nil {
		return MemberRow{}, notFound(err, "membership")
	}
	return m, nil
}

// Members returns up to limit memberships of association with the given
// status ("" for any), in joining order, after the cursor id.
func (r Associations) Members(ctx context.Context, association uuid.UUID, status string, after uuid.UUID, limit int) ([]MemberRow, error) {
	var list []MemberRow
	q := r.memberQuery(&list).
		Where("membership.association_id = ?", association).
		OrderExpr("membership.id ASC").Limit(int64(limit))
	if status != "" {
		q = q.Where("membership.status = ?", status)
	}
	if after != uuid.Nil {
		q = q.Where("membership.id > ?", after)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list members")
	}
	return list, nil
}

// CountMembers counts the memberships of association with status and, when
// roles is not empty, one of roles.
func (r Associations) CountMembers(ctx context.Context, association uuid.UUID, status string, roles ...string) (int, error) {
	q := r.tx.idb.NewSelect().Model((*Membership)(nil)).
		Where("association_id = ?", association).Where("status = ?", status)
	if len(roles) > 0 {
		q = q.Where("role IN (?)", bun.In(roles))
	}
	n, err := q.Count(ctx)
	if err != nil {
		return 0, notFound(err, "count members")
	}
	return int(n), nil
}

// AssociationsOf returns the associations account belongs to (any status),
// with its membership in each, by association name.
func (r Associations) AssociationsOf(ctx context.Context, account uuid.UUID) ([]AssociationMembership, error) {
	var list []AssociationMembership
	err := r.tx.idb.NewSelect().
		ColumnExpr("a.name, a.display_name, m.role, m.status").
		TableExpr("memberships AS m").
		Join("JOIN associations AS a ON a.id = m.association_id").
		Where("m.account_id = ?", account).
		OrderExpr("a.name ASC").
		Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "list memberships")
	}
	return list, nil
}

// AssociationMembership is one line of a person's list of associations.
type AssociationMembership struct {
	Name        string `bun:"name"`
	DisplayName string `bun:"display_name"`
	Role        string `bun:"role"`
	Status      string `bun:"status"`
}

func (r Associations) memberQuery(model any) *bun.SelectQuery {
	return r.tx.idb.NewSelect().Model(model).
		ColumnExpr("membership.*").
		ColumnExpr("act.username, act.host, act.uri AS actor_uri, act.local").
		ColumnExpr("COALESCE(acc.display_name, act.display_name) AS display_name").
		Join("JOIN actors AS act ON act.id = membership.actor_id").
		Join("LEFT JOIN accounts AS acc ON acc.id = membership.account_id")
}

// ByNameForUpdate returns the association named name and, on PostgreSQL,
// locks its row until the transaction ends, so that rules counting its
// members (the last board member may not leave) hold under concurrent
// changes. SQLite transactions are immediate and already serialised.
func (r Associations) ByNameForUpdate(ctx context.Context, name string) (Association, error) {
	var a Association
	q := r.tx.idb.NewSelect().Model(&a).Where("name = ?", name)
	if r.tx.driver == Postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return Association{}, notFound(err, "association "+name)
	}
	return a, nil
}

// DeleteMembershipsOf removes every membership of account, pending or not.
func (r Associations) DeleteMembershipsOf(ctx context.Context, account uuid.UUID) error {
	_, err := r.tx.idb.NewDelete().Model((*Membership)(nil)).Where("account_id = ?", account).Exec(ctx)
	return wrapWrite(err, "delete memberships of an account")
}

// DeleteMembershipsOfActor removes every membership of the actor whose row
// is actor: a remote actor deleted itself.
func (r Associations) DeleteMembershipsOfActor(ctx context.Context, actor uuid.UUID) error {
	_, err := r.tx.idb.NewDelete().Model((*Membership)(nil)).Where("actor_id = ?", actor).Exec(ctx)
	return wrapWrite(err, "delete memberships of an actor")
}

// ByID returns the association id.
func (r Associations) ByID(ctx context.Context, id uuid.UUID) (Association, error) {
	var a Association
	if err := r.tx.idb.NewSelect().Model(&a).Where("id = ?", id).Scan(ctx); err != nil {
		return Association{}, notFound(err, "association "+id.String())
	}
	return a, nil
}

// ByIDForUpdate returns the association id and, on PostgreSQL, locks its
// row until the transaction ends (see ByNameForUpdate).
func (r Associations) ByIDForUpdate(ctx context.Context, id uuid.UUID) (Association, error) {
	var a Association
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&a).Where("id = ?", id))
	if err := q.Scan(ctx); err != nil {
		return Association{}, notFound(err, "association "+id.String())
	}
	return a, nil
}
