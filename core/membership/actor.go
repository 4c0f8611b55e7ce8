package membership

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// Kinds of local actor, as ActivityStreams names them.
const (
	ActorPerson      = "Person"
	ActorGroup       = "Group"
	ActorApplication = "Application"
)

// KeyBits is the size of actors' RSA keys: what Mastodon and every peer
// verify (rsa-sha256).
const KeyBits = 2048

// Actor is the ActivityPub identity of a local person, association or of the
// instance itself. Its private key never leaves the store through it.
type Actor struct {
	ID            uuid.UUID
	URI           string
	Kind          string
	Username      string
	Host          string
	AccountID     *uuid.UUID
	AssociationID *uuid.UUID
	Local         bool
	Inbox         string // remote actors only: local ones are served from their URI
	SharedInbox   string
	KeyID         string
	PublicKeyPEM  string
	// The profile of a remote actor as its document gives it (plain-text
	// name, sanitised HTML summary); a local actor's is its Profile.
	DisplayName string
	Summary     string
	URL         string
	// IconURL is the avatar's address (for a local actor, its /media URL),
	// IconMediaType its type; both empty when there is none.
	IconURL       string
	IconMediaType string
	Fields        []ProfileField
	// ProfileUpdatedAt is when the actor's document last changed (nil:
	// not since it was created, or its server does not say).
	ProfileUpdatedAt *time.Time
	FetchedAt        *time.Time // remote actors: when their document was last read
	DeletedAt        *time.Time // when the actor was deleted; nil while it lives
	CreatedAt        time.Time
}

func actorFrom(r store.Actor) Actor {
	return Actor{ID: r.ID, URI: r.URI, Kind: r.Kind, Username: r.Username, Host: r.Host,
		AccountID: r.AccountID, AssociationID: r.AssociationID, Local: r.Local, Inbox: r.Inbox, SharedInbox: r.SharedInbox,
		KeyID: r.KeyID, PublicKeyPEM: r.PublicKey, DisplayName: r.DisplayName, Summary: r.Summary, URL: r.URL,
		IconURL: r.IconURL, IconMediaType: r.IconMediaType, Fields: decodeFields(r.Fields, r.Local),
		ProfileUpdatedAt: r.ProfileUpdatedAt, FetchedAt: r.FetchedAt, DeletedAt: r.DeletedAt, CreatedAt: r.CreatedAt}
}

// ActorURI is the id of the local actor named name (DESIGN §3).
func (s *Service) ActorURI(name string) string { return s.policy.BaseURL + "/actors/" + name }

// newLocalActor makes a local actor with a fresh key pair. Key generation
// takes tens of milliseconds, so it runs before the transaction that
// inserts the row.
func (s *Service) newLocalActor(kind, name string, now time.Time) (store.Actor, error) {
	priv, pub, err := s.newKeyPair()
	if err != nil {
		return store.Actor{}, err
	}
	uri := s.ActorURI(name)
	return store.Actor{ID: newID(), URI: uri, Kind: kind, Username: name, Host: s.policy.Host, Local: true,
		KeyID: uri + "#main-key", PublicKey: pub, PrivateKey: &priv, CreatedAt: now, UpdatedAt: now}, nil
}

func (s *Service) newKeyPair() (privatePEM, publicPEM string, err error) {
	if s.policy.NewKeyPair != nil {
		return s.policy.NewKeyPair()
	}
	return GenerateKeyPair()
}

// GenerateKeyPair returns a new RSA key pair as PEM: PKCS #8 for the
// private key, PKIX ("BEGIN PUBLIC KEY", as Mastodon publishes) for the
// public one.
func GenerateKeyPair() (privatePEM, publicPEM string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return "", "", fmt.Errorf("generate actor key: %w", err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", fmt.Errorf("encode actor key: %w", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return "", "", fmt.Errorf("encode actor key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})), nil
}

// EnsureInstanceActor returns the instance's own actor (an Application
// named after the host, which signs server-to-server fetches), creating it
// on first use. Several processes may call it at once.
func (s *Service) EnsureInstanceActor(ctx context.Context) (Actor, error) {
	row, err := s.db.Actors().Local(ctx, s.policy.Host)
	if err == nil {
		return actorFrom(row), nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return Actor{}, err
	}
	row, err = s.newLocalActor(ActorApplication, s.policy.Host, s.now())
	if err != nil {
		return Actor{}, err
	}
	err = s.db.Actors().Create(ctx, &row)
	if errors.Is(err, store.ErrDuplicate) {
		// Another process created it first.
		row, err = s.db.Actors().Local(ctx, s.policy.Host)
	}
	if err != nil {
		return Actor{}, fmt.Errorf("create the instance actor: %w", err)
	}
	return actorFrom(row), nil
}

// LocalActor returns the local actor named name: a person, an association,
// or the instance actor (named after the host). A deleted actor is
// ErrActorDeleted, returned with the actor as it is kept (its id, kind and
// time of deletion), so that its addresses can answer 410 Gone.
func (s *Service) LocalActor(ctx context.Context, name string) (Actor, error) {
	row, err := s.db.Actors().Local(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, ErrNoSuchActor
	}
	if err != nil {
		return Actor{}, err
	}
	if row.DeletedAt != nil {
		return actorFrom(row), ErrActorDeleted
	}
	if row.SuspendedAt != nil {
		return actorFrom(row), errActorSuspended
	}
	return actorFrom(row), nil
}
