package mastodon

import (
	"context"
	"errors"
	"fmt"

	"github.com/holon-network/holon/core/membership"
)

// accountOf maps an actor to Mastodon's Account entity: acct is name for a
// local actor and name@host for a remote one, an association (a Group) is
// a group account. Without an avatar or a header, the instance's icon
// stands in: clients expect image addresses.
func (h *handlers) accountOf(ctx context.Context, a membership.Actor) (accountJSON, error) {
	display := a.DisplayName
	acct := a.Username + "@" + a.Host
	profile := a.URL
	if a.Local {
		acct = a.Username
		profile = h.cfg.BaseURL() + "/@" + a.Username
		// A batch read (ActorsByURIs) has already put the account's name
		// in DisplayName: no read per account then.
		if a.AccountID != nil && display == "" {
			if acc, err := h.members.Account(ctx, a.Username); err == nil && acc.DisplayName != "" {
				display = acc.DisplayName // a local person's name is its account's
			} else if err != nil && !errors.Is(err, membership.ErrNoSuchAccount) {
				return accountJSON{}, fmt.Errorf("account of %s: %w", a.Username, err)
			}
		}
	}
	if profile == "" {
		profile = a.URI
	}
	if display == "" {
		display = a.Username
	}
	avatar := a.IconURL
	if avatar == "" {
		avatar = h.icon
	}
	fields := make([]fieldJSON, 0, len(a.Fields))
	for _, f := range a.Fields {
		fields = append(fields, fieldJSON{Name: f.Name, Value: f.Value})
	}
	return accountJSON{ID: a.ID.String(), Username: a.Username, Acct: acct, DisplayName: display,
		Group: a.Kind == "Group", Bot: a.Kind == "Application" || a.Kind == "Service",
		CreatedAt: timestamp(a.CreatedAt), Note: a.Summary, URL: profile, URI: a.URI, Avatar: avatar, AvatarStatic: avatar,
		Header: h.icon, HeaderStatic: h.icon, Discoverable: true, Emojis: []emojiJSON{}, Fields: fields}, nil
}
