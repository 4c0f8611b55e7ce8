package inbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/federation/httpsig"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// MaxBody bounds an activity's size.
const MaxBody = 1 << 20

// LocalActors is what receiving needs of the membership service.
type LocalActors interface {
	LocalActor(ctx context.Context, name string) (membership.Actor, error)
}

// HostPolicy tells which remote hosts the instance refuses to hear from
// (domain blocks).
type HostPolicy interface {
	// RefuseHost returns an error for a refused host; the error is a
	// core error of KindForbidden when the host is blocked.
	RefuseHost(ctx context.Context, host string) error
}

// Receiver answers POSTs to the inboxes.
type Receiver struct {
	db     *store.DB
	keys   httpsig.KeyFetcher
	actors LocalActors
	clock  core.Clock
	hosts  HostPolicy
	// wake is signalled (without blocking) when an activity was stored, so
	// that idle workers start at once.
	wake chan struct{}
}

// NewReceiver returns a receiver storing into db; wake may be nil.
func NewReceiver(db *store.DB, keys httpsig.KeyFetcher, actors LocalActors, clock core.Clock, wake chan struct{}) *Receiver {
	return &Receiver{db: db, keys: keys, actors: actors, clock: clock, wake: wake}
}

// RefuseHosts makes the receiver refuse activities from the hosts p
// refuses, before their signature is checked (so that no key is fetched
// from them). Call it once, before serving.
func (rc *Receiver) RefuseHosts(p HostPolicy) { rc.hosts = p }

// Register adds POST /inbox (shared) and POST /actors/{name}/inbox to r.
func (rc *Receiver) Register(r chi.Router) {
	r.Post("/inbox", func(w http.ResponseWriter, req *http.Request) { rc.receive(w, req, "") })
	r.Post("/actors/{name}/inbox", func(w http.ResponseWriter, req *http.Request) {
		rc.receive(w, req, chi.URLParam(req, "name"))
	})
}

// refusal is a receiving failure: the status to answer and why.
type refusal struct {
	status int
	reason string
	err    error
}

func (e *refusal) Error() string {
	if e.err != nil {
		return e.reason + ": " + e.err.Error()
	}
	return e.reason
}

func (e *refusal) Unwrap() error { return e.err }

func refuse(status int, reason string, err error) *refusal {
	return &refusal{status: status, reason: reason, err: err}
}

func (rc *Receiver) receive(w http.ResponseWriter, r *http.Request, name string) {
	log := hlog.FromRequest(r)
	a, err := rc.accept(r, name)
	var rf *refusal
	switch {
	case err == nil:
		log.Debug().Str("activity", a.ActivityID).Str("type", a.Type).Str("actor", a.Actor).Msg("activity received")
		w.WriteHeader(http.StatusAccepted)
	case errors.As(err, &rf):
		// A refused request is the sender's mistake (or forgery): logged
		// at info, with the reason, so admins can tell why a peer fails.
		log.Info().Err(err).Int("status", rf.status).Str("inbox", name).Msg("activity refused")
		http.Error(w, rf.reason, rf.status)
	default:
		log.Error().Err(err).Msg("receive activity")
		http.Error(w, "could not store the activity; try again later", http.StatusInternalServerError)
	}
}

