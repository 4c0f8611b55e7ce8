package projects

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/store"
)

// Project states (DESIGN §4).
const (
	ProjectProposed   = "proposed"
	ProjectEvaluating = "evaluating"
	ProjectAccepted   = "accepted"
	ProjectRejected   = "rejected"
	ProjectActive     = "active"
	ProjectCompleted  = "completed"
	ProjectArchived   = "archived"
)

// transitions are the changes of state DESIGN §4 allows:
// proposed → evaluating → accepted | rejected; accepted → active →
// completed | archived. A rejected or completed project may be archived.
var transitions = map[string][]string{
	ProjectProposed:   {ProjectEvaluating},
	ProjectEvaluating: {ProjectAccepted, ProjectRejected},
	ProjectAccepted:   {ProjectActive},
	ProjectRejected:   {ProjectArchived},
	ProjectActive:     {ProjectCompleted, ProjectArchived},
	ProjectCompleted:  {ProjectArchived},
}

// MayTransition reports whether a project may go from one state to another.
func MayTransition(from, to string) bool { return slices.Contains(transitions[from], to) }

// Architectures of a project.
const (
	Centralised   = "centralised"
	Decentralised = "decentralised"
	Distributed   = "distributed"
)

// Bounds on a project's fields.
const (
	MaxProjectName   = 200
	MaxSummary       = 500
	MaxDescription   = 20_000
	MaxChecklist     = 50
	MaxChecklistItem = 500
	MaxBeneficiaries = 50
	MaxBeneficiary   = 200
	MaxTags          = 20
	MaxTag           = 50
	MaxPlace         = 200
	MaxReason        = 2000
)

