package membership

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Registration modes of an instance.
const (
	RegistrationsOpen     = "open"
	RegistrationsApproval = "approval"
	RegistrationsClosed   = "closed"
)

// Who may create associations.
const (
	CreationByUsers  = "users"
	CreationByAdmins = "admins"
)

// Policy is the instance's part of the rules, from its configuration.
type Policy struct {
	Registrations       string // open | approval | closed
	AssociationCreation string // users | admins
	DefaultLocale       string
	// BaseURL is the instance's public URL ("https://holon.example"), the
	// stem of every actor id; Host is its host[:port] part.
	BaseURL string
	Host    string
	// NewKeyPair makes local actors' key pairs; nil is GenerateKeyPair.
	// Tests of rules that never sign may hand out one ready-made pair: a
	// fresh RSA key costs a tenth of a CPU second.
	NewKeyPair func() (privatePEM, publicPEM string, err error)
}

// Limits on log-in attempts within LoginWindow, per username and per
// client address.
const (
	LoginWindow          = 15 * time.Minute
	MaxFailuresPerUser   = 5
	MaxFailuresPerClient = 20
	SessionLifetime      = 30 * 24 * time.Hour
)

// Service applies the membership rules. It is safe for concurrent use.
type Service struct {
	db     *store.DB
	clock  core.Clock
	policy Policy
	// publisher queues the activities rules publish (UsePublisher).
	publisher Publisher
	// dummyHash is checked against when the username is unknown, so that a
	// wrong username and a wrong password take the same time.
	dummyHash string
	// keys keeps the parsed signing keys (SigningKey).
	keys parsedKeys
	// notes removes notes for the moderators (UseNoteRemover).
	notes NoteRemover
	// partners finds partners and checks their domains (UsePartnerLookup).
	partners partnerDeps
}

// New returns a Service writing to db.
func New(db *store.DB, clock core.Clock, policy Policy) *Service {
	if policy.DefaultLocale == "" {
		policy.DefaultLocale = "en"
	}
	if policy.BaseURL == "" {
		policy.BaseURL = "http://127.0.0.1:8080"
	}
	if policy.Host == "" {
		if u, err := url.Parse(policy.BaseURL); err == nil {
			policy.Host = u.Host
		}
	}
	dummy, err := HashPassword("holon-timing-equaliser")
	if err != nil {
		panic("argon2id unavailable: " + err.Error())
	}
	return &Service{db: db, clock: clock, policy: policy, dummyHash: dummy}
}

// Policy returns the instance's rules.
func (s *Service) Policy() Policy { return s.policy }

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// newSecret returns a random secret with a recognisable prefix (so that
// secret scanners can spot a leaked token) and the hash that is stored.
func newSecret(prefix string) (secret, hash string) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, hashSecret(secret)
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
