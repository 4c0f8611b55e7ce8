package mastodon

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/version"
)

// Limits Holon announces to clients.
const (
	maxFeaturedTags   = 0 // Holon has no featured tags
	maxPinnedStatuses = 0
	reservedPerURL    = 23
	maxPollOptions    = 0 // nor polls
	avatarBytes       = membership.MaxAvatarBytes
	avatarPixels      = membership.MaxAvatarSide * membership.MaxAvatarSide
)

// mediaTypes are the images Holon accepts (avatars, for now).
var mediaTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}

// timestamp formats a time as Mastodon does (ISO 8601, milliseconds, UTC).
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type ruleJSON struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Hint string `json:"hint"`
}

func rulesJSON(rs []instance.Rule) []ruleJSON {
	out := make([]ruleJSON, 0, len(rs))
	for _, r := range rs {
		out = append(out, ruleJSON{ID: r.ID, Text: r.Text, Hint: ""})
	}
	return out
}

// accountJSON is Mastodon's Account entity, for the contact account.
type accountJSON struct {
	ID             string      `json:"id"`
	Username       string      `json:"username"`
	Acct           string      `json:"acct"`
	DisplayName    string      `json:"display_name"`
	Locked         bool        `json:"locked"`
	Bot            bool        `json:"bot"`
	Discoverable   bool        `json:"discoverable"`
	Group          bool        `json:"group"`
	CreatedAt      string      `json:"created_at"`
	Note           string      `json:"note"`
	URL            string      `json:"url"`
	URI            string      `json:"uri"`
	Avatar         string      `json:"avatar"`
	AvatarStatic   string      `json:"avatar_static"`
	Header         string      `json:"header"`
	HeaderStatic   string      `json:"header_static"`
	FollowersCount int         `json:"followers_count"`
	FollowingCount int         `json:"following_count"`
	StatusesCount  int         `json:"statuses_count"`
	LastStatusAt   *string     `json:"last_status_at"`
	Noindex        bool        `json:"noindex"`
	Emojis         []struct{}  `json:"emojis"`
	Fields         []fieldJSON `json:"fields"`
}

type fieldJSON struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// contactAccount is the settings' contact account, or nil when there is
// none (or it is gone).
func (h *handlers) contactAccount(ctx context.Context, name string) (*accountJSON, error) {
	if name == "" {
		return nil, nil
	}
	a, err := h.members.LocalActor(ctx, name)
	if errors.Is(err, membership.ErrNoSuchActor) || errors.Is(err, membership.ErrActorDeleted) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	display := a.DisplayName
	if acc, err := h.members.Account(ctx, name); err == nil && acc.DisplayName != "" {
		display = acc.DisplayName // a local actor's name is its account's
	}
	if display == "" {
		display = a.Username
	}
	// Clients expect an image address for the avatar and the header:
	// without an avatar, the instance's icon stands in for both.
	avatar := a.IconURL
	if avatar == "" {
		avatar = h.icon
	}
	fields := make([]fieldJSON, 0, len(a.Fields))
	for _, f := range a.Fields {
		fields = append(fields, fieldJSON{Name: f.Name, Value: f.Value})
	}
	profile := h.cfg.BaseURL() + "/@" + a.Username
	return &accountJSON{ID: a.ID.String(), Username: a.Username, Acct: a.Username, DisplayName: display,
		CreatedAt: timestamp(a.CreatedAt), Note: a.Summary, URL: profile, URI: a.URI, Avatar: avatar, AvatarStatic: avatar,
		Header: h.icon, HeaderStatic: h.icon, Discoverable: true, Emojis: []struct{}{}, Fields: fields}, nil
}

// current reads the settings, the public counts and the contact account.
func (h *handlers) current(ctx context.Context) (instance.Settings, store.Overview, *accountJSON, error) {
	set, err := h.instance.Get(ctx)
	if err != nil {
		return instance.Settings{}, store.Overview{}, nil, err
	}
	usage, err := h.instance.Usage(ctx)
	if err != nil {
		return instance.Settings{}, store.Overview{}, nil, err
	}
	contact, err := h.contactAccount(ctx, set.ContactAccount)
	if err != nil {
		return instance.Settings{}, store.Overview{}, nil, err
	}
	return set, usage, contact, nil
}

type statusesJSON struct {
	MaxCharacters            int `json:"max_characters"`
	MaxMediaAttachments      int `json:"max_media_attachments"`
	CharactersReservedPerURL int `json:"characters_reserved_per_url"`
}

