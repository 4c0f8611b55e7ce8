package membership

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// AccountDeleted is the state of an account whose person deleted it, or
// an administrator did. The row stays, emptied, so that its name stays
// taken: a new account under the same name would inherit the followers,
// mentions and links that pointed at the old one.
const AccountDeleted = "deleted"

// Operator is whoever runs the instance's command line: they hold the
// database and the configuration, so they have an administrator's rights
// without an account. Only the command line passes it.
var Operator = Account{Username: "(operator)", Role: RoleAdmin, Status: AccountActive}

// ErrLastAdmin refuses to delete the only active administrator.
var ErrLastAdmin = core.New(core.KindConflict, "last-admin", "the instance would be left without an administrator; make another account administrator first")

// RotateKey gives the local actor name (a person, an association or the
// instance actor) a new key pair, under the same key id, and publishes the
// actor's new document to its followers' servers in the same transaction.
// Other servers also fetch the new key when a signature fails with the one
// they hold. Administrators only.
func (s *Service) RotateKey(ctx context.Context, by Account, name string) (Actor, error) {
	if !by.IsAdmin() {
		return Actor{}, ErrNotAllowed
	}
	priv, pub, err := s.newKeyPair()
	if err != nil {
		return Actor{}, err
	}
	var out store.Actor
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := tx.Actors().Local(ctx, name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return ErrNoSuchActor
		case err != nil:
			return err
		case row.DeletedAt != nil:
			return ErrActorDeleted
		}
		if err := tx.Actors().SetKey(ctx, row.ID, pub, priv, s.now()); err != nil {
			return err
		}
		if err := s.publishProfile(ctx, tx, row.ID); err != nil {
			return err
		}
		out, err = tx.Actors().ByID(ctx, row.ID)
		return err
	})
	if err != nil {
		return Actor{}, fmt.Errorf("rotate the key of %s: %w", name, err)
	}
	return actorFrom(out), nil
}

// DeleteOwnAccount deletes account, once its password confirms that its
// person means it (see deleteAccount).
func (s *Service) DeleteOwnAccount(ctx context.Context, account Account, password string) error {
	row, err := s.db.Accounts().ByID(ctx, account.ID)
	if err != nil {
		return err
	}
	if len(password) > MaxPasswordLength {
		return core.Invalid(core.FieldError{Field: "password", Code: "wrong-password", Detail: "the password is wrong"})
	}
	ok, err := CheckPassword(row.PasswordHash, password)
	if err != nil {
		return err
	}
	if !ok {
		return core.Invalid(core.FieldError{Field: "password", Code: "wrong-password", Detail: "the password is wrong"})
	}
	return s.deleteAccount(ctx, account.ID)
}

// DeleteAccount deletes the account named username; administrators only.
func (s *Service) DeleteAccount(ctx context.Context, by Account, username string) error {
	if !by.IsAdmin() {
		return ErrNotAllowed
	}
	name, fe := NormalizeName("username", username)
	if fe != nil {
		return ErrNoSuchAccount
	}
	row, err := s.db.Accounts().ByUsername(ctx, name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && row.Status == AccountDeleted) {
		return ErrNoSuchAccount
	}
	if err != nil {
		return err
	}
	return s.deleteAccount(ctx, row.ID)
}

// deleteAccount deletes an account and its actor, in one transaction:
//   - the servers of its followers and of those it follows are sent a
//     Delete of the actor, signed when delivered with the key that stays on
//     the deleted actor until those deliveries are done (Sweep drops it);
//   - its notes become tombstones, its likes and boosts, follows and
//     memberships go, its avatar and profile fields too;
//   - its sessions end and its tokens are revoked;
//   - its name stays taken, and its addresses answer 410 Gone.
//
// It is refused while the account is the last board member of an
// association (associations are not deleted with their board: appoint
// another member first) or the last administrator.
func (s *Service) deleteAccount(ctx context.Context, id uuid.UUID) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error { return s.deleteAccountIn(ctx, tx, id) })
	if err != nil {
		return fmt.Errorf("delete account %s: %w", id, err)
	}
	return nil
}

