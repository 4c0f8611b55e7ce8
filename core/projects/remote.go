package projects

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/store"
)

// Refusals of a partner's copy. They are settled refusals: the inbox does
// not retry them.
var (
	ErrNotPartner = core.New(core.KindForbidden, "not-partner",
		"this association is not followed from this instance: its projects and tasks are not kept here")
	ErrNotOwner = core.New(core.KindForbidden, "not-owner",
		"an association publishes only its own projects and tasks, from its own host")
	ErrRemoteInvalid = core.New(core.KindInvalid, "remote-object-invalid", "the project or task does not fit the vocabulary's bounds")
	ErrTooManyCopies = core.New(core.KindTooLarge, "too-many-partner-objects",
		"this association already has as many projects or tasks kept here as an instance keeps of one partner")
	ErrNoSuchRemoteTask = core.New(core.KindNotFound, "remote-task-not-found", "no such partner task")
)

// Bounds on what is kept of partners: how many objects of one association,
// and the largest description.
const (
	MaxRemoteProjects   = 2_000
	MaxRemoteTasks      = 10_000
	MaxRemoteContent    = 40 << 10 // bytes of a copy's sanitised HTML description
	MaxRemoteCategory   = 64
	maxRemoteStatusWord = 32
)

// RemoteProject is a partner association's project as this instance keeps
// it. Association is the association's actor id on the wire; Description
// is HTML the caller has sanitised.
type RemoteProject struct {
	ID          uuid.UUID
	URI         string
	Association string
	Holder      string
	Name        string
	Summary     string
	Description string
	Status      string
	Licence     string
	Place       string
	Tags        []string
	Goal        int64 // minor units of Currency
	Currency    string
	URL         string
	Published   time.Time
	Updated     time.Time // the origin's; Published when it says none
}

// RemoteTask is a partner association's task as this instance keeps it.
type RemoteTask struct {
	ID             uuid.UUID
	URI            string
	Association    string
	ProjectURI     string
	ProjectID      *uuid.UUID // the project's copy, once it is kept here
	Name           string
	Summary        string
	Description    string
	Category       string
	DoneCriteria   []string
	Budget         int64 // minor units of Currency
	Currency       string
	Effort         time.Duration
	MaxReservation time.Duration
	Reviewers      []string
	Status         string
	ReservedBy     string
	ReservedUntil  *time.Time
	CompletedBy    string
	URL            string
	Published      time.Time
	Updated        time.Time
}

// CacheProject keeps (or updates) the copy of a partner's project that
// the association from published. The project must be from's own (its
// Association, on the host of its id) and from must be followed from
// here; an update older than the copy changes nothing.
func (s *Service) CacheProject(ctx context.Context, from string, p RemoteProject) (RemoteProject, error) {
	if err := checkRemoteProject(&p); err != nil {
		return RemoteProject{}, err
	}
	var out RemoteProject
	err := s.keepCopy(ctx, func(tx store.Tx) error {
		owner, err := partner(ctx, tx, from, p.Association, p.URI)
		if err != nil {
			return err
		}
		now := s.now()
		row := store.RemoteProject{URI: p.URI, AssociationActorID: owner.ID, Holder: p.Holder, Name: p.Name, Summary: p.Summary,
			Description: p.Description, Status: p.Status, Licence: p.Licence, Place: p.Place, Goal: p.Goal, Currency: p.Currency,
			URL: p.URL, PublishedAt: p.Published, UpdatedAt: p.Updated, ReceivedAt: now}
		old, err := tx.RemoteProjects().ByURIForUpdate(ctx, p.URI)
		switch {
		case errors.Is(err, store.ErrNotFound):
			n, err := tx.RemoteProjects().CountOf(ctx, owner.ID)
			if err != nil {
				return err
			}
			if n >= MaxRemoteProjects {
				return ErrTooManyCopies
			}
			row.ID = idAt(p.Published, now)
			if err := tx.RemoteProjects().Create(ctx, &row, p.Tags); err != nil {
				return err
			}
		case err != nil:
			return err
		case old.AssociationActorID != owner.ID:
			return ErrNotOwner
		case !p.Updated.After(old.UpdatedAt):
			tags, err := tx.RemoteProjects().Tags(ctx, old.ID)
			if err != nil {
				return err
			}
			out = remoteProjectFrom(old, p.Association, tags)
			return nil
		default:
			row.ID = old.ID
			if err := tx.RemoteProjects().Update(ctx, &row, p.Tags); err != nil {
				return err
			}
		}
		out = remoteProjectFrom(row, p.Association, p.Tags)
		return nil
	})
	if err != nil {
		return RemoteProject{}, fmt.Errorf("keep partner project %s: %w", p.URI, err)
	}
	return out, nil
}

