package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// GovernanceVoter is a voter's number in an association.
type GovernanceVoter struct {
	bun.BaseModel `bun:"table:governance_voters"`

	AssociationID uuid.UUID `bun:"association_id,pk,type:uuid"`
	Number        int32     `bun:"number,pk"`
	Actor         string    `bun:"actor"`
}

// Voters numbers the voters of associations.
type Voters struct{ tx Tx }

// Voters returns the voter repository.
func (t Tx) Voters() Voters { return Voters{t} }

// Number returns actor's number in association; ErrNotFound when it has
// none yet.
func (r Voters) Number(ctx context.Context, association uuid.UUID, actor string) (int32, error) {
	var n int32
	err := r.tx.idb.NewSelect().Model((*GovernanceVoter)(nil)).Column("number").
		Where("association_id = ?", association).Where("actor = ?", actor).Scan(ctx, &n)
	if err != nil {
		return 0, notFound(err, "voter number of "+actor)
	}
	return n, nil
}

// Ensure returns the numbers of actors in association, giving the next
// free numbers to those without one. The caller holds the association's
// lock (Associations.ByIDForUpdate), which makes the numbering safe.
func (r Voters) Ensure(ctx context.Context, association uuid.UUID, actors []string) ([]int32, error) {
	out := make([]int32, len(actors))
	for i, a := range actors {
		n, err := r.Number(ctx, association, a)
		if err == nil {
			out[i] = n
			continue
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		next, err := r.next(ctx, association)
		if err != nil {
			return nil, err
		}
		v := GovernanceVoter{AssociationID: association, Number: next, Actor: a}
		if _, err := r.tx.idb.NewInsert().Model(&v).Exec(ctx); err != nil {
			return nil, wrapWrite(err, "number voter "+a)
		}
		out[i] = next
	}
	return out, nil
}

func (r Voters) next(ctx context.Context, association uuid.UUID) (int32, error) {
	var n int32
	err := r.tx.idb.NewSelect().Model((*GovernanceVoter)(nil)).ColumnExpr("COALESCE(MAX(number) + 1, 0)").
		Where("association_id = ?", association).Scan(ctx, &n)
	if err != nil {
		return 0, notFound(err, "next voter number")
	}
	return n, nil
}

// NumberMembers gives a number to every active member of association who
// has none, in the order they joined, with one statement. The caller holds
// the association's lock.
func (r Voters) NumberMembers(ctx context.Context, association uuid.UUID) error {
	next, err := r.next(ctx, association)
	if err != nil {
		return err
	}
	_, err = r.tx.idb.NewRaw(`INSERT INTO governance_voters (association_id, number, actor)
		SELECT m.association_id, ? + row_number() OVER (ORDER BY m.id) - 1, a.uri
		FROM memberships AS m JOIN actors AS a ON a.id = m.actor_id
		WHERE m.association_id = ? AND m.status = 'active'
		AND NOT EXISTS (SELECT 1 FROM governance_voters AS v WHERE v.association_id = m.association_id AND v.actor = a.uri)`,
		next, association).Exec(ctx)
	return wrapWrite(err, "number the members")
}

// Actors returns the actors of numbers in association (those it knows).
func (r Voters) Actors(ctx context.Context, association uuid.UUID, numbers []int32) (map[int32]string, error) {
	out := make(map[int32]string, len(numbers))
	if len(numbers) == 0 {
		return out, nil
	}
	var list []GovernanceVoter
	err := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association).
		Where("number IN (?)", bun.In(numbers)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "actors of voter numbers")
	}
	for _, v := range list {
		out[v.Number] = v.Actor
	}
	return out, nil
}

// EligibleNumbers lists, in increasing order, the numbers of association's
// members who may vote at the opening of a phase: active, voting rights
// not suspended, joined at or before joinedBy (the end of probation).
// Members without a number are left out: NumberMembers comes first.
func (r Voters) EligibleNumbers(ctx context.Context, association uuid.UUID, joinedBy time.Time) ([]int32, error) {
	var list []int32
	err := r.tx.idb.NewRaw(`SELECT v.number
		FROM memberships AS m
		JOIN actors AS a ON a.id = m.actor_id
		JOIN governance_voters AS v ON v.association_id = m.association_id AND v.actor = a.uri
		WHERE m.association_id = ? AND m.status = 'active' AND NOT m.voting_suspended
		AND m.joined_at IS NOT NULL AND m.joined_at <= ?
		ORDER BY v.number`, association, joinedBy.UTC()).Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "eligible members")
	}
	return list, nil
}

// SuspendedNumbers lists the numbers of association's members whose voting
// rights are suspended now.
func (r Voters) SuspendedNumbers(ctx context.Context, association uuid.UUID) ([]int32, error) {
	var list []int32
	err := r.tx.idb.NewRaw(`SELECT v.number
		FROM memberships AS m
		JOIN actors AS a ON a.id = m.actor_id
		JOIN governance_voters AS v ON v.association_id = m.association_id AND v.actor = a.uri
		WHERE m.association_id = ? AND m.voting_suspended`, association).Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "suspended members")
	}
	return list, nil
}

// RoleHolder is a member holding a role, with their voter number.
type RoleHolder struct {
	Number int32  `bun:"number"`
	Role   string `bun:"role"`
}

// RoleHolders lists association's active members holding one of roles who
// have a number, in the association's order (membership order).
func (r Voters) RoleHolders(ctx context.Context, association uuid.UUID, roles []string) ([]RoleHolder, error) {
	var list []RoleHolder
	err := r.tx.idb.NewRaw(`SELECT v.number, m.role
		FROM memberships AS m
		JOIN actors AS a ON a.id = m.actor_id
		JOIN governance_voters AS v ON v.association_id = m.association_id AND v.actor = a.uri
		WHERE m.association_id = ? AND m.status = 'active' AND m.role IN (?)
		ORDER BY m.id`, association, bun.In(roles)).Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "role holders")
	}
	return list, nil
}
