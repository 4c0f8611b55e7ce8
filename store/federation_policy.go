package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// DomainAllow is a remote domain (and its subdomains) this instance
// federates with in allowlist mode.
type DomainAllow struct {
	bun.BaseModel `bun:"table:domain_allows"`

	ID        uuid.UUID  `bun:"id,pk,type:uuid"`
	Domain    string     `bun:"domain"`
	Comment   string     `bun:"comment"`
	CreatedBy *uuid.UUID `bun:"created_by,type:uuid"`
	CreatedAt time.Time  `bun:"created_at"`
}

// DomainAllows reads and writes the allowlist.
type DomainAllows struct{ tx Tx }

// DomainAllows returns the allowlist repository.
func (t Tx) DomainAllows() DomainAllows { return DomainAllows{t} }

// Add inserts a; ErrDuplicate if its domain is allowed already.
func (r DomainAllows) Add(ctx context.Context, a *DomainAllow) error {
	_, err := r.tx.idb.NewInsert().Model(a).Exec(ctx)
	return wrapWrite(err, "allow domain "+a.Domain)
}

// Remove deletes the allow of domain; ErrNotFound if there is none.
func (r DomainAllows) Remove(ctx context.Context, domain string) error {
	res, err := r.tx.idb.NewDelete().Model((*DomainAllow)(nil)).Where("domain = ?", domain).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "disallow domain "+domain)
	}
	return expectOne(res, "disallow domain "+domain)
}

// List returns every allowed domain, by domain.
func (r DomainAllows) List(ctx context.Context) ([]DomainAllow, error) {
	var list []DomainAllow
	if err := r.tx.idb.NewSelect().Model(&list).Order("domain").Scan(ctx); err != nil {
		return nil, notFound(err, "list allowed domains")
	}
	return list, nil
}

// FederationPolicy is the row holding the mode the admins chose.
type FederationPolicy struct {
	bun.BaseModel `bun:"table:federation_policy"`

	ID        int        `bun:"id,pk"`
	Mode      string     `bun:"mode"`
	UpdatedBy *uuid.UUID `bun:"updated_by,type:uuid"`
	UpdatedAt time.Time  `bun:"updated_at"`
}

// FederationModes reads and writes the federation mode.
type FederationModes struct{ tx Tx }

// FederationModes returns the federation mode repository.
func (t Tx) FederationModes() FederationModes { return FederationModes{t} }

// Get returns the mode the admins chose; def if they never chose.
func (r FederationModes) Get(ctx context.Context, def string) (string, error) {
	var p FederationPolicy
	err := r.tx.idb.NewSelect().Model(&p).Where("id = 1").Scan(ctx)
	switch {
	case err == sql.ErrNoRows:
		return def, nil
	case err != nil:
		return "", notFound(err, "federation mode")
	}
	return p.Mode, nil
}