// accept runs the pipeline and stores the activity. A duplicate is
// accepted again without being stored twice.
func (rc *Receiver) accept(r *http.Request, name string) (store.InboxActivity, error) {
	ctx := r.Context()
	if r.ContentLength > MaxBody {
		return store.InboxActivity{}, refuse(http.StatusRequestEntityTooLarge, "activity larger than 1 MiB", nil)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || len(body) > MaxBody:
		return store.InboxActivity{}, refuse(http.StatusRequestEntityTooLarge, "activity larger than 1 MiB", nil)
	case err != nil:
		return store.InboxActivity{}, refuse(http.StatusBadRequest, "could not read the body", err)
	}
	if !fetch.IsActivityStreams(r.Header.Get("Content-Type")) {
		return store.InboxActivity{}, refuse(http.StatusUnsupportedMediaType, "content type must be application/activity+json", nil)
	}
	recipient := ""
	if name != "" {
		local, err := rc.actors.LocalActor(ctx, name)
		if errors.Is(err, membership.ErrActorDeleted) {
			return store.InboxActivity{}, refuse(http.StatusGone, "this actor was deleted", nil)
		}
		if core.KindOf(err) == core.KindNotFound {
			return store.InboxActivity{}, refuse(http.StatusNotFound, "no such inbox", nil)
		}
		if err != nil {
			return store.InboxActivity{}, err
		}
		recipient = local.URI
	}
	if err := rc.refuseSender(r); err != nil {
		return store.InboxActivity{}, err
	}
	now := rc.clock.Now()
	signed, err := httpsig.Verify(r, body, now, rc.keys)
	if err != nil {
		return store.InboxActivity{}, refuse(http.StatusUnauthorized, "signature refused", err)
	}
	doc, err := vocab.Parse(body)
	if err != nil {
		return store.InboxActivity{}, refuse(http.StatusBadRequest, "not a valid activity", err)
	}
	act, err := readActivity(doc)
	if err != nil {
		return store.InboxActivity{}, refuse(http.StatusBadRequest, "not a valid activity", err)
	}
	if act.actor != signed.Owner {
		return store.InboxActivity{}, refuse(http.StatusUnauthorized, "the signer is not the activity's actor",
			fmt.Errorf("signed by %s, actor %s", signed.Owner, act.actor))
	}
	if err := rc.refuseHost(ctx, act.actor); err != nil {
		return store.InboxActivity{}, err
	}
	if err := rc.refuseSuspended(ctx, act.actor); err != nil {
		return store.InboxActivity{}, err
	}
	if err := checkOrigin(act); err != nil {
		return store.InboxActivity{}, refuse(http.StatusForbidden, "the actor may not act on this object", err)
	}
	row := store.InboxActivity{ID: uuid.Must(uuid.NewV7()), ActivityID: act.id, Type: act.kind, Actor: act.actor,
		Recipient: recipient, Raw: string(body), State: store.InboxPending, ReceivedAt: now, NextAttemptAt: now}
	err = rc.db.Inbox().Add(ctx, &row)
	if errors.Is(err, store.ErrDuplicate) {
		return row, nil
	}
	if err != nil {
		return store.InboxActivity{}, err
	}
	if rc.wake != nil {
		select {
		case rc.wake <- struct{}{}:
		default:
		}
	}
	return row, nil
}

// refuseSender refuses a request signed with a key on a refused host.
// A request without a readable keyId is left to the signature check,
// which refuses it with the precise reason.
func (rc *Receiver) refuseSender(r *http.Request) error {
	if rc.hosts == nil {
		return nil
	}
	keyID, err := httpsig.KeyID(r)
	if err != nil {
		return nil
	}
	return rc.refuseHost(r.Context(), keyID)
}

// refuseSuspended refuses the activities of an actor the moderators
// suspended.
func (rc *Receiver) refuseSuspended(ctx context.Context, actor string) error {
	a, err := rc.db.Actors().ByURI(ctx, actor)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case a.SuspendedAt != nil:
		return refuse(http.StatusForbidden, "this actor is suspended on this instance", nil)
	}
	return nil
}

// refuseHost refuses an activity whose actor (or key) is on a refused host.
func (rc *Receiver) refuseHost(ctx context.Context, uri string) error {
	if rc.hosts == nil {
		return nil
	}
	u, err := url.Parse(uri)
	if err != nil {
		return nil // the activity's own checks refuse it
	}
	err = rc.hosts.RefuseHost(ctx, u.Host)
	switch {
	case err == nil:
		return nil
	case core.KindOf(err) == core.KindForbidden:
		return refuse(http.StatusForbidden, "this instance does not federate with your domain", err)
	default:
		return err
	}
}

// activity is what the pipeline reads of an activity.
type activity struct {
	id, kind, actor string
	objectIDs       []string // ids of the objects it acts on
}

func readActivity(doc map[string]any) (activity, error) {
	id, _ := doc["id"].(string)
	if !core.IsHTTPURL(id) {
		return activity{}, errors.New("the activity has no absolute id")
	}
	kind := vocab.FirstType(doc["type"])
	if kind == "" || len(kind) > 64 {
		return activity{}, errors.New("the activity has no type")
	}
	actor := vocab.IDOf(doc["actor"])
	if !core.IsHTTPURL(actor) {
		return activity{}, errors.New("the activity has no actor")
	}
	a := activity{id: id, kind: kind, actor: actor}
	switch obj := doc["object"].(type) {
	case []any:
		for _, o := range obj {
			a.objectIDs = append(a.objectIDs, vocab.IDOf(o))
		}
	case nil:
	default:
		a.objectIDs = []string{vocab.IDOf(obj)}
	}
	return a, nil
}

// checkOrigin enforces that an actor speaks for its own host: the
// activity's id is on it, and what it creates, updates or deletes too.
// (Follow, Like, Announce… act on others' objects, which is their point.)
func checkOrigin(a activity) error {
	if !core.SameHost(a.id, a.actor) {
		return fmt.Errorf("activity %s is not on the host of its actor %s", a.id, a.actor)
	}
	switch a.kind {
	case "Create", "Update", "Delete":
		if len(a.objectIDs) == 0 {
			return fmt.Errorf("%s without an object", a.kind)
		}
		for _, o := range a.objectIDs {
			if !core.SameHost(o, a.actor) {
				return fmt.Errorf("%s of %q, which is not on the host of %s", a.kind, o, a.actor)
			}
		}
	}
	return nil
}
