package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// DomainBlock is a remote domain (and its subdomains) this instance
// refuses to federate with.
type DomainBlock struct {
	bun.BaseModel `bun:"table:domain_blocks"`

	ID             uuid.UUID  `bun:"id,pk,type:uuid"`
	Domain         string     `bun:"domain"`
	Severity       string     `bun:"severity"`
	PublicComment  string     `bun:"public_comment"`
	PrivateComment string     `bun:"private_comment"`
	CreatedBy      *uuid.UUID `bun:"created_by,type:uuid"`
	CreatedAt      time.Time  `bun:"created_at"`
}

// DomainBlocks reads and writes domain blocks.
type DomainBlocks struct{ tx Tx }

// DomainBlocks returns the domain block repository.
func (t Tx) DomainBlocks() DomainBlocks { return DomainBlocks{t} }

// Add inserts b; ErrDuplicate if its domain is blocked already.
func (r DomainBlocks) Add(ctx context.Context, b *DomainBlock) error {
	_, err := r.tx.idb.NewInsert().Model(b).Exec(ctx)
	return wrapWrite(err, "block domain "+b.Domain)
}

// Remove deletes the block of domain; ErrNotFound if there is none.
func (r DomainBlocks) Remove(ctx context.Context, domain string) error {
	res, err := r.tx.idb.NewDelete().Model((*DomainBlock)(nil)).Where("domain = ?", domain).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "unblock domain "+domain)
	}
	return expectOne(res, "unblock domain "+domain)
}

// List returns every block, by domain.
func (r DomainBlocks) List(ctx context.Context) ([]DomainBlock, error) {
	var list []DomainBlock
	if err := r.tx.idb.NewSelect().Model(&list).Order("domain").Scan(ctx); err != nil {
		return nil, notFound(err, "list domain blocks")
	}
	return list, nil
}

// FirstOf returns the block of one of domains (a host and its parent
// domains), the most specific first; ErrNotFound if none is blocked.
func (r DomainBlocks) FirstOf(ctx context.Context, domains []string) (DomainBlock, error) {
	var list []DomainBlock
	if len(domains) == 0 {
		return DomainBlock{}, notFound(sql.ErrNoRows, "domain block")
	}
	if err := r.tx.idb.NewSelect().Model(&list).Where("domain IN (?)", bun.In(domains)).Scan(ctx); err != nil {
		return DomainBlock{}, notFound(err, "domain block")
	}
	for _, d := range domains {
		for _, b := range list {
			if b.Domain == d {
				return b, nil
			}
		}
	}
	return DomainBlock{}, notFound(sql.ErrNoRows, "domain block")
}
