package membership

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// States of a partnership, as the association's board sees it.
const (
	// PartnerMutual: the two associations follow each other (both follows
	// accepted); their news, projects, tasks and events reach each other.
	PartnerMutual = "mutual"
	// PartnerRequested: the association follows the other, or asked to,
	// and the other does not follow back yet.
	PartnerRequested = "requested"
	// PartnerOffered: the other association follows this one, or asked to;
	// the board makes it a partnership by adding it.
	PartnerOffered = "offered"
)

// MaxPartnerQuery bounds the name@host or URL that names a partner.
const MaxPartnerQuery = 2048

// Errors of partnerships.
var (
	ErrNoSuchPartner = core.New(core.KindNotFound, "partner-not-found", "this association is not a partner, and did not ask to be one")
	errNoFinder      = errors.New("federation is not wired: no actor can be looked up")
)

// ActorFinder finds an actor by name@host or by its id, here or on its
// server (federation/actors.Resolver).
type ActorFinder interface {
	Lookup(ctx context.Context, q string) (Actor, error)
}

// HostPolicy refuses the hosts the instance does not federate with
// (domains.Service).
type HostPolicy interface {
	RefuseHost(ctx context.Context, host string) error
}

// partnerDeps is what partnerships need beyond the store: finding the
// other association and the instance's domain policy.
type partnerDeps struct {
	finder ActorFinder
	hosts  HostPolicy
}

// UsePartnerLookup sets how partners are found and which domains are
// refused. It is set once, at wiring, before the service is used by
// several goroutines.
func (s *Service) UsePartnerLookup(f ActorFinder, hosts HostPolicy) {
	s.partners = partnerDeps{finder: f, hosts: hosts}
}

// Partner is another association in a partnership with an association, or
// on the way to one.
type Partner struct {
	ActorID     uuid.UUID
	URI         string
	Username    string
	Host        string
	DisplayName string
	Local       bool
	State       string    // PartnerMutual, PartnerRequested or PartnerOffered
	Since       time.Time // when the partnership came to its state
}

// Acct is the partner's name@host.
func (p Partner) Acct() string { return p.Username + "@" + p.Host }

// PartnerList is a page of an association's partners.
type PartnerList struct {
	Items []Partner
	Next  uuid.UUID // cursor of the next page; uuid.Nil at the end
	// Board is whether the viewer is on the association's board: then the
	// list holds the partnerships asked and offered too, else only the
	// mutual ones.
	Board bool
}

func partnerFrom(r store.PartnerRow) Partner {
	p := Partner{ActorID: r.ActorID, URI: r.URI, Username: r.Username, Host: r.Host, DisplayName: r.DisplayName, Local: r.Local}
	ours := r.OurState != nil && *r.OurState == FollowAccepted
	theirs := r.TheirState != nil && *r.TheirState == FollowAccepted
	switch {
	case ours && theirs:
		p.State, p.Since = PartnerMutual, *r.OurUpdatedAt
		if r.TheirUpdated.After(p.Since) {
			p.Since = *r.TheirUpdated
		}
	case r.OurState != nil:
		p.State, p.Since = PartnerRequested, *r.OurCreatedAt
	default:
		p.State, p.Since = PartnerOffered, *r.TheirCreated
	}
	return p
}

// Partners lists association name's partners, in a stable order, limit
// at a time after the cursor (a partner's ActorID). The board sees every
// partnership with its state; anyone else the mutual ones, and, when the
// association keeps its records to its members, only its members do.
func (s *Service) Partners(ctx context.Context, viewer *Account, name string, after uuid.UUID, limit int) (PartnerList, error) {
	a, err := s.Association(ctx, name)
	if err != nil {
		return PartnerList{}, err
	}
	var out PartnerList
	member := false
	if viewer != nil {
		m, err := s.db.Associations().Membership(ctx, a.ID, viewer.ID)
		switch {
		case err == nil:
			member = m.Status == MemberActive
			out.Board = memberFrom(m).IsBoard() && viewer.Status == AccountActive
		case !errors.Is(err, store.ErrNotFound):
			return PartnerList{}, err
		}
	}
	if a.Settings.Visibility == VisibilityMembers && !member {
		return PartnerList{}, core.New(core.KindForbidden, "members-only", "this association shows its partners to its members only")
	}
	me, err := s.db.Actors().OfAssociation(ctx, a.ID)
	if err != nil {
		return PartnerList{}, err
	}
	limit = clampLimit(limit)
	rows, err := s.db.Follows().Partners(ctx, me.ID, !out.Board, after, limit+1)
	if err != nil {
		return PartnerList{}, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		out.Next = rows[limit-1].ActorID
	}
	out.Items = make([]Partner, len(rows))
	for i, r := range rows {
		out.Items[i] = partnerFrom(r)
	}
	return out, nil
}

