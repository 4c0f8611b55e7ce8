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

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// RemoteActor is what this instance keeps of an actor living elsewhere,
// read from the document its server serves.
type RemoteActor struct {
	URI          string
	Kind         string
	Username     string
	Inbox        string
	SharedInbox  string
	Outbox       string
	Followers    string
	Following    string
	DisplayName  string
	Summary      string
	URL          string
	IconURL      string
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
	now := s.now()
	doc := in.Document
	row := store.Actor{ID: newID(), URI: in.URI, Kind: in.Kind, Username: in.Username, Host: strings.ToLower(u.Host),
		Inbox: in.Inbox, SharedInbox: in.SharedInbox, Outbox: in.Outbox, Followers: in.Followers, Following: in.Following,
		DisplayName: in.DisplayName, Summary: in.Summary, URL: in.URL, IconURL: in.IconURL,
		KeyID: in.KeyID, PublicKey: in.PublicKeyPEM, Document: &doc, FetchedAt: &now, CreatedAt: now, UpdatedAt: now}
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
// name, to sign what it sends. The key stays in memory only.
func (s *Service) SigningKey(ctx context.Context, name string) (keyID string, key *rsa.PrivateKey, err error) {
	row, err := s.db.Actors().Local(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, ErrNoSuchActor
	}
	if err != nil {
		return "", nil, err
	}
	if row.PrivateKey == nil {
		return "", nil, fmt.Errorf("local actor %s has no private key", name)
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
	return row.KeyID, rsaKey, nil
}

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
