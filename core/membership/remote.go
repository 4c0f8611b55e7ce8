package membership

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// RemoteActor is what this instance keeps of an actor living elsewhere,
// read from the document its server serves.
type RemoteActor struct {
	URI           string
	Kind          string
	Username      string
	Inbox         string
	SharedInbox   string
	Outbox        string
	Followers     string
	Following     string
	DisplayName   string // plain text
	Summary       string // sanitised HTML
	URL           string
	IconURL       string
	IconMediaType string
	Fields        []ProfileField // Name plain text, Value sanitised HTML
	// Updated is the document's "updated", when it has one: a document
	// older than the stored one is not saved over it.
	Updated      time.Time
	KeyID        string
	PublicKeyPEM string
	Document     string // the raw JSON, kept as the peer sent it
}

// ErrForeignKeyClaim is returned when a remote actor claims a key id or a
// name another actor already holds.
var ErrForeignKeyClaim = core.New(core.KindConflict, "actor-claim-conflict", "another actor already holds this key or name")

// SaveRemoteActor records a remote actor (or its new profile or key). It
// refuses an actor that claims this instance's host.
func (s *Service) SaveRemoteActor(ctx context.Context, in RemoteActor) (Actor, error) {
	u, err := url.Parse(in.URI)
	if err != nil || u.Host == "" {
		return Actor{}, core.New(core.KindInvalid, "bad-actor-id", "the actor id is not an absolute URL")
	}
	if strings.EqualFold(u.Host, s.policy.Host) {
		return Actor{}, core.New(core.KindForbidden, "local-actor-claim", "a remote document claims a local actor")
	}
	if _, err := ParsePublicKey(in.PublicKeyPEM); err != nil {
		return Actor{}, err
	}
	if known, err := s.db.Actors().ByURI(ctx, in.URI); err == nil && known.DeletedAt != nil {
		return actorFrom(known), ErrActorDeleted // deleted for good: never revived by a document
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Actor{}, err
	}
	now := s.now()
	doc := in.Document
	row := store.Actor{ID: newID(), URI: in.URI, Kind: in.Kind, Username: in.Username, Host: strings.ToLower(u.Host),
		Inbox: in.Inbox, SharedInbox: in.SharedInbox, Outbox: in.Outbox, Followers: in.Followers, Following: in.Following,
		DisplayName: in.DisplayName, Summary: in.Summary, URL: in.URL, IconURL: in.IconURL, IconMediaType: in.IconMediaType,
		Fields: encodeFields(in.Fields), ProfileUpdatedAt: optTime(in.Updated), KeyID: in.KeyID, PublicKey: in.PublicKeyPEM, Document: &doc, FetchedAt: &now, CreatedAt: now, UpdatedAt: now}
	if err := s.db.Actors().SaveRemote(ctx, &row); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return Actor{}, fmt.Errorf("save %s: %w", in.URI, ErrForeignKeyClaim)
		}
		return Actor{}, err
	}
	saved, err := s.db.Actors().ByURI(ctx, in.URI)
	if err != nil {
		return Actor{}, err
	}
	return actorFrom(saved), nil
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// ActorByKeyID returns the actor, local or remote, whose public key is keyID.
func (s *Service) ActorByKeyID(ctx context.Context, keyID string) (Actor, error) {
	row, err := s.db.Actors().ByKeyID(ctx, keyID)
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, ErrNoSuchActor
	}
	if err != nil {
		return Actor{}, err
	}
	return actorFrom(row), nil
}

// SigningKey returns the key id and private key of the local actor named
// name, to sign what it sends. The key stays in memory only. It is read
// from the store at each call, so that a rotated key is used at once by
// every process; parsing, which costs more than signing, is done once per
// key. A deleted actor signs until its key is dropped (the deliveries of
// its Delete are done); then it is ErrNoSuchActor.
func (s *Service) SigningKey(ctx context.Context, name string) (keyID string, key *rsa.PrivateKey, err error) {
	row, err := s.db.Actors().Local(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, ErrNoSuchActor
	}
	if err != nil {
		return "", nil, err
	}
	if row.SuspendedAt != nil && row.DeletedAt == nil {
		// Nothing is delivered for a suspended actor: its deliveries drop.
		return "", nil, errActorSuspended
	}
	if row.PrivateKey == nil {
		if row.DeletedAt != nil {
			return "", nil, ErrNoSuchActor
		}
		return "", nil, fmt.Errorf("local actor %s has no private key", name)
	}
	if k, ok := s.keys.get(row.ID, *row.PrivateKey); ok {
		return row.KeyID, k, nil
	}
	block, _ := pem.Decode([]byte(*row.PrivateKey))
	if block == nil {
		return "", nil, fmt.Errorf("private key of %s: not PEM", name)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return "", nil, fmt.Errorf("private key of %s: %w", name, err)
	}
	rsaKey, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return "", nil, fmt.Errorf("private key of %s: not RSA", name)
	}
	s.keys.put(row.ID, *row.PrivateKey, rsaKey)
	return row.KeyID, rsaKey, nil
}

// parsedKeys keeps the parsed private keys of local actors, each with the
// PEM it was parsed from: a key whose stored PEM changed is parsed again.
type parsedKeys struct {
	mu sync.Mutex
	m  map[uuid.UUID]parsedKey
}

type parsedKey struct {
	pem string
	key *rsa.PrivateKey
}

func (p *parsedKeys) get(actor uuid.UUID, pemText string) (*rsa.PrivateKey, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k, ok := p.m[actor]
	if !ok || k.pem != pemText {
		return nil, false
	}
	return k.key, true
}

func (p *parsedKeys) put(actor uuid.UUID, pemText string, key *rsa.PrivateKey) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil || len(p.m) >= maxParsedKeys {
		p.m = map[uuid.UUID]parsedKey{} // bounded: start again
	}
	p.m[actor] = parsedKey{pem: pemText, key: key}
}

// maxParsedKeys bounds the parsed keys kept in memory.
const maxParsedKeys = 10_000

// ParsePublicKey reads an RSA public key in PEM, as PKIX ("BEGIN PUBLIC
// KEY", what Mastodon publishes) or PKCS #1 ("BEGIN RSA PUBLIC KEY", what
// some older software publishes).
func ParsePublicKey(pemText string) (*rsa.PublicKey, error) {
	bad := core.New(core.KindInvalid, "bad-public-key", "the actor's public key is not an RSA key in PEM")
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, bad
	}
	if pub, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		if k, ok := pub.(*rsa.PublicKey); ok {
			return k, nil
		}
		return nil, bad
	}
	if k, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		return k, nil
	}
	return nil, bad
}
