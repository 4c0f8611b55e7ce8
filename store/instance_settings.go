package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// InstanceSettings is the instance's settings row, as admins saved them.
// Languages and Rules are JSON arrays.
type InstanceSettings struct {
	bun.BaseModel `bun:"table:instance_settings"`

	ID                  int       `bun:"id,pk"`
	Name                string    `bun:"name"`
	ShortDescription    string    `bun:"short_description"`
	ExtendedDescription string    `bun:"extended_description"`
	ContactEmail        string    `bun:"contact_email"`
	ContactAccount      string    `bun:"contact_account"`
	Languages           string    `bun:"languages"`
	Registrations       string    `bun:"registrations"`
	AssociationCreation string    `bun:"association_creation"`
	Rules               string    `bun:"rules"`
	PrivacyPolicy       string    `bun:"privacy_policy"`
	UpdatedAt           time.Time `bun:"updated_at"`
}

// Settings reads and writes the instance's settings row.
type Settings struct{ tx Tx }

// InstanceSettings returns the settings repository.
func (t Tx) InstanceSettings() Settings { return Settings{t} }

// Get returns the saved settings; ErrNotFound before the first save.
func (r Settings) Get(ctx context.Context) (InstanceSettings, error) {
	var s InstanceSettings
	if err := r.tx.idb.NewSelect().Model(&s).Where("id = 1").Scan(ctx); err != nil {
		return InstanceSettings{}, notFound(err, "read the instance settings")
	}
	return s, nil
}

// Policy returns the saved registration mode and who may create
// associations, reading only those columns; ErrNotFound before the first
// save.
func (r Settings) Policy(ctx context.Context) (registrations, associationCreation string, err error) {
	var s InstanceSettings
	if err := r.tx.idb.NewSelect().Model(&s).Column("registrations", "association_creation").Where("id = 1").Scan(ctx); err != nil {
		return "", "", notFound(err, "read the registration mode")
	}
	return s.Registrations, s.AssociationCreation, nil
}

// Save writes s as the settings row, creating it on the first save.
func (r Settings) Save(ctx context.Context, s *InstanceSettings) error {
	s.ID = 1
	_, err := r.tx.idb.NewInsert().Model(s).
		On("CONFLICT (id) DO UPDATE").
		Set("name = EXCLUDED.name").
		Set("short_description = EXCLUDED.short_description").
		Set("extended_description = EXCLUDED.extended_description").
		Set("contact_email = EXCLUDED.contact_email").
		Set("contact_account = EXCLUDED.contact_account").
		Set("languages = EXCLUDED.languages").
		Set("registrations = EXCLUDED.registrations").
		Set("association_creation = EXCLUDED.association_creation").
		Set("rules = EXCLUDED.rules").
		Set("privacy_policy = EXCLUDED.privacy_policy").
		Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return wrapWrite(err, "save the instance settings")
}