// AddPartner is the board of association name making the association
// target (name@host or the URL of its actor) a partner: the association's
// actor follows target's (a Follow signed with the association's key for
// one elsewhere), and, when target already follows it or asked to, that
// follow is accepted. The partnership is mutual once target follows back.
// Adding a partner again asks again (the Follow is sent anew while
// unanswered) and changes nothing else.
func (s *Service) AddPartner(ctx context.Context, by Account, name, target string) (Partner, error) {
	a, err := s.Association(ctx, name)
	if err != nil {
		return Partner{}, err
	}
	if err := requireBoard(ctx, s.db.Tx, a.ID, by); err != nil {
		return Partner{}, err
	}
	// Found (perhaps fetched) before the transaction: no transaction waits
	// on another server.
	them, err := s.findPartner(ctx, a, target)
	if err != nil {
		return Partner{}, fmt.Errorf("add partner %s to %s: %w", target, name, err)
	}
	var out Partner
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		a, err := lockAssociation(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := requireBoard(ctx, tx, a.ID, by); err != nil {
			return err
		}
		me, err := tx.Actors().OfAssociation(ctx, a.ID)
		if err != nil {
			return err
		}
		if row, err := tx.Actors().ByID(ctx, them.ID); err != nil {
			return err
		} else if row.DeletedAt != nil {
			return ErrActorDeleted
		}
		if err := RefuseBlocked(ctx, tx, me, them.URI); err != nil {
			return err
		}
		changed, err := s.followPartner(ctx, tx, me, them)
		if err != nil {
			return err
		}
		accepted, err := s.acceptPartnerFollow(ctx, tx, me, them)
		if err != nil {
			return err
		}
		if changed || accepted {
			if err := recordBoard(ctx, tx, a.ID, by, "partner.add", Handle(them.Username, them.Host, them.Local), nil); err != nil {
				return err
			}
		}
		out, err = partnerBetween(ctx, tx, me.ID, them)
		return err
	})
	if err != nil {
		return Partner{}, fmt.Errorf("add partner %s to %s: %w", them.URI, name, err)
	}
	return out, nil
}

// findPartner finds the association target names, and checks it may be a
// partner of a: an association, not a itself, on a domain the instance
// federates with.
func (s *Service) findPartner(ctx context.Context, a Association, target string) (Actor, error) {
	q := strings.TrimSpace(target)
	switch {
	case q == "":
		return Actor{}, core.Invalid(core.FieldError{Field: "target", Code: "required", Detail: "give the association as name@host, or the URL of its actor"})
	case !utf8.ValidString(q) || utf8.RuneCountInString(q) > MaxPartnerQuery:
		return Actor{}, core.Invalid(core.FieldError{Field: "target", Code: "too-long", Detail: fmt.Sprintf("at most %d characters of UTF-8 text", MaxPartnerQuery)})
	case s.partners.finder == nil:
		return Actor{}, errNoFinder
	}
	them, err := s.partners.finder.Lookup(ctx, q)
	if err != nil {
		if e, ok := core.As(err); ok && e.Kind == core.KindInvalid && len(e.Fields) == 0 {
			return Actor{}, &core.Error{Kind: e.Kind, Code: e.Code, Detail: e.Detail, Err: err,
				Fields: []core.FieldError{{Field: "target", Code: e.Code, Detail: e.Detail}}}
		}
		return Actor{}, err
	}
	if them.AssociationID != nil && *them.AssociationID == a.ID {
		return Actor{}, core.Invalid(core.FieldError{Field: "target", Code: "partner-self", Detail: "an association cannot be its own partner"})
	}
	if them.Kind != ActorGroup {
		return Actor{}, core.Invalid(core.FieldError{Field: "target", Code: "not-an-association",
			Detail: fmt.Sprintf("%s@%s is not an association (a Group actor): only associations are partners", them.Username, them.Host)})
	}
	if !them.Local && s.partners.hosts != nil {
		if err := s.partners.hosts.RefuseHost(ctx, them.Host); err != nil {
			return Actor{}, err
		}
	}
	return them, nil
}

