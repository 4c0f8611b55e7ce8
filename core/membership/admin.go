package membership

import (
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
)

// ErrNotAdmin refuses what only an instance admin may do.
var ErrNotAdmin = core.New(core.KindForbidden, "admin-only", "only an instance admin may do this")

// Admin is authority over the instance's administration (the federation
// policy, relays, settings): an active admin's (AdminOf), or the
// operator's at the command line (CommandLine). Holding one is the
// permission, so the services that take it never see an unchecked
// account; it also names who acted, for the audit log.
type Admin struct {
	account *uuid.UUID
	name    string
}

// CommandLine is the operator running `holon admin …` on the machine.
var CommandLine = Admin{}

// AdminOf returns a's authority: ErrNotAdmin unless a is an active admin.
func AdminOf(a Account) (Admin, error) {
	if !a.IsAdmin() {
		return Admin{}, ErrNotAdmin
	}
	id := a.ID
	return Admin{account: &id, name: a.Username}, nil
}

// Account is the admin's account id; nil for the command line.
func (a Admin) Account() *uuid.UUID { return a.account }

// Name is the admin's username; "" for the command line.
func (a Admin) Name() string { return a.name }