// Project is a project of an association.
type Project struct {
	ID            uuid.UUID
	AssociationID uuid.UUID
	Association   string // the association's name
	Holder        string // the holder's actor id
	Name          string
	Summary       string
	Description   string
	Licence       string // SPDX identifier
	Architecture  string
	Checklist     []string // acceptance checklist
	Beneficiaries []string
	Tags          []string
	Place         string
	Goal          int64 // minor units of Currency
	Currency      string
	Status        string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Transition is one recorded change of a project's state.
type Transition struct {
	From, To string
	By       string // actor id
	Reason   string
	At       time.Time
}

// ProjectInput is what a project holder writes; Goal is a decimal amount
// in the association's currency ("1500.00"). In a change, nil fields stay.
type ProjectInput struct {
	Name          *string
	Summary       *string
	Description   *string
	Licence       *string
	Architecture  *string
	Checklist     *[]string
	Beneficiaries *[]string
	Tags          *[]string
	Place         *string
	Goal          *string
}

// apply checks in and writes it over p, collecting every field error.
func (in ProjectInput) apply(p *Project, fe *fieldErrors) {
	if in.Name != nil {
		p.Name = fe.Text("name", *in.Name, MaxProjectName, true)
	}
	if in.Summary != nil {
		p.Summary = fe.Text("summary", *in.Summary, MaxSummary, false)
	}
	if in.Description != nil {
		p.Description = fe.Text("description", *in.Description, MaxDescription, false)
	}
	if in.Licence != nil {
		if id, ok := Licence(*in.Licence); ok {
			p.Licence = id
		} else {
			fe.Add("licence", "unknown-licence", "must be an SPDX licence identifier such as AGPL-3.0-or-later or CC-BY-SA-4.0")
		}
	}
	if in.Architecture != nil {
		switch a := strings.TrimSpace(*in.Architecture); a {
		case Centralised, Decentralised, Distributed:
			p.Architecture = a
		default:
			fe.Add("architecture", "invalid-choice", "must be centralised, decentralised or distributed")
		}
	}
	if in.Checklist != nil {
		p.Checklist = fe.List("checklist", *in.Checklist, 0, MaxChecklist, MaxChecklistItem)
	}
	if in.Beneficiaries != nil {
		p.Beneficiaries = fe.List("beneficiaries", *in.Beneficiaries, 0, MaxBeneficiaries, MaxBeneficiary)
	}
	if in.Tags != nil {
		p.Tags = normalizeTags(*in.Tags, fe)
	}
	if in.Place != nil {
		p.Place = fe.Text("place", *in.Place, MaxPlace, false)
	}
	if in.Goal != nil {
		n, err := money.Parse(*in.Goal, p.Currency)
		if err != nil {
			fe.Add("goal", "invalid-amount", fmt.Sprintf("must be an amount in %s such as \"1500.00\"", p.Currency))
		} else {
			p.Goal = n
		}
	}
}

// normalizeTags lowers tags, drops a leading '#' and duplicates, and checks
// each is 1 to MaxTag letters, digits, '-' or '_'.
func normalizeTags(in []string, fe *fieldErrors) []string {
	if len(in) > MaxTags {
		fe.Add("tags", "too-many", "at most "+itoa(MaxTags)+" tags")
		return nil
	}
	var out []string
	for _, t := range in {
		t = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(t), "#"))
		if t == "" || utf8.RuneCountInString(t) > MaxTag || strings.IndexFunc(t, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_')
		}) >= 0 {
			fe.Add("tags", "invalid-tag", "each tag is 1 to 50 letters, digits, - or _")
			return nil
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

func projectFrom(r store.Project, tags []string) Project {
	if tags == nil {
		tags = []string{}
	}
	return Project{ID: r.ID, AssociationID: r.AssociationID, Holder: r.Holder, Name: r.Name, Summary: r.Summary,
		Description: r.Description, Licence: r.Licence, Architecture: r.Architecture,
		Checklist: decodeList(r.Checklist), Beneficiaries: decodeList(r.Beneficiaries), Tags: tags,
		Place: r.Place, Goal: r.Goal, Currency: r.Currency, Status: r.Status, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (p Project) row() store.Project {
	return store.Project{ID: p.ID, AssociationID: p.AssociationID, Holder: p.Holder, Name: p.Name, Summary: p.Summary,
		Description: p.Description, Licence: p.Licence, Architecture: p.Architecture,
		Checklist: encodeList(p.Checklist), Beneficiaries: encodeList(p.Beneficiaries),
		Place: p.Place, Goal: p.Goal, Currency: p.Currency, Status: p.Status, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// Propose records a project proposed by by, a member of association name,
// who becomes its holder. Name, licence and architecture are required.
func (s *Service) Propose(ctx context.Context, by membership.Account, association string, in ProjectInput) (Project, error) {
	var out Project
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		a, err := associationByName(ctx, tx, association)
		if err != nil {
			return err
		}
		if _, err := memberOf(ctx, tx, a.ID, by); err != nil {
			return err
		}
		holder, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		out, err = s.propose(ctx, tx, a, holder, in, "")
		return err
	})
	if err != nil {
		return Project{}, fmt.Errorf("propose a project: %w", err)
	}
	return out, nil
}

// propose records a project of association a held by holder (any actor);
// offer is the id of the Offer a remote actor proposed it with ("" here).
func (s *Service) propose(ctx context.Context, tx store.Tx, a membership.Association, holder string, in ProjectInput, offer string) (Project, error) {
	now := s.now()
	p := Project{ID: newID(), AssociationID: a.ID, Association: a.Name, Holder: holder, Currency: a.Settings.Currency,
		Status: ProjectProposed, Checklist: []string{}, Beneficiaries: []string{}, Tags: []string{},
		CreatedAt: now, UpdatedAt: now}
	var fe fieldErrors
	for _, req := range []struct {
		field string
		v     *string
	}{{"name", in.Name}, {"licence", in.Licence}, {"architecture", in.Architecture}} {
		if req.v == nil {
			fe.Add(req.field, "required", "this field is required")
		}
	}
	in.apply(&p, &fe)
	if err := fe.Err(); err != nil {
		return Project{}, err
	}
	row := p.row()
	row.OfferActivity = offer
	if err := tx.Projects().Create(ctx, &row); err != nil {
		return Project{}, err
	}
	if err := tx.Projects().SetTags(ctx, p.ID, p.Tags); err != nil {
		return Project{}, err
	}
	if err := recordTransition(ctx, tx, p.ID, "", ProjectProposed, holder, "", now); err != nil {
		return Project{}, err
	}
	return p, s.publishProject(ctx, tx, "Create", p)
}

func recordTransition(ctx context.Context, tx store.Tx, project uuid.UUID, from, to, by, reason string, at time.Time) error {
	return tx.Projects().AddTransition(ctx, &store.ProjectTransition{ID: newID(), ProjectID: project,
		FromStatus: from, ToStatus: to, By: by, Reason: reason, At: at})
}

// Project returns the project id.
func (s *Service) Project(ctx context.Context, id uuid.UUID) (Project, error) {
	return loadProject(ctx, s.db.Tx, id, false)
}

func loadProject(ctx context.Context, tx store.Tx, id uuid.UUID, lock bool) (Project, error) {
	var row store.Project
	var err error
	if lock {
		row, err = tx.Projects().ByIDForUpdate(ctx, id)
	} else {
		row, err = tx.Projects().ByID(ctx, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		return Project{}, ErrNoSuchProject
	}
	if err != nil {
		return Project{}, err
	}
	tags, err := tx.Projects().Tags(ctx, id)
	if err != nil {
		return Project{}, err
	}
	a, err := associationByID(ctx, tx, row.AssociationID)
	if err != nil {
		return Project{}, err
	}
	p := projectFrom(row, tags)
	p.Association = a.Name
	return p, nil
}

// History returns every change of state of project id, oldest first.
func (s *Service) History(ctx context.Context, id uuid.UUID) ([]Transition, error) {
	rows, err := s.db.Projects().Transitions(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]Transition, len(rows))
	for i, r := range rows {
		out[i] = Transition{From: r.FromStatus, To: r.ToStatus, By: r.By, Reason: r.Reason, At: r.At}
	}
	return out, nil
}

// Projects lists association name's projects, newest first, limit at a
// time before the cursor.
func (s *Service) Projects(ctx context.Context, association string, before uuid.UUID, limit int) (list []Project, next uuid.UUID, err error) {
	a, err := associationByName(ctx, s.db.Tx, association)
	if err != nil {
		return nil, uuid.Nil, err
	}
	limit = clampLimit(limit)
	rows, err := s.db.Projects().OfAssociation(ctx, a.ID, before, limit+1)
	if err != nil {
		return nil, uuid.Nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	for _, r := range rows {
		tags, err := s.db.Projects().Tags(ctx, r.ID)
		if err != nil {
			return nil, uuid.Nil, err
		}
		p := projectFrom(r, tags)
		p.Association = a.Name
		list = append(list, p)
	}
	return list, next, nil
}

// MaxPage bounds a page of any list.
const MaxPage = 100

func clampLimit(limit int) int {
	if limit <= 0 || limit > MaxPage {
		return MaxPage
	}
	return limit
}

// UpdateProject applies a change of the project's description, by its
// holder or the board, while the project is not archived.
func (s *Service) UpdateProject(ctx context.Context, by membership.Account, id uuid.UUID, in ProjectInput) (Project, error) {
	var out Project
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		p, actor, err := s.holderOrBoard(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if p.Status == ProjectArchived {
			return core.New(core.KindConflict, "project-archived", "an archived project cannot be changed")
		}
		var fe fieldErrors
		in.apply(&p, &fe)
		if err := fe.Err(); err != nil {
			return err
		}
		p.UpdatedAt = s.now()
		row := p.row()
		if err := tx.Projects().Update(ctx, &row); err != nil {
			return err
		}
		if in.Tags != nil {
			if err := tx.Projects().SetTags(ctx, p.ID, p.Tags); err != nil {
				return err
			}
		}
		if actor != p.Holder {
			if err := recordBoard(ctx, tx, p.AssociationID, by, "project.update", p.Name, nil); err != nil {
				return err
			}
		}
		out = p
		return s.publishProject(ctx, tx, "Update", p)
	})
	if err != nil {
		return Project{}, fmt.Errorf("update project %s: %w", id, err)
	}
	return out, nil
}

// holderOrBoard locks project id and checks that by holds it or sits on
// its association's board; it returns by's actor id.
func (s *Service) holderOrBoard(ctx context.Context, tx store.Tx, by membership.Account, id uuid.UUID) (Project, string, error) {
	p, err := loadProject(ctx, tx, id, true)
	if err != nil {
		return Project{}, "", err
	}
	actor, err := actorOf(ctx, tx, by)
	if err != nil {
		return Project{}, "", err
	}
	if actor == p.Holder {
		return p, actor, nil
	}
	board, err := isBoard(ctx, tx, p.AssociationID, by)
	if err != nil {
		return Project{}, "", err
	}
	if !board {
		return Project{}, "", ErrHolderOrBoard
	}
	return p, actor, nil
}

// Verdicts of an evaluation or a review.
const (
	Accept = "accept"
	Reject = "reject"
)

// Evaluate decides on a proposed project, as the board, when the
// association lets its board evaluate projects (otherwise
// ErrEvaluationProposal: the governance path decides). The project goes
// through evaluating to accepted or rejected, each step on record with the
// reason.
func (s *Service) Evaluate(ctx context.Context, by membership.Account, id uuid.UUID, verdict, reason string) (Project, error) {
	var fe fieldErrors
	reason = fe.Text("reason", reason, MaxReason, verdict == Reject)
	if verdict != Accept && verdict != Reject {
		fe.Add("verdict", "invalid-choice", "must be accept or reject")
	}
	if err := fe.Err(); err != nil {
		return Project{}, err
	}
	var out Project
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		p, err := loadProject(ctx, tx, id, true)
		if err != nil {
			return err
		}
		a, err := associationByID(ctx, tx, p.AssociationID)
		if err != nil {
			return err
		}
		board, err := isBoard(ctx, tx, a.ID, by)
		if err != nil {
			return err
		}
		if !board {
			return ErrBoardOnly
		}
		if !a.Settings.BoardMayEvaluateProjects {
			return ErrEvaluationProposal
		}
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		to := ProjectAccepted
		if verdict == Reject {
			to = ProjectRejected
		}
		now := s.now()
		if p.Status == ProjectProposed {
			if err := s.transition(ctx, tx, &p, ProjectEvaluating, actor, "evaluated by the board", now); err != nil {
				return err
			}
		}
		if err := s.transition(ctx, tx, &p, to, actor, reason, now); err != nil {
			return err
		}
		if err := recordBoard(ctx, tx, p.AssociationID, by, "project.evaluate", p.Name, map[string]any{"verdict": verdict}); err != nil {
			return err
		}
		out = p
		return s.publishProject(ctx, tx, "Update", p)
	})
	if err != nil {
		return Project{}, fmt.Errorf("evaluate project %s: %w", id, err)
	}
	return out, nil
}

// transition moves p to state to, on record, or ErrBadTransition. An
// accepted project gets its account in the ledger at once, so that donors
// can give to it before any of its tasks opens.
func (s *Service) transition(ctx context.Context, tx store.Tx, p *Project, to, by, reason string, at time.Time) error {
	if !MayTransition(p.Status, to) {
		return ErrBadTransition
	}
	from := p.Status
	p.Status, p.UpdatedAt = to, at
	row := p.row()
	if err := tx.Projects().Update(ctx, &row); err != nil {
		return err
	}
	if to == ProjectAccepted {
		if err := s.ledger.OpenProjectAccount(ctx, tx, p.AssociationID, p.ID); err != nil {
			return err
		}
	}
	return recordTransition(ctx, tx, p.ID, from, to, by, reason, at)
}

// SetProjectStatus moves an evaluated project on: accepted → active by
// its holder or the board; active → completed, and to archived, by the
// board. Evaluation goes through Evaluate.
func (s *Service) SetProjectStatus(ctx context.Context, by membership.Account, id uuid.UUID, to, reason string) (Project, error) {
	var fe fieldErrors
	reason = fe.Text("reason", reason, MaxReason, false)
	if !slices.Contains([]string{ProjectActive, ProjectCompleted, ProjectArchived}, to) {
		fe.Add("status", "invalid-choice", "must be active, completed or archived; a project is accepted or rejected by its evaluation")
	}
	if err := fe.Err(); err != nil {
		return Project{}, err
	}
	var out Project
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		p, actor, err := s.holderOrBoard(ctx, tx, by, id)
		if err != nil {
			return err
		}
		switch {
		case !MayTransition(p.Status, to):
			return ErrBadTransition
		case to == ProjectActive:
		default:
			board, err := isBoard(ctx, tx, p.AssociationID, by)
			if err != nil {
				return err
			}
			if !board {
				return ErrBoardOnly
			}
		}
		if err := s.transition(ctx, tx, &p, to, actor, reason, s.now()); err != nil {
			return err
		}
		if actor != p.Holder || to != ProjectActive {
			// The board's authority allowed it, not the holder's.
			if err := recordBoard(ctx, tx, p.AssociationID, by, "project.status", p.Name, map[string]any{"status": to}); err != nil {
				return err
			}
		}
		out = p
		return s.publishProject(ctx, tx, "Update", p)
	})
	if err != nil {
		return Project{}, fmt.Errorf("change status of project %s: %w", id, err)
	}
	return out, nil
}