type mediaJSON struct {
	SupportedMimeTypes  []string `json:"supported_mime_types"`
	DescriptionLimit    int      `json:"description_limit,omitempty"`
	ImageSizeLimit      int      `json:"image_size_limit"`
	ImageMatrixLimit    int      `json:"image_matrix_limit"`
	VideoSizeLimit      int      `json:"video_size_limit"`
	VideoFrameRateLimit int      `json:"video_frame_rate_limit"`
	VideoMatrixLimit    int      `json:"video_matrix_limit"`
}

type pollsJSON struct {
	MaxOptions             int `json:"max_options"`
	MaxCharactersPerOption int `json:"max_characters_per_option"`
	MinExpiration          int `json:"min_expiration"`
	MaxExpiration          int `json:"max_expiration"`
}

type accountsLimitsJSON struct {
	MaxFeaturedTags   int  `json:"max_featured_tags"`
	MaxPinnedStatuses *int `json:"max_pinned_statuses,omitempty"`
}

func limits() (statusesJSON, mediaJSON, pollsJSON) {
	return statusesJSON{MaxCharacters: news.MaxSourceLength, MaxMediaAttachments: 0, CharactersReservedPerURL: reservedPerURL},
		mediaJSON{SupportedMimeTypes: mediaTypes, ImageSizeLimit: avatarBytes, ImageMatrixLimit: avatarPixels},
		pollsJSON{MaxOptions: maxPollOptions, MaxCharactersPerOption: 0, MinExpiration: 0, MaxExpiration: 0}
}

// v1InstanceJSON is Mastodon's V1::Instance entity.
type v1InstanceJSON struct {
	URI              string `json:"uri"`
	Title            string `json:"title"`
	ShortDescription string `json:"short_description"`
	Description      string `json:"description"`
	Email            string `json:"email"`
	Version          string `json:"version"`
	URLs             struct {
		StreamingAPI string `json:"streaming_api"`
	} `json:"urls"`
	Stats struct {
		UserCount   int `json:"user_count"`
		StatusCount int `json:"status_count"`
		DomainCount int `json:"domain_count"`
	} `json:"stats"`
	Thumbnail        *string      `json:"thumbnail"`
	Languages        []string     `json:"languages"`
	Registrations    bool         `json:"registrations"`
	ApprovalRequired bool         `json:"approval_required"`
	InvitesEnabled   bool         `json:"invites_enabled"`
	Configuration    v1Config     `json:"configuration"`
	ContactAccount   *accountJSON `json:"contact_account"`
	Rules            []ruleJSON   `json:"rules"`
}

type v1Config struct {
	Accounts         accountsLimitsJSON `json:"accounts"`
	Statuses         statusesJSON       `json:"statuses"`
	MediaAttachments mediaJSON          `json:"media_attachments"`
	Polls            pollsJSON          `json:"polls"`
}

