package membership

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Association is a group that members run together: a Group actor on the
// wire.
type Association struct {
	ID          uuid.UUID
	Name        string
	DisplayName string
	Summary     string
	Statutes    string
	Settings    Settings
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func associationFrom(r store.Association) (Association, error) {
	s, err := decodeSettings(r.Settings)
	if err != nil {
		return Association{}, fmt.Errorf("association %s: %w", r.Name, err)
	}
	return Association{ID: r.ID, Name: r.Name, DisplayName: r.DisplayName, Summary: r.Summary,
		Statutes: r.Statutes, Settings: s, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}, nil
}

// Bounds on an association's texts.
const (
	MaxDisplayName = 100
	MaxSummary     = 500
	MaxStatutes    = 100_000
)

// NewAssociation is what its founder gives.
type NewAssociation struct {
	Name        string
	DisplayName string
	Summary     string
	Statutes    string
	Currency    string
}

// MayCreateAssociation reports whether by may found an association on this
// instance (MayCreate, refusing when the settings cannot be read).
func (s *Service) MayCreateAssociation(by Account) bool {
	ok, err := s.MayCreate(context.Background(), by)
	return err == nil && ok
}

// CreateAssociation founds an association; its founder becomes its first
// board member.
func (s *Service) CreateAssociation(ctx context.Context, by Account, in NewAssociation) (Association, error) {
	if ok, err := s.MayCreate(ctx, by); err != nil {
		return Association{}, err
	} else if !ok {
		return Association{}, core.New(core.KindForbidden, "creation-not-allowed", "on this instance only administrators may create associations")
	}
	var fe fieldErrors
	name, e := NormalizeName("name", in.Name)
	fe.add(e)
	display, e := checkText("display_name", in.DisplayName, MaxDisplayName, false)
	fe.add(e)
	summary, e := checkText("summary", in.Summary, MaxSummary, false)
	fe.add(e)
	statutes, e := checkText("statutes", in.Statutes, MaxStatutes, false)
	fe.add(e)
	settings := DefaultSettings()
	if in.Currency != "" {
		settings = settings.apply(SettingsChange{Currency: &in.Currency}, &fe)
	}
	if err := fe.err(); err != nil {
		return Association{}, err
	}
	if display == "" {
		display = name
	}
	now := s.now()
	founder := by.ID
	row := store.Association{ID: newID(), Name: name, DisplayName: display, Summary: summary,
		Statutes: statutes, Settings: settings.encode(), CreatedBy: &founder, CreatedAt: now, UpdatedAt: now}
	actor, err := s.newLocalActor(ActorGroup, name, now)
	if err != nil {
		return Association{}, err
	}
	actor.AssociationID = &row.ID
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		if err := claimName(ctx, tx, name, "association", now); err != nil {
			return err
		}
		if err := tx.Associations().Create(ctx, &row); err != nil {
			return err
		}
		if err := tx.Actors().Create(ctx, &actor); err != nil {
			return err
		}
		founder, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return err
		}
		account := by.ID
		if err := tx.Associations().AddMembership(ctx, &store.Membership{
			ID: newID(), AssociationID: row.ID, ActorID: founder.ID, AccountID: &account, Role: MemberBoard, Status: MemberActive,
			RequestedAt: now, JoinedAt: &now, UpdatedAt: now,
		}); err != nil {
			return err
		}
		if s.policy.AssociationCreation != CreationByAdmins {
			return nil // anyone may: not an admin's act
		}
		return recordAdmin(ctx, tx, by, "association.create", Handle(name, "", true), nil)
	})
	if err != nil {
		return Association{}, fmt.Errorf("create association %s: %w", name, err)
	}
	return associationFrom(row)
}

// Association returns the association named name.
func (s *Service) Association(ctx context.Context, name string) (Association, error) {
	n, fe := NormalizeName("name", name)
	if fe != nil {
		return Association{}, ErrNoSuchAssociation
	}
	row, err := s.db.Associations().ByName(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return Association{}, ErrNoSuchAssociation
	}
	if err != nil {
		return Association{}, err
	}
	return associationFrom(row)
}

// Associations lists associations by name, limit at a time, after the name
// cursor; next is the cursor of the following page, "" at the end.
func (s *Service) Associations(ctx context.Context, after string, limit int) (list []Association, next string, err error) {
	limit = clampLimit(limit)
	rows, err := s.db.Associations().List(ctx, after, limit+1)
	if err != nil {
		return nil, "", err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].Name
	}
	for _, r := range rows {
		a, err := associationFrom(r)
		if err != nil {
			return nil, "", err
		}
		list = append(list, a)
	}
	return list, next, nil
}

// AssociationChange holds what the board changes; nil fields stay.
type AssociationChange struct {
	DisplayName *string
	Summary     *string
	Statutes    *string
	Fields      *[]ProfileField // replace the profile's fields when given
	Settings    SettingsChange
	// Location replaces where the association is when given; a zero
	// Location forgets it.
	Location *Location
}

// UpdateAssociation applies ch, as a board member of association name.
func (s *Service) UpdateAssociation(ctx context.Context, by Account, name string, ch AssociationChange) (Association, error) {
	var out store.Association
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := lockAssociation(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := requireBoard(ctx, tx, row.ID, by); err != nil {
			return err
		}
		current, err := decodeSettings(row.Settings)
		if err != nil {
			return err
		}
		before := row
		var fe fieldErrors
		var e *core.FieldError
		if ch.DisplayName != nil {
			row.DisplayName, e = checkText("display_name", *ch.DisplayName, MaxDisplayName, true)
			fe.add(e)
		}
		if ch.Summary != nil {
			row.Summary, e = checkText("summary", *ch.Summary, MaxSummary, false)
			fe.add(e)
		}
		if ch.Statutes != nil {
			row.Statutes, e = checkText("statutes", *ch.Statutes, MaxStatutes, false)
			fe.add(e)
		}
		settings := current.apply(ch.Settings, &fe)
		var fields []ProfileField
		if ch.Fields != nil {
			fields = checkFields(*ch.Fields, &fe)
		}
		var location Location
		if ch.Location != nil {
			location = checkLocation(*ch.Location, &fe)
		}
		if err := fe.err(); err != nil {
			return err
		}
		// What the Group's document shows: a change is published.
		shown := row.DisplayName != before.DisplayName || row.Summary != before.Summary ||
			settings.FollowApproval != current.FollowApproval
		row.Settings = settings.encode()
		row.UpdatedAt = s.now()
		out = row
		if err := tx.Associations().Update(ctx, &row); err != nil {
			return err
		}
		if err := recordBoard(ctx, tx, row.ID, by, "association.update", Handle(row.Name, "", true),
			ch.named()); err != nil {
			return err
		}
		actor, err := tx.Actors().OfAssociation(ctx, row.ID)
		if err != nil {
			return err
		}
		if ch.Fields != nil {
			changed, err := s.setFields(ctx, tx, actor, fields)
			if err != nil {
				return err
			}
			shown = shown || changed
		}
		if ch.Location != nil {
			changed, err := s.setLocation(ctx, tx, row.ID, location)
			if err != nil {
				return err
			}
			shown = shown || changed
		}
		if !shown {
			return nil
		}
		return s.publishProfile(ctx, tx, actor.ID)
	})
	if err != nil {
		return Association{}, fmt.Errorf("update association %s: %w", name, err)
	}
	return associationFrom(out)
}

// Page sizes of lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

func clampLimit(limit int) int {
	if limit <= 0 {
		return DefaultPageSize
	}
	return min(limit, MaxPageSize)
}
