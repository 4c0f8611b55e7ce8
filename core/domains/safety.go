package domains

import (
	"context"
	"errors"

	"github.com/holon-network/holon/store"
)

// maxRemoteMembers bounds how many remote members a safety check reads.
const maxRemoteMembers = 10000

// Affected is an active member of a local association, on another
// instance, whom a change would cut off.
type Affected struct {
	Actor       string `json:"actor"`
	Acct        string `json:"acct"`
	Association string `json:"association"`
}

// CutsMembers refuses a change that would cut off active remote members of
// local associations, unless the admin confirms it; it lists them. It is
// ErrCutsMembersCode for errors.Is and core.As.
type CutsMembers struct {
	Affected []Affected
}

func (e *CutsMembers) Error() string { return ErrCutsMembersCode.Detail }

// Unwrap makes the refusal a core error (KindConflict,
// "federation-cuts-members").
func (e *CutsMembers) Unwrap() error { return ErrCutsMembersCode }

// AffectedOf returns the members listed by err when it is a CutsMembers
// refusal.
func AffectedOf(err error) ([]Affected, bool) {
	var c *CutsMembers
	if errors.As(err, &c) {
		return c.Affected, true
	}
	return nil, false
}

// guard refuses, with the list, when cut tells that some active remote
// members would be cut off and the admin did not confirm. cut is asked of
// each member's host name.
func guard(ctx context.Context, tx store.Tx, confirm bool, cut func(host string) bool) error {
	if confirm {
		return nil
	}
	rows, err := tx.Associations().ActiveRemoteMembers(ctx, maxRemoteMembers)
	if err != nil {
		return err
	}
	var affected []Affected
	for _, m := range rows {
		if cut(hostname(m.Host)) {
			affected = append(affected, Affected{Actor: m.ActorURI, Acct: m.Username + "@" + m.Host, Association: m.Association})
		}
	}
	if len(affected) > 0 {
		return &CutsMembers{Affected: affected}
	}
	return nil
}

// coveredBy tells whether one of domains covers host.
func coveredBy(domains map[string]bool, host string) bool {
	for _, p := range parents(host) {
		if domains[p] {
			return true
		}
	}
	return false
}