// CacheTask keeps (or updates) the copy of a partner's task, under the
// same rules as CacheProject.
func (s *Service) CacheTask(ctx context.Context, from string, t RemoteTask) (RemoteTask, error) {
	if err := checkRemoteTask(&t); err != nil {
		return RemoteTask{}, err
	}
	var out RemoteTask
	err := s.keepCopy(ctx, func(tx store.Tx) error {
		owner, err := partner(ctx, tx, from, t.Association, t.URI)
		if err != nil {
			return err
		}
		now := s.now()
		row := store.RemoteTask{URI: t.URI, AssociationActorID: owner.ID, ProjectURI: t.ProjectURI, Name: t.Name, Summary: t.Summary,
			Description: t.Description, Category: t.Category, DoneCriteria: encodeList(t.DoneCriteria), Budget: t.Budget,
			Currency: t.Currency, Effort: int64(t.Effort / time.Second), MaxReservation: int64(t.MaxReservation / time.Second),
			Reviewers: encodeList(t.Reviewers), Status: t.Status, ReservedBy: t.ReservedBy, ReservedUntil: t.ReservedUntil,
			CompletedBy: t.CompletedBy, URL: t.URL, PublishedAt: t.Published, UpdatedAt: t.Updated, ReceivedAt: now}
		old, err := tx.RemoteTasks().ByURIForUpdate(ctx, t.URI)
		switch {
		case errors.Is(err, store.ErrNotFound):
			n, err := tx.RemoteTasks().CountOf(ctx, owner.ID)
			if err != nil {
				return err
			}
			if n >= MaxRemoteTasks {
				return ErrTooManyCopies
			}
			row.ID = idAt(t.Published, now)
			if err := tx.RemoteTasks().Create(ctx, &row); err != nil {
				return err
			}
		case err != nil:
			return err
		case old.AssociationActorID != owner.ID:
			return ErrNotOwner
		case !t.Updated.After(old.UpdatedAt):
			out = remoteTaskFrom(old, t.Association)
			return nil
		default:
			row.ID = old.ID
			if err := tx.RemoteTasks().Update(ctx, &row); err != nil {
				return err
			}
		}
		out = remoteTaskFrom(row, t.Association)
		return nil
	})
	if err != nil {
		return RemoteTask{}, fmt.Errorf("keep partner task %s: %w", t.URI, err)
	}
	return out, nil
}

