package membership

import "github.com/holon-network/holon/store"

// AssociationFromRow reads an association's row, settings included, for
// the domain packages that load it inside their own transaction.
func AssociationFromRow(r store.Association) (Association, error) { return associationFrom(r) }

// MemberFromRow reads a membership's row, for the domain packages that
// check roles inside their own transaction.
func MemberFromRow(r store.MemberRow) Member { return memberFrom(r) }