// Set records mode as the admins' choice.
func (r FederationModes) Set(ctx context.Context, mode string, by *uuid.UUID, at time.Time) error {
	p := FederationPolicy{ID: 1, Mode: mode, UpdatedBy: by, UpdatedAt: at}
	_, err := r.tx.idb.NewInsert().Model(&p).
		On("CONFLICT (id) DO UPDATE").Set("mode = EXCLUDED.mode, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return wrapWrite(err, "set the federation mode")
}

// HostPolicy is what the policy says of one host, read in one query.
type HostPolicy struct {
	// Mode is the mode the admins chose ("" if they never chose).
	Mode string `bun:"mode"`
	// Allowed tells whether one of the host's domains is allowed.
	Allowed bool `bun:"allowed"`
	// Suspended is the most specific of the host's domains that is
	// suspended, "" if none.
	Suspended string `bun:"suspended"`
}

// HostPolicy reads the mode and whether one of domains (a host and its
// parent domains) is allowed or suspended, in one query on the unique
// indexes of domain_allows and domain_blocks.
func (t Tx) HostPolicy(ctx context.Context, domains []string) (HostPolicy, error) {
	var p HostPolicy
	if len(domains) == 0 {
		domains = []string{""}
	}
	err := t.idb.NewRaw(`SELECT COALESCE((SELECT mode FROM federation_policy WHERE id = 1), '') AS mode,
	EXISTS (SELECT 1 FROM domain_allows WHERE domain IN (?)) AS allowed,
	COALESCE((SELECT domain FROM domain_blocks WHERE domain IN (?) AND severity = 'suspend'
		ORDER BY length(domain) DESC LIMIT 1), '') AS suspended`, bun.In(domains), bun.In(domains)).Scan(ctx, &p)
	if err != nil {
		return HostPolicy{}, notFound(err, "host policy")
	}
	return p, nil
}

// RemoteMemberRow is an active member of a local association whose actor
// is on another instance.
type RemoteMemberRow struct {
	ActorURI    string `bun:"actor_uri"`
	Username    string `bun:"username"`
	Host        string `bun:"host"`
	Association string `bun:"association"`
}

// ActiveRemoteMembers lists the active members of local associations whose
// actors are remote, by host then association, at most limit.
func (r Associations) ActiveRemoteMembers(ctx context.Context, limit int) ([]RemoteMemberRow, error) {
	var list []RemoteMemberRow
	err := r.tx.idb.NewRaw(`SELECT a.uri AS actor_uri, a.username, a.host, g.username AS association
FROM memberships AS m JOIN actors AS a ON a.id = m.actor_id
JOIN actors AS g ON g.association_id = m.association_id
WHERE m.status = 'active' AND a.local = FALSE AND m.account_id IS NULL
ORDER BY a.host, g.username, a.username LIMIT ?`, limit).Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "remote members")
	}
	return list, nil
}

// Update changes the severity and comments of the block of b.Domain;
// ErrNotFound if there is none.
func (r DomainBlocks) Update(ctx context.Context, b *DomainBlock) error {
	res, err := r.tx.idb.NewUpdate().Model(b).Column("severity", "public_comment", "private_comment").
		Where("domain = ?", b.Domain).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update the block of "+b.Domain)
	}
	return expectOne(res, "update the block of "+b.Domain)
}

// ByDomain returns the block of exactly domain; ErrNotFound if none.
func (r DomainBlocks) ByDomain(ctx context.Context, domain string) (DomainBlock, error) {
	var b DomainBlock
	if err := r.tx.idb.NewSelect().Model(&b).Where("domain = ?", domain).Scan(ctx); err != nil {
		return DomainBlock{}, notFound(err, "block of "+domain)
	}
	return b, nil
}

// unblockedActor is the condition that the actor whose id is col is not on
// a blocked domain (silenced or suspended), nor under one: the network
// views leave such actors' content out. The actor is found by its primary
// key; a remote one's host ("example.org", "example.org:443", "[::1]:80")
// is then compared with the blocks, which the instance keeps few enough of
// that their domain index is read whole. LIMIT 1 OFFSET 0 keeps PostgreSQL
// from turning the NOT EXISTS into an anti-join over every actor: as a
// filter, the view walks its own index newest first and checks only the
// rows of its page.
func unblockedActor(col string) string {
	return "NOT EXISTS (SELECT 1 FROM actors AS ba JOIN domain_blocks AS bd ON " + blockCovers("ba.host", "bd.domain") +
		" WHERE ba.id = " + col + " AND ba.local = FALSE LIMIT 1 OFFSET 0)"
}

// unblockedHost is the condition that host (a column of a remote actor) is
// on no blocked domain.
func unblockedHost(host string) string {
	return "NOT EXISTS (SELECT 1 FROM domain_blocks AS bd WHERE " + blockCovers(host, "bd.domain") + " LIMIT 1 OFFSET 0)"
}

// blockCovers is the condition that the block of domain covers host, with
// or without a port. Domains are normalized (no LIKE wildcards).
func blockCovers(host, domain string) string {
	return "(" + host + " = " + domain + " OR " + host + " LIKE " + domain + " || ':%' OR " +
		host + " LIKE '%.' || " + domain + " OR " + host + " LIKE '%.' || " + domain + " || ':%' OR " +
		host + " LIKE '[' || " + domain + " || ']:%')"
}
