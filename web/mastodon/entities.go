package mastodon

// Mastodon's entities, as Mastodon 4.3 serialises them: every id a string,
// every array present (never null), times as timestamp() writes them.
// Nullable values are pointers.

// accountJSON is Mastodon's Account entity. An association is an account
// with group: true.
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
	Emojis         []emojiJSON `json:"emojis"`
	Fields         []fieldJSON `json:"fields"`
	// Source and Role are present on verify_credentials only.
	Source *sourceJSON `json:"source,omitempty"`
	Role   *roleJSON   `json:"role,omitempty"`
}

type fieldJSON struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

// sourceJSON is the account's own view of its profile (CredentialAccount).
type sourceJSON struct {
	Privacy             string      `json:"privacy"`
	Sensitive           bool        `json:"sensitive"`
	Language            string      `json:"language"`
	Note                string      `json:"note"`
	Fields              []fieldJSON `json:"fields"`
	FollowRequestsCount int         `json:"follow_requests_count"`
}

type roleJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Color       string `json:"color"`
	Permissions string `json:"permissions"`
	Highlighted bool   `json:"highlighted"`
}

// emojiJSON is a custom emoji; Holon has none, but the type keeps the
// arrays typed.
type emojiJSON struct {
	Shortcode       string `json:"shortcode"`
	URL             string `json:"url"`
	StaticURL       string `json:"static_url"`
	VisibleInPicker bool   `json:"visible_in_picker"`
}

// statusJSON is Mastodon's Status entity.
type statusJSON struct {
	ID                 string           `json:"id"`
	URI                string           `json:"uri"`
	CreatedAt          string           `json:"created_at"`
	Account            accountJSON      `json:"account"`
	Content            string           `json:"content"`
	Visibility         string           `json:"visibility"`
	Sensitive          bool             `json:"sensitive"`
	SpoilerText        string           `json:"spoiler_text"`
	MediaAttachments   []attachmentJSON `json:"media_attachments"`
	Application        *applicationRef  `json:"application"`
	Mentions           []mentionJSON    `json:"mentions"`
	Tags               []tagRefJSON     `json:"tags"`
	Emojis             []emojiJSON      `json:"emojis"`
	ReblogsCount       int              `json:"reblogs_count"`
	FavouritesCount    int              `json:"favourites_count"`
	RepliesCount       int              `json:"replies_count"`
	URL                *string          `json:"url"`
	InReplyToID        *string          `json:"in_reply_to_id"`
	InReplyToAccountID *string          `json:"in_reply_to_account_id"`
	Reblog             *statusJSON      `json:"reblog"`
	Poll               *pollJSON        `json:"poll"`
	Card               *cardJSON        `json:"card"`
	Language           *string          `json:"language"`
	Text               *string          `json:"text"`
	EditedAt           *string          `json:"edited_at"`
	Favourited         bool             `json:"favourited"`
	Reblogged          bool             `json:"reblogged"`
	Muted              bool             `json:"muted"`
	Bookmarked         bool             `json:"bookmarked"`
	Pinned             bool             `json:"pinned"`
	Filtered           []struct{}       `json:"filtered"`
}

// applicationRef is the application a status was posted with.
type applicationRef struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

type mentionJSON struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

// tagRefJSON is a hashtag as a status lists it.
type tagRefJSON struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// tagJSON is Mastodon's Tag entity (search results, followed tags).
type tagJSON struct {
	Name      string        `json:"name"`
	URL       string        `json:"url"`
	History   []tagHistJSON `json:"history"`
	Following *bool         `json:"following,omitempty"`
}

type tagHistJSON struct {
	Day      string `json:"day"`
	Uses     string `json:"uses"`
	Accounts string `json:"accounts"`
}

// attachmentJSON is Mastodon's MediaAttachment entity.
type attachmentJSON struct {
	ID          string  `json:"id"`
	Type        string  `json:"type"` // image, gifv, video, audio, unknown
	URL         *string `json:"url"`
	PreviewURL  *string `json:"preview_url"`
	RemoteURL   *string `json:"remote_url"`
	Meta        any     `json:"meta"`
	Description *string `json:"description"`
	Blurhash    *string `json:"blurhash"`
}

// cardJSON is Mastodon's PreviewCard entity: the link card under a
// project, a task, an event or a proposal.
type cardJSON struct {
	URL          string  `json:"url"`
	Title        string  `json:"title"`
	Description  string  `json:"description"`
	Type         string  `json:"type"` // link
	AuthorName   string  `json:"author_name"`
	AuthorURL    string  `json:"author_url"`
	ProviderName string  `json:"provider_name"`
	ProviderURL  string  `json:"provider_url"`
	HTML         string  `json:"html"`
	Width        int     `json:"width"`
	Height       int     `json:"height"`
	Image        *string `json:"image"`
	EmbedURL     string  `json:"embed_url"`
	Blurhash     *string `json:"blurhash"`
	Language     *string `json:"language"`
}

// pollJSON is Mastodon's Poll entity; voted and own_votes are present
// when a user asks.
type pollJSON struct {
	ID          string           `json:"id"`
	ExpiresAt   *string          `json:"expires_at"`
	Expired     bool             `json:"expired"`
	Multiple    bool             `json:"multiple"`
	VotesCount  int              `json:"votes_count"`
	VotersCount *int             `json:"voters_count"`
	Options     []pollOptionJSON `json:"options"`
	Emojis      []emojiJSON      `json:"emojis"`
	Voted       *bool            `json:"voted,omitempty"`
	OwnVotes    []int            `json:"own_votes,omitempty"`
}

type pollOptionJSON struct {
	Title      string `json:"title"`
	VotesCount *int   `json:"votes_count"`
}

// contextJSON is Mastodon's Context entity.
type contextJSON struct {
	Ancestors   []statusJSON `json:"ancestors"`
	Descendants []statusJSON `json:"descendants"`
}

// relationshipJSON is Mastodon's Relationship entity.
type relationshipJSON struct {
	ID                  string   `json:"id"`
	Following           bool     `json:"following"`
	ShowingReblogs      bool     `json:"showing_reblogs"`
	Notifying           bool     `json:"notifying"`
	Languages           []string `json:"languages"`
	FollowedBy          bool     `json:"followed_by"`
	Blocking            bool     `json:"blocking"`
	BlockedBy           bool     `json:"blocked_by"`
	Muting              bool     `json:"muting"`
	MutingNotifications bool     `json:"muting_notifications"`
	Requested           bool     `json:"requested"`
	RequestedBy         bool     `json:"requested_by"`
	DomainBlocking      bool     `json:"domain_blocking"`
	Endorsed            bool     `json:"endorsed"`
	Note                string   `json:"note"`
}

// notificationJSON is Mastodon's Notification entity.
type notificationJSON struct {
	ID        string      `json:"id"`
	Type      string      `json:"type"` // mention, status, reblog, follow, follow_request, favourite, poll, update…
	CreatedAt string      `json:"created_at"`
	GroupKey  string      `json:"group_key"`
	Account   accountJSON `json:"account"`
	Status    *statusJSON `json:"status,omitempty"`
}