func (h *handlers) instanceV1(w http.ResponseWriter, r *http.Request) {
	set, usage, contact, err := h.current(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	doc := v1InstanceJSON{URI: h.cfg.Server.Host, Title: set.Name, ShortDescription: set.ShortDescription,
		Description: instance.HTML(set.ExtendedDescription), Email: set.ContactEmail, Version: Version,
		Languages: set.Languages, Registrations: set.Registrations != membership.RegistrationsClosed,
		ApprovalRequired: set.Registrations == membership.RegistrationsApproval, ContactAccount: contact, Rules: rulesJSON(set.Rules)}
	doc.URLs.StreamingAPI = h.streamingURL()
	doc.Stats.UserCount = usage.AccountsByStatus[membership.AccountActive]
	doc.Stats.StatusCount = usage.LocalNotes
	doc.Stats.DomainCount = usage.RemoteHosts
	doc.Configuration.Accounts.MaxFeaturedTags = maxFeaturedTags
	doc.Configuration.Statuses, doc.Configuration.MediaAttachments, doc.Configuration.Polls = limits()
	writeJSON(w, r, http.StatusOK, doc)
}

// streamingURL is where Mastodon's streaming API would be; Holon has none
// yet, and clients treat the address as a hint.
func (h *handlers) streamingURL() string {
	if h.cfg.Server.Protocol == "https" {
		return "wss://" + h.cfg.Server.Host
	}
	return "ws://" + h.cfg.Server.Host
}

// v2InstanceJSON is Mastodon 4.3's Instance entity.
type v2InstanceJSON struct {
	Domain      string `json:"domain"`
	Title       string `json:"title"`
	Version     string `json:"version"`
	SourceURL   string `json:"source_url"`
	Description string `json:"description"`
	Usage       struct {
		Users struct {
			ActiveMonth int `json:"active_month"`
		} `json:"users"`
	} `json:"usage"`
	Thumbnail struct {
		URL string `json:"url"`
	} `json:"thumbnail"`
	Icon          []struct{} `json:"icon"`
	Languages     []string   `json:"languages"`
	Configuration struct {
		URLs struct {
			Streaming     string `json:"streaming"`
			Status        string `json:"status"`
			About         string `json:"about"`
			PrivacyPolicy string `json:"privacy_policy"`
		} `json:"urls"`
		Vapid struct {
			PublicKey string `json:"public_key"`
		} `json:"vapid"`
		Accounts         accountsLimitsJSON `json:"accounts"`
		Statuses         statusesJSON       `json:"statuses"`
		MediaAttachments mediaJSON          `json:"media_attachments"`
		Polls            pollsJSON          `json:"polls"`
		Translation      struct {
			Enabled bool `json:"enabled"`
		} `json:"translation"`
	} `json:"configuration"`
	Registrations struct {
		Enabled          bool    `json:"enabled"`
		ApprovalRequired bool    `json:"approval_required"`
		Message          *string `json:"message"`
		URL              *string `json:"url"`
	} `json:"registrations"`
	APIVersions struct {
		Mastodon int `json:"mastodon"`
	} `json:"api_versions"`
	Contact struct {
		Email   string       `json:"email"`
		Account *accountJSON `json:"account"`
	} `json:"contact"`
	Rules []ruleJSON `json:"rules"`
}

func (h *handlers) instanceV2(w http.ResponseWriter, r *http.Request) {
	set, usage, contact, err := h.current(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := h.cfg.BaseURL()
	doc := v2InstanceJSON{Domain: h.cfg.Server.Host, Title: set.Name, Version: Version, SourceURL: version.Repository,
		Description: set.ShortDescription, Icon: []struct{}{}, Languages: set.Languages, Rules: rulesJSON(set.Rules)}
	// Holon does not count monthly activity yet: active accounts stand in.
	doc.Usage.Users.ActiveMonth = usage.AccountsByStatus[membership.AccountActive]
	doc.Thumbnail.URL = h.icon
	c := &doc.Configuration
	c.URLs.Streaming = h.streamingURL()
	c.URLs.Status = ""
	c.URLs.About = base + "/about"
	c.URLs.PrivacyPolicy = base + "/privacy-policy"
	pinned := maxPinnedStatuses
	c.Accounts = accountsLimitsJSON{MaxFeaturedTags: maxFeaturedTags, MaxPinnedStatuses: &pinned}
	c.Statuses, c.MediaAttachments, c.Polls = limits()
	c.MediaAttachments.DescriptionLimit = 1500
	doc.Registrations.Enabled = set.Registrations != membership.RegistrationsClosed
	doc.Registrations.ApprovalRequired = set.Registrations == membership.RegistrationsApproval
	doc.APIVersions.Mastodon = APIVersion
	doc.Contact.Email, doc.Contact.Account = set.ContactEmail, contact
	writeJSON(w, r, http.StatusOK, doc)
}

func (h *handlers) rules(w http.ResponseWriter, r *http.Request) {
	set, err := h.instance.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, rulesJSON(set.Rules))
}

// textJSON is Mastodon's PrivacyPolicy and ExtendedDescription entities.
type textJSON struct {
	UpdatedAt string `json:"updated_at"`
	Content   string `json:"content"`
}

func (h *handlers) privacyPolicy(w http.ResponseWriter, r *http.Request) {
	h.text(w, r, func(s instance.Settings) string { return s.PrivacyPolicy })
}

func (h *handlers) extendedDescription(w http.ResponseWriter, r *http.Request) {
	h.text(w, r, func(s instance.Settings) string { return s.ExtendedDescription })
}

func (h *handlers) text(w http.ResponseWriter, r *http.Request, of func(instance.Settings) string) {
	set, err := h.instance.Get(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Before the first save, the texts are empty and date from nowhere in
	// particular: the Unix epoch says so.
	updated := set.UpdatedAt
	if !set.Saved() {
		updated = time.Unix(0, 0)
	}
	writeJSON(w, r, http.StatusOK, textJSON{UpdatedAt: timestamp(updated), Content: instance.HTML(of(set))})
}