// followPartner makes me follow them, inside tx, unless it does already: a
// remote association is sent the Follow (again while it is unanswered);
// a local one answers at once, as its settings say, but accepts when it
// asked to follow me first. It reports whether a follow was made.
func (s *Service) followPartner(ctx context.Context, tx store.Tx, me store.Actor, them Actor) (bool, error) {
	existing, err := tx.Follows().Between(ctx, me.ID, them.ID)
	switch {
	case err == nil && (them.Local || existing.State == FollowAccepted):
		return false, nil
	case err == nil:
		return false, s.publish(ctx, tx, Publication{Type: "Follow", Actor: actorFrom(me), To: []Actor{them},
			Follow: &FollowRef{ActivityID: existing.ActivityID, Follower: me.URI, Followed: them.URI}})
	case !errors.Is(err, store.ErrNotFound):
		return false, err
	}
	now := s.now()
	row := store.Follow{ID: newID(), FollowerID: me.ID, FollowedID: them.ID, State: FollowPending, CreatedAt: now, UpdatedAt: now}
	row.ActivityID = s.policy.BaseURL + "/activities/" + row.ID.String()
	if them.Local {
		row.State = FollowAccepted
		other, err := tx.Associations().ByName(ctx, them.Username)
		if err != nil {
			return false, err
		}
		st, err := decodeSettings(other.Settings)
		if err != nil {
			return false, err
		}
		if asked, err := followsOrAsked(ctx, tx, them.ID, me.ID); err != nil {
			return false, err
		} else if st.FollowApproval && !asked {
			row.State = FollowPending
		}
	}
	if err := tx.Follows().Save(ctx, &row); err != nil {
		return false, err
	}
	if them.Local {
		return true, nil
	}
	return true, s.publish(ctx, tx, Publication{Type: "Follow", Actor: actorFrom(me), To: []Actor{them},
		Follow: &FollowRef{ActivityID: row.ActivityID, Follower: me.URI, Followed: them.URI}})
}

// acceptPartnerFollow accepts, inside tx, them's follow of me waiting for
// the board: adding them as a partner answers it. A remote association is
// sent the Accept.
func (s *Service) acceptPartnerFollow(ctx context.Context, tx store.Tx, me store.Actor, them Actor) (bool, error) {
	f, err := tx.Follows().Between(ctx, them.ID, me.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && f.State != FollowPending) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := tx.Follows().SetState(ctx, f.ID, FollowAccepted, s.now()); err != nil {
		return false, err
	}
	if them.Local {
		return true, nil
	}
	return true, s.publish(ctx, tx, Publication{Type: "Accept", Actor: actorFrom(me), To: []Actor{them},
		Follow: &FollowRef{ActivityID: f.ActivityID, Follower: them.URI, Followed: me.URI}})
}

