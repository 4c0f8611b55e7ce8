package membership

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// ProfileField is one line of the table a profile shows ("Website" and a
// link), Mastodon's PropertyValue on the wire.
type ProfileField struct {
	Name string // plain text
	// Value is, for a local actor, the plain text its owner wrote; for a
	// remote actor, the sanitised HTML its server sent.
	Value string
	// HTML is what to show, safe as it is: a local value escaped, or made
	// a link when it is an http(s) URL; a remote value as stored.
	HTML string
}

// Bounds on the profile fields of local actors.
const (
	MaxProfileFields = 4
	MaxFieldName     = 50  // characters
	MaxFieldValue    = 200 // characters
)

// storedField is a profile field as the actors table keeps it.
type storedField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// decodeFields reads the stored fields; a local actor's values are plain
// text and get their HTML here.
func decodeFields(raw string, local bool) []ProfileField {
	var stored []storedField
	if raw == "" || json.Unmarshal([]byte(raw), &stored) != nil {
		return nil
	}
	out := make([]ProfileField, 0, len(stored))
	for _, f := range stored {
		p := ProfileField{Name: f.Name, Value: f.Value, HTML: f.Value}
		if local {
			p.HTML = fieldHTML(f.Value)
		}
		out = append(out, p)
	}
	return out
}

func encodeFields(fields []ProfileField) string {
	stored := make([]storedField, len(fields))
	for i, f := range fields {
		stored[i] = storedField{Name: f.Name, Value: f.Value}
	}
	b, err := json.Marshal(stored)
	if err != nil {
		return "[]" // strings always marshal
	}
	return string(b)
}

// fieldHTML renders a local field's plain-text value: escaped, or a link
// (rel="me", as Mastodon makes them, so that the linked page can verify it)
// when it is an http(s) URL.
func fieldHTML(value string) string {
	if core.IsHTTPURL(value) && !strings.ContainsAny(value, " \t\r\n") {
		shown := strings.TrimPrefix(strings.TrimPrefix(value, "https://"), "http://")
		return `<a href="` + html.EscapeString(value) + `" rel="me nofollow noopener noreferrer" target="_blank">` +
			html.EscapeString(shown) + `</a>`
	}
	return html.EscapeString(value)
}

// checkFields bounds the fields a local owner gives: at most
// MaxProfileFields, each with a name; lines left entirely empty are
// dropped (a form shows empty lines to fill in).
func checkFields(in []ProfileField, fe *fieldErrors) []ProfileField {
	var out []ProfileField
	for i, f := range in {
		name, e := checkText(fmt.Sprintf("fields[%d].name", i), f.Name, MaxFieldName, false)
		fe.add(e)
		value, e2 := checkText(fmt.Sprintf("fields[%d].value", i), f.Value, MaxFieldValue, false)
		fe.add(e2)
		if e != nil || e2 != nil || (name == "" && value == "") {
			continue
		}
		if name == "" {
			fe.add(&core.FieldError{Field: fmt.Sprintf("fields[%d].name", i), Code: "required", Detail: "a field with a value needs a name"})
			continue
		}
		out = append(out, ProfileField{Name: name, Value: value, HTML: fieldHTML(value)})
	}
	if len(out) > MaxProfileFields {
		fe.add(&core.FieldError{Field: "fields", Code: "too-many-fields", Detail: fmt.Sprintf("at most %d fields", MaxProfileFields)})
	}
	return out
}

// Profile is what a local actor's document shows of it besides what Actor
// carries (identity, key, fields, icon).
type Profile struct {
	DisplayName               string
	Summary                   string // plain text
	ManuallyApprovesFollowers bool
	// Location is where an association is (nil: it says nothing).
	Location *Location
}

// LocalProfile returns the local actor named name with its profile. A
// deleted actor is ErrActorDeleted, with the actor as LocalActor gives it.
func (s *Service) LocalProfile(ctx context.Context, name string) (Actor, Profile, error) {
	a, err := s.LocalActor(ctx, name)
	if err != nil {
		return a, Profile{}, err
	}
	row, err := s.db.Actors().ByID(ctx, a.ID)
	if err != nil {
		return Actor{}, Profile{}, err
	}
	p, err := localProfile(ctx, s.db.Tx, row)
	return a, p, err
}

func localProfile(ctx context.Context, tx store.Tx, row store.Actor) (Profile, error) {
	p := Profile{DisplayName: row.Username}
	switch {
	case row.AccountID != nil:
		acc, err := tx.Accounts().ByID(ctx, *row.AccountID)
		if err != nil {
			return Profile{}, fmt.Errorf("profile of %s: %w", row.Username, err)
		}
		p.DisplayName = acc.DisplayName
		p.Summary = row.Summary // a person's bio, kept on its actor
	case row.AssociationID != nil:
		a, err := tx.Associations().ByName(ctx, row.Username)
		if err != nil {
			return Profile{}, fmt.Errorf("profile of %s: %w", row.Username, err)
		}
		settings, err := decodeSettings(a.Settings)
		if err != nil {
			return Profile{}, err
		}
		p = Profile{DisplayName: a.DisplayName, Summary: a.Summary, ManuallyApprovesFollowers: settings.FollowApproval}
		if p.Location, err = locationOf(ctx, tx, a.ID); err != nil {
			return Profile{}, err
		}
	}
	return p, nil
}

// publishProfile records that the document of the local actor id changed
// now, and publishes an Update of it, as it now is, to its followers'
// servers, inside the transaction of the change. With no follower
// elsewhere there is no one to tell.
func (s *Service) publishProfile(ctx context.Context, tx store.Tx, id uuid.UUID) error {
	if err := tx.Actors().TouchProfile(ctx, id, s.now()); err != nil {
		return err
	}
	row, err := tx.Actors().ByID(ctx, id)
	if err != nil {
		return err
	}
	inboxes, err := tx.Follows().FollowerInboxes(ctx, row.ID)
	if err != nil || len(inboxes) == 0 {
		return err
	}
	p, err := localProfile(ctx, tx, row)
	if err != nil {
		return err
	}
	return s.publish(ctx, tx, Publication{Type: "Update", Actor: actorFrom(row), Profile: &p, Inboxes: inboxes})
}

// setFields replaces the fields of the local actor row and reports whether
// they changed.
func (s *Service) setFields(ctx context.Context, tx store.Tx, row store.Actor, fields []ProfileField) (bool, error) {
	next := encodeFields(fields)
	if next == row.Fields || (row.Fields == "" && next == "[]") {
		return false, nil
	}
	return true, tx.Actors().SetFields(ctx, row.ID, next, s.now())
}

// profileOwner returns the live local actor named name when by may change
// its profile: a person their own, a board member their association's.
func profileOwner(ctx context.Context, tx store.Tx, by Account, name string) (store.Actor, error) {
	if by.Status != AccountActive {
		return store.Actor{}, ErrNotAllowed
	}
	n, fe := NormalizeName("name", name)
	if fe != nil {
		return store.Actor{}, ErrNoSuchActor
	}
	row, err := tx.Actors().Local(ctx, n)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Actor{}, ErrNoSuchActor
	case err != nil:
		return store.Actor{}, err
	case row.DeletedAt != nil:
		return store.Actor{}, ErrActorDeleted
	case row.AccountID != nil && *row.AccountID == by.ID:
		return row, nil
	case row.AssociationID != nil:
		return row, requireBoard(ctx, tx, *row.AssociationID, by)
	}
	return store.Actor{}, ErrNotAllowed
}