// deleteAccountIn is deleteAccount inside tx, so that a moderator's
// deletion and its audit entry commit together.
func (s *Service) deleteAccountIn(ctx context.Context, tx store.Tx, id uuid.UUID) error {
	acc, err := tx.Accounts().ByIDForUpdate(ctx, id)
	if err != nil {
		return err
	}
	if acc.Status == AccountDeleted {
		return ErrNoSuchAccount
	}
	if acc.Role == RoleAdmin && acc.Status == AccountActive {
		n, err := tx.Accounts().CountByRole(ctx, RoleAdmin, AccountActive)
		if err != nil {
			return err
		}
		if n <= 1 {
			return ErrLastAdmin
		}
	}
	if err := leaveEveryAssociation(ctx, tx, id); err != nil {
		return err
	}
	actor, err := tx.Actors().OfAccount(ctx, id)
	if err != nil {
		return err
	}
	if err := s.publishDeletion(ctx, tx, actor); err != nil {
		return err
	}
	// Its memberships elsewhere end: their associations hear the Delete.
	if err := tx.RemoteMemberships().EndAll(ctx, id, ElsewhereLeft, s.now()); err != nil {
		return err
	}
	if err := s.forgetActor(ctx, tx, actor); err != nil {
		return err
	}
	now := s.now()
	if err := tx.Credentials().DeleteSessionsOf(ctx, id); err != nil {
		return err
	}
	if err := tx.Credentials().RevokeTokensOf(ctx, id, now); err != nil {
		return err
	}
	acc.Status = AccountDeleted
	acc.DisplayName = acc.Username
	acc.Email = acc.ID.String() + "@deleted.invalid" // frees the address, stays unique
	acc.PasswordHash = ""
	acc.UpdatedAt = now
	return tx.Accounts().Update(ctx, &acc)
}

// leaveEveryAssociation ends the account's memberships, unless it is the
// last board member of one of them.
func leaveEveryAssociation(ctx context.Context, tx store.Tx, account uuid.UUID) error {
	list, err := tx.Associations().AssociationsOf(ctx, account)
	if err != nil {
		return err
	}
	for _, m := range list {
		if m.Status != MemberActive || (m.Role != MemberBoard && m.Role != MemberTreasurer) {
			continue
		}
		a, err := tx.Associations().ByNameForUpdate(ctx, m.Name)
		if err != nil {
			return err
		}
		if err := keepOneBoardMember(ctx, tx, a.ID); err != nil {
			return &core.Error{Kind: core.KindConflict, Code: ErrLastBoardMember.Code,
				Detail: fmt.Sprintf("you are the last board member of %s: appoint another board member first (associations are not deleted with accounts)", m.Name)}
		}
	}
	return tx.Associations().DeleteMembershipsOf(ctx, account)
}

// publishDeletion sends the Delete of the local actor to the servers of
// its followers and of the actors it follows.
func (s *Service) publishDeletion(ctx context.Context, tx store.Tx, actor store.Actor) error {
	followers, err := tx.Follows().FollowerInboxes(ctx, actor.ID)
	if err != nil {
		return err
	}
	followed, err := tx.Follows().FollowedInboxes(ctx, actor.ID)
	if err != nil {
		return err
	}
	// The associations elsewhere it is a member of end the membership.
	associations, err := tx.RemoteMemberships().AssociationInboxes(ctx, actor.URI)
	if err != nil {
		return err
	}
	inboxes := append(append(followers, followed...), associations...)
	if len(inboxes) == 0 {
		return nil
	}
	return s.publish(ctx, tx, Publication{Type: "Delete", Actor: actorFrom(actor), Inboxes: inboxes})
}

// forgetActor removes what an actor leaves here, local or remote: its
// notes become tombstones, its reactions, follows (both ways) and
// memberships go, its avatar too, and it is marked deleted.
func (s *Service) forgetActor(ctx context.Context, tx store.Tx, actor store.Actor) error {
	now := s.now()
	if _, err := tx.Notes().TombstoneByAuthor(ctx, actor.ID, now); err != nil {
		return err
	}
	if _, err := tx.DeleteReactionsBy(ctx, actor.ID); err != nil {
		return err
	}
	if _, err := tx.Follows().DeleteOf(ctx, actor.ID); err != nil {
		return err
	}
	if err := tx.Associations().DeleteMembershipsOfActor(ctx, actor.ID); err != nil {
		return err
	}
	if err := tx.Actors().MarkDeleted(ctx, actor.ID, now); err != nil {
		return err
	}
	if actor.AvatarID != nil {
		return tx.Media().Delete(ctx, *actor.AvatarID)
	}
	return nil
}

// ReceiveActorDelete records that the remote actor actorURI deleted itself
// (its server sent the Delete, signed by it): its notes become tombstones,
// its likes, boosts and follows go, and it is marked deleted, so that what
// is later signed with its key is refused. An actor not known here, or
// already deleted, changes nothing.
func (s *Service) ReceiveActorDelete(ctx context.Context, actorURI string) error {
	return s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := tx.Actors().ByURI(ctx, actorURI)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil
		case err != nil:
			return err
		case row.Local:
			return core.New(core.KindForbidden, "local-actor-claim", "a remote document claims a local actor")
		case row.DeletedAt != nil:
			return nil
		}
		return s.forgetActor(ctx, tx, row)
	})
}
