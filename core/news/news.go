package news

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Errors callers tell apart (compare with errors.Is).
var (
	ErrNoSuchNote  = core.New(core.KindNotFound, "note-not-found", "no such note")
	ErrNoteDeleted = core.New(core.KindNotFound, "note-deleted", "this note was deleted")
	ErrNotAuthor   = core.New(core.KindForbidden, "not-author", "only the note's author may change or delete it")
	ErrMayNotPost  = core.New(core.KindForbidden, "may-not-post-as", "you may post as yourself, or as an association whose board you are on")
	// ErrUnsolicited refuses a remote note that concerns nobody here: no
	// local actor follows its author, it mentions none, and it replies to
	// no note stored here.
	ErrUnsolicited = core.New(core.KindForbidden, "unsolicited-note", "this note concerns nobody on this instance")
	ErrTooLarge    = core.New(core.KindTooLarge, "note-too-large", "the note is over the size limit")
	ErrNoSuchActor = core.New(core.KindNotFound, "actor-not-found", "no such actor")
)

// Bounds on notes.
const (
	MaxSourceLength  = 10_000    // characters of a local note's Markdown
	MaxSummaryLength = 500       // characters of a content warning
	MaxTitleLength   = 500       // characters of an Article's or a Page's title
	MaxRemoteContent = 100 << 10 // bytes of a remote note's HTML
	MaxTags          = 100       // hashtags kept of a remote note
	MaxMentions      = 100       // mentions kept of a remote note
)

// Policy is the instance's part of the rules.
type Policy struct {
	// BaseURL is the instance's public URL ("https://holon.example"), the
	// stem of every note's id; Host is its host[:port] part.
	BaseURL string
	Host    string
}

// Publication is an activity about a note to publish in the transaction of
// the change (DESIGN §1): Create, Update or Delete of a local note by its
// author; a Like or an Announce of a note by a local actor (By, with the
// reaction's ActivityID), or the Undo of one (Undone names which). Inboxes
// are where to deliver it. Relays, on a Create, Update or Delete, are the
// associations that announce it to their followers (relay.go).
type Publication struct {
	Type       string
	Undone     string
	Note       Note
	By         *Author
	ActivityID string
	// Vote, on a Vote, is the option chosen in the received poll Note by
	// the local actor By; ActivityID is the vote's id (poll.go).
	Vote    string
	Inboxes []string
	Relays  []Relay
}

// Publisher queues publications inside the caller's transaction.
type Publisher interface {
	Publish(ctx context.Context, tx store.Tx, p Publication) error
}

// Service applies the rules of notes. It is safe for concurrent use.
type Service struct {
	db        *store.DB
	clock     core.Clock
	policy    Policy
	publisher Publisher
	origin    Origin
	// pollEnds rings when a local poll is posted: its end may come
	// before the scheduler's next look (poll.go, PollEnds).
	pollEnds *core.Alarm
}

// New returns a Service writing to db.
func New(db *store.DB, clock core.Clock, policy Policy) *Service {
	if policy.BaseURL == "" {
		policy.BaseURL = "http://127.0.0.1:8080"
	}
	if policy.Host == "" {
		if u, err := url.Parse(policy.BaseURL); err == nil {
			policy.Host = u.Host
		}
	}
	return &Service{db: db, clock: clock, policy: policy, pollEnds: core.NewAlarm()}
}

// UsePublisher sets who turns publications into activities. It is set once,
// at wiring, before the service is used by several goroutines.
func (s *Service) UsePublisher(p Publisher) { s.publisher = p }

var errNoPublisher = errors.New("federation is not wired: nothing can be published")

func (s *Service) publish(ctx context.Context, tx store.Tx, p Publication) error {
	if s.publisher == nil {
		return errNoPublisher
	}
	return s.publisher.Publish(ctx, tx, p)
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
