package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// VotingInstruction is a member's standing instruction for one scope (a
// category, or "" for every category). Delegates is a JSON array shaped by
// core/governance.
type VotingInstruction struct {
	bun.BaseModel `bun:"table:voting_instructions"`

	AssociationID uuid.UUID `bun:"association_id,pk,type:uuid"`
	VoterNumber   int32     `bun:"voter_number,pk"`
	Scope         string    `bun:"scope,pk"`
	Delegates     string    `bun:"delegates"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// InstructionPage is the packed instructions of 1024 voter numbers.
type InstructionPage struct {
	bun.BaseModel `bun:"table:voting_instruction_pages"`

	AssociationID uuid.UUID `bun:"association_id,pk,type:uuid"`
	Page          int32     `bun:"page,pk"`
	Data          []byte    `bun:"data"`
}

// Instructions reads and writes voting instructions.
type Instructions struct{ tx Tx }

// Instructions returns the voting instruction repository.
func (t Tx) Instructions() Instructions { return Instructions{t} }

// Of lists the instructions of voter number in association, by scope.
func (r Instructions) Of(ctx context.Context, association uuid.UUID, number int32) ([]VotingInstruction, error) {
	var list []VotingInstruction
	err := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association).
		Where("voter_number = ?", number).OrderExpr("scope").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "voting instructions")
	}
	return list, nil
}

// Replace replaces every instruction of voter number in association with
// list.
func (r Instructions) Replace(ctx context.Context, association uuid.UUID, number int32, list []VotingInstruction) error {
	_, err := r.tx.idb.NewDelete().Model((*VotingInstruction)(nil)).Where("association_id = ?", association).
		Where("voter_number = ?", number).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "replace voting instructions")
	}
	if len(list) == 0 {
		return nil
	}
	_, err = r.tx.idb.NewInsert().Model(&list).Exec(ctx)
	return wrapWrite(err, "replace voting instructions")
}

// InRange lists the instructions of voter numbers lo … hi-1 in
// association, by number and scope.
func (r Instructions) InRange(ctx context.Context, association uuid.UUID, lo, hi int32) ([]VotingInstruction, error) {
	var list []VotingInstruction
	err := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association).
		Where("voter_number >= ?", lo).Where("voter_number < ?", hi).OrderExpr("voter_number, scope").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "voting instructions of a page")
	}
	return list, nil
}

// LockPage makes sure page exists and locks it until the transaction
// ends, so that members of one page changing their instructions at once
// rebuild it one after the other, each seeing the other's rows.
func (r Instructions) LockPage(ctx context.Context, association uuid.UUID, page int32) error {
	p := InstructionPage{AssociationID: association, Page: page, Data: []byte{}}
	if _, err := r.tx.idb.NewInsert().Model(&p).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return wrapWrite(err, "create instruction page")
	}
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&p).Column("page").WherePK())
	if err := q.Scan(ctx); err != nil {
		return notFound(err, "lock instruction page")
	}
	return nil
}

// SetPage writes the packed instructions of page.
func (r Instructions) SetPage(ctx context.Context, p *InstructionPage) error {
	res, err := r.tx.idb.NewUpdate().Model(p).Column("data").WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "write instruction page")
	}
	return expectOne(res, "write instruction page")
}

// AddPages inserts pages, a batch at a time (to seed benchmarks and
// imports).
func (r Instructions) AddPages(ctx context.Context, pages []InstructionPage) error {
	for len(pages) > 0 {
		n := min(len(pages), 200)
		batch := pages[:n]
		if _, err := r.tx.idb.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return wrapWrite(err, "add instruction pages")
		}
		pages = pages[n:]
	}
	return nil
}

// Pages returns every instruction page of association, in order.
func (r Instructions) Pages(ctx context.Context, association uuid.UUID) ([]InstructionPage, error) {
	var list []InstructionPage
	err := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association).OrderExpr("page").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "instruction pages")
	}
	return list, nil
}

// Freeze copies association's instruction pages as they stand, as those
// the count of a proposal's phase read (one statement, in the database).
func (r Instructions) Freeze(ctx context.Context, association, proposal uuid.UUID, phase string) error {
	_, err := r.tx.idb.NewRaw(`INSERT INTO proposal_instruction_pages (proposal_id, phase, page, data)
		SELECT ?, ?, page, data FROM voting_instruction_pages WHERE association_id = ?`,
		proposal, phase, association).Exec(ctx)
	return wrapWrite(err, "keep the instructions a count read")
}

// Frozen returns the instruction pages the count of a proposal's phase
// read, in order.
func (r Instructions) Frozen(ctx context.Context, proposal uuid.UUID, phase string) ([]InstructionPage, error) {
	var list []InstructionPage
	err := r.tx.idb.NewRaw(`SELECT page, data FROM proposal_instruction_pages
		WHERE proposal_id = ? AND phase = ? ORDER BY page`, proposal, phase).Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "instructions a count read")
	}
	return list, nil
}