// ForgetRemote deletes the copy of the project or task uri, when from is
// the association it belongs to. Forgetting what is not kept does
// nothing.
func (s *Service) ForgetRemote(ctx context.Context, from, uri string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		owner, err := tx.Actors().ByURI(ctx, from)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if t, err := tx.RemoteTasks().ByURIForUpdate(ctx, uri); err == nil {
			if t.AssociationActorID != owner.ID {
				return ErrNotOwner
			}
			return tx.RemoteTasks().Delete(ctx, uri)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if p, err := tx.RemoteProjects().ByURIForUpdate(ctx, uri); err == nil {
			if p.AssociationActorID != owner.ID {
				return ErrNotOwner
			}
			return tx.RemoteProjects().Delete(ctx, uri)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("forget partner object %s: %w", uri, err)
	}
	return nil
}

// IsKept reports whether uri is a partner's project or task kept here.
func (s *Service) IsKept(ctx context.Context, uri string) (bool, error) {
	if _, err := s.db.RemoteTasks().ByURI(ctx, uri); err == nil {
		return true, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	if _, err := s.db.RemoteProjects().ByURI(ctx, uri); err == nil {
		return true, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	return false, nil
}

// RemoteTask returns the copy of a partner's task by its local id.
func (s *Service) RemoteTask(ctx context.Context, id uuid.UUID) (RemoteTask, error) {
	row, err := s.db.RemoteTasks().ByID(ctx, id)
	return s.remoteTask(ctx, row, err)
}

// RemoteTaskByURI returns the copy of a partner's task by its id on the
// wire.
func (s *Service) RemoteTaskByURI(ctx context.Context, uri string) (RemoteTask, error) {
	row, err := s.db.RemoteTasks().ByURI(ctx, uri)
	return s.remoteTask(ctx, row, err)
}

func (s *Service) remoteTask(ctx context.Context, row store.RemoteTask, err error) (RemoteTask, error) {
	if errors.Is(err, store.ErrNotFound) {
		return RemoteTask{}, ErrNoSuchRemoteTask
	}
	if err != nil {
		return RemoteTask{}, err
	}
	a, err := s.db.Actors().ByID(ctx, row.AssociationActorID)
	if err != nil {
		return RemoteTask{}, fmt.Errorf("association of partner task %s: %w", row.URI, err)
	}
	return remoteTaskFrom(row, a.URI), nil
}

// RemoteProjectByURI returns the copy of a partner's project by its id on
// the wire.
func (s *Service) RemoteProjectByURI(ctx context.Context, uri string) (RemoteProject, error) {
	row, err := s.db.RemoteProjects().ByURI(ctx, uri)
	if errors.Is(err, store.ErrNotFound) {
		return RemoteProject{}, ErrNoSuchProject
	}
	if err != nil {
		return RemoteProject{}, err
	}
	a, err := s.db.Actors().ByID(ctx, row.AssociationActorID)
	if err != nil {
		return RemoteProject{}, fmt.Errorf("association of partner project %s: %w", uri, err)
	}
	tags, err := s.db.RemoteProjects().Tags(ctx, row.ID)
	if err != nil {
		return RemoteProject{}, err
	}
	return remoteProjectFrom(row, a.URI, tags), nil
}

// partner returns the actor of the association that published an object:
// from itself, a remote actor known here that a local actor follows, on
// the host of the object's id.
func partner(ctx context.Context, tx store.Tx, from, association, object string) (store.Actor, error) {
	if from != association || !core.SameHost(from, object) {
		return store.Actor{}, ErrNotOwner
	}
	a, err := tx.Actors().ByURI(ctx, from)
	if errors.Is(err, store.ErrNotFound) {
		return store.Actor{}, ErrNotPartner
	}
	if err != nil {
		return store.Actor{}, err
	}
	if a.Local || a.DeletedAt != nil {
		return store.Actor{}, ErrNotPartner
	}
	followed, err := tx.Follows().FollowedHere(ctx, a.ID)
	if err != nil {
		return store.Actor{}, err
	}
	if !followed {
		return store.Actor{}, ErrNotPartner
	}
	return a, nil
}

func remoteProjectFrom(r store.RemoteProject, association string, tags []string) RemoteProject {
	if tags == nil {
		tags = []string{}
	}
	return RemoteProject{ID: r.ID, URI: r.URI, Association: association, Holder: r.Holder, Name: r.Name, Summary: r.Summary,
		Description: r.Description, Status: r.Status, Licence: r.Licence, Place: r.Place, Tags: tags, Goal: r.Goal,
		Currency: r.Currency, URL: r.URL, Published: r.PublishedAt, Updated: r.UpdatedAt}
}

func remoteTaskFrom(r store.RemoteTask, association string) RemoteTask {
	return RemoteTask{ID: r.ID, URI: r.URI, Association: association, ProjectURI: r.ProjectURI, ProjectID: r.ProjectID,
		Name: r.Name, Summary: r.Summary, Description: r.Description, Category: r.Category,
		DoneCriteria: decodeList(r.DoneCriteria), Budget: r.Budget, Currency: r.Currency,
		Effort: time.Duration(r.Effort) * time.Second, MaxReservation: time.Duration(r.MaxReservation) * time.Second,
		Reviewers: decodeList(r.Reviewers), Status: r.Status, ReservedBy: r.ReservedBy, ReservedUntil: r.ReservedUntil,
		CompletedBy: r.CompletedBy, URL: r.URL, Published: r.PublishedAt, Updated: r.UpdatedAt}
}

// checkRemoteProject checks a partner's project against the bounds of a
// local one and normalises it (times in UTC, tags as local tags are).
func checkRemoteProject(p *RemoteProject) error {
	var fe fieldErrors
	checkRemoteIDs(&fe, p.URI, p.Association, p.URL)
	if p.Holder != "" && !core.IsHTTPURL(p.Holder) {
		fe.Add("holder", "not-a-url", "must be an actor id")
	}
	p.Name = fe.Text("name", p.Name, MaxProjectName, true)
	p.Summary = fe.Text("summary", p.Summary, MaxSummary, false)
	p.Place = fe.Text("place", p.Place, MaxPlace, false)
	if len(p.Description) > MaxRemoteContent || !utf8.ValidString(p.Description) {
		fe.Add("description", "too-long", "at most 40 KiB of valid UTF-8")
	}
	if !slices.Contains(projectStatuses, p.Status) {
		fe.Add("status", "invalid-choice", "must be one of "+strings.Join(projectStatuses, ", "))
	}
	if p.Licence != "" {
		if id, ok := Licence(p.Licence); ok {
			p.Licence = id
		} else {
			p.Licence = ""
		}
	}
	p.Tags = normalizeTags(p.Tags, &fe)
	checkRemoteMoney(&fe, "goal", p.Goal, &p.Currency)
	checkRemoteTimes(&fe, &p.Published, &p.Updated)
	if err := fe.Err(); err != nil {
		return errors.Join(ErrRemoteInvalid, err)
	}
	return nil
}

// checkRemoteTask checks a partner's task against the bounds of a local
// one.
func checkRemoteTask(t *RemoteTask) error {
	var fe fieldErrors
	checkRemoteIDs(&fe, t.URI, t.Association, t.URL)
	if !core.IsHTTPURL(t.ProjectURI) || !core.SameHost(t.ProjectURI, t.URI) {
		fe.Add("project", "not-a-url", "must be the id of a project on the task's host")
	}
	t.Name = fe.Text("name", t.Name, MaxTaskName, true)
	t.Summary = fe.Text("summary", t.Summary, MaxSummary, false)
	if len(t.Description) > MaxRemoteContent || !utf8.ValidString(t.Description) {
		fe.Add("description", "too-long", "at most 40 KiB of valid UTF-8")
	}
	t.Category = strings.ToLower(fe.Text("category", t.Category, MaxRemoteCategory, false))
	if !slices.Contains(TaskStatuses, t.Status) {
		fe.Add("status", "invalid-choice", "must be one of "+strings.Join(TaskStatuses, ", "))
	}
	t.DoneCriteria = fe.List("done_criteria", t.DoneCriteria, 1, MaxCriteria, MaxCriterion)
	t.Reviewers = fe.URIs("reviewers", t.Reviewers, 0, MaxReviewers)
	checkRemoteMoney(&fe, "budget", t.Budget, &t.Currency)
	if t.Effort < 0 || t.Effort > MaxEffort || t.MaxReservation < 0 || t.MaxReservation > MaxEffort {
		fe.Add("effort", "invalid-duration", "durations are between 0 and a year")
	}
	for _, a := range []struct{ field, v string }{{"reserved_by", t.ReservedBy}, {"completed_by", t.CompletedBy}} {
		if a.v != "" && !core.IsHTTPURL(a.v) {
			fe.Add(a.field, "not-a-url", "must be an actor id")
		}
	}
	if t.ReservedUntil != nil {
		u := t.ReservedUntil.UTC().Truncate(time.Microsecond)
		t.ReservedUntil = &u
	}
	checkRemoteTimes(&fe, &t.Published, &t.Updated)
	if err := fe.Err(); err != nil {
		return errors.Join(ErrRemoteInvalid, err)
	}
	return nil
}

func checkRemoteIDs(fe *fieldErrors, uri, association, page string) {
	if !core.IsHTTPURL(uri) {
		fe.Add("id", "not-a-url", "must be an http or https id")
	}
	if !core.IsHTTPURL(association) {
		fe.Add("audience", "not-a-url", "must be the association's actor id")
	}
	if page != "" && !core.IsHTTPURL(page) {
		fe.Add("url", "not-a-url", "must be an http or https address")
	}
}

// checkRemoteMoney accepts no amount, or a non-negative one in an ISO
// 4217 currency.
func checkRemoteMoney(fe *fieldErrors, field string, amount int64, currency *string) {
	if amount == 0 && *currency == "" {
		return
	}
	c, err := money.Currency(*currency)
	if err != nil || amount < 0 || amount > maxAmount {
		fe.Add(field, "invalid-amount", "must be a non-negative amount in an ISO 4217 currency")
		return
	}
	*currency = c
}

// maxAmount bounds a copied amount, far below int64 overflow.
const maxAmount = int64(1) << 53

func checkRemoteTimes(fe *fieldErrors, published, updated *time.Time) {
	if published.IsZero() {
		fe.Add("published", "required", "the object must say when it was published")
		return
	}
	*published = published.UTC().Truncate(time.Microsecond)
	if updated.IsZero() || updated.Before(*published) {
		*updated = *published
	}
	*updated = updated.UTC().Truncate(time.Microsecond)
}

// projectStatuses lists every project state.
var projectStatuses = []string{ProjectProposed, ProjectEvaluating, ProjectAccepted, ProjectRejected, ProjectActive, ProjectCompleted, ProjectArchived}

// idAt returns a UUIDv7 whose time is published, or now when published is
// later (a peer cannot put its objects ahead of everyone's by dating them
// in the future), so that copies sort among local objects by when they
// were published.
func idAt(published, now time.Time) uuid.UUID {
	at := published
	if at.After(now) {
		at = now
	}
	var id uuid.UUID
	_, _ = rand.Read(id[:])
	ms := uint64(at.UnixMilli())
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], ms)
	copy(id[0:6], ts[2:8])
	id[6] = 0x70 | (id[6] & 0x0f) // version 7
	id[8] = 0x80 | (id[8] & 0x3f) // RFC 4122 variant
	return id
}

// keepCopy runs fn, which inserts or updates a partner's copy, in a
// transaction. A Create and an Update of one object may arrive together:
// both find no copy and insert, and one fails as a duplicate. Run again,
// that one finds the other's copy and updates it.
func (s *Service) keepCopy(ctx context.Context, fn func(tx store.Tx) error) error {
	err := s.db.InTx(ctx, fn)
	if errors.Is(err, store.ErrDuplicate) {
		err = s.db.InTx(ctx, fn)
	}
	return err
}
