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
	imageBytes        = membership.MaxImageBytes
	imagePixels       = membership.MaxImagePixels
)

// mediaTypes are the images Holon accepts (avatars: JPEG and PNG; the
// images of statuses: all four).
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
	acc, err := h.accountOf(ctx, a)
	if err != nil {
		return nil, err
	}
	return &acc, nil
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
	return statusesJSON{MaxCharacters: news.MaxSourceLength, MaxMediaAttachments: news.MaxAttachments, CharactersReservedPerURL: reservedPerURL},
		mediaJSON{SupportedMimeTypes: mediaTypes, ImageSizeLimit: imageBytes, ImageMatrixLimit: imagePixels},
		pollsJSON{MaxOptions: news.MaxPollOptions, MaxCharactersPerOption: news.MaxPollOptionLength,
			MinExpiration: int(news.MinPollExpiry / time.Second), MaxExpiration: int(news.MaxPollExpiry / time.Second)}
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

// streamingURL is the base of Mastodon's streaming API (streaming.go):
// clients add /api/v1/streaming to it. Holon serves it on the same host
// and port as the rest of the API.
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
	c.MediaAttachments.DescriptionLimit = news.MaxDescriptionLength
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