// followsOrAsked reports whether follower follows followed, or asked to.
func followsOrAsked(ctx context.Context, tx store.Tx, follower, followed uuid.UUID) (bool, error) {
	_, err := tx.Follows().Between(ctx, follower, followed)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// partnerBetween reads, inside tx, the partnership of me with them.
func partnerBetween(ctx context.Context, tx store.Tx, me uuid.UUID, them Actor) (Partner, error) {
	p := Partner{ActorID: them.ID, URI: them.URI, Username: them.Username, Host: them.Host, DisplayName: them.DisplayName, Local: them.Local}
	var ours, theirs *store.Follow
	if f, err := tx.Follows().Between(ctx, me, them.ID); err == nil {
		ours = &f
	} else if !errors.Is(err, store.ErrNotFound) {
		return Partner{}, err
	}
	if f, err := tx.Follows().Between(ctx, them.ID, me); err == nil {
		theirs = &f
	} else if !errors.Is(err, store.ErrNotFound) {
		return Partner{}, err
	}
	if ours == nil && theirs == nil {
		return Partner{}, ErrNoSuchPartner
	}
	row := store.PartnerRow{ActorID: p.ActorID}
	if ours != nil {
		row.OurState, row.OurCreatedAt, row.OurUpdatedAt = &ours.State, &ours.CreatedAt, &ours.UpdatedAt
	}
	if theirs != nil {
		row.TheirState, row.TheirCreated, row.TheirUpdated = &theirs.State, &theirs.CreatedAt, &theirs.UpdatedAt
	}
	q := partnerFrom(row)
	p.State, p.Since = q.State, q.Since
	return p, nil
}

// EndPartnership is the board of association name ending the partnership
// with target (name@host, or its actor's URL), whatever its state: the
// association stops following target (a remote one is sent the Undo of the
// Follow) and target's follow of the association is removed (a remote one
// is sent the Reject of its Follow, as Mastodon removes a follower).
// ErrNoSuchPartner when neither follows the other.
func (s *Service) EndPartnership(ctx context.Context, by Account, name, target string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		a, err := lockAssociation(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := requireBoard(ctx, tx, a.ID, by); err != nil {
			return err
		}
		me, err := tx.Actors().OfAssociation(ctx, a.ID)
		if err != nil {
			return err
		}
		row, err := s.knownActor(ctx, tx, target)
		if err != nil {
			return err
		}
		them := actorFrom(row)
		if them.Kind != ActorGroup {
			return ErrNoSuchPartner
		}
		ended := false
		if f, err := tx.Follows().Between(ctx, me.ID, them.ID); err == nil {
			ended = true
			if err := tx.Follows().Delete(ctx, me.ID, them.ID); err != nil {
				return err
			}
			if !them.Local {
				if err := s.publish(ctx, tx, Publication{Type: "Undo", Actor: actorFrom(me), To: []Actor{them},
					Follow: &FollowRef{ActivityID: f.ActivityID, Follower: me.URI, Followed: them.URI}}); err != nil {
					return err
				}
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if f, err := tx.Follows().Between(ctx, them.ID, me.ID); err == nil {
			ended = true
			if err := tx.Follows().Delete(ctx, them.ID, me.ID); err != nil {
				return err
			}
			if !them.Local {
				if err := s.publish(ctx, tx, Publication{Type: "Reject", Actor: actorFrom(me), To: []Actor{them},
					Follow: &FollowRef{ActivityID: f.ActivityID, Follower: them.URI, Followed: me.URI}}); err != nil {
					return err
				}
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if !ended {
			return ErrNoSuchPartner
		}
		return recordBoard(ctx, tx, a.ID, by, "partner.end", Handle(them.Username, them.Host, them.Local), nil)
	})
	if err != nil {
		return fmt.Errorf("end partnership of %s with %s: %w", name, target, err)
	}
	return nil
}

// knownActor returns the actor target names (name@host, @name@host, a
// local name, or an actor's URL) among those this instance knows, without
// fetching: ErrNoSuchPartner when there is none.
func (s *Service) knownActor(ctx context.Context, tx store.Tx, target string) (store.Actor, error) {
	q := strings.TrimSpace(target)
	if q == "" || len(q) > MaxPartnerQuery {
		return store.Actor{}, ErrNoSuchPartner
	}
	var row store.Actor
	var err error
	if strings.HasPrefix(q, "https://") || strings.HasPrefix(q, "http://") {
		row, err = tx.Actors().ByURI(ctx, q)
	} else {
		q = strings.TrimPrefix(strings.TrimPrefix(q, "acct:"), "@")
		user, host, remote := strings.Cut(q, "@")
		if !remote || strings.EqualFold(host, s.policy.Host) {
			row, err = tx.Actors().Local(ctx, strings.ToLower(user))
		} else {
			row, err = tx.Actors().ByHandle(ctx, user, strings.ToLower(host))
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.Actor{}, ErrNoSuchPartner
	}
	return row, err
}
