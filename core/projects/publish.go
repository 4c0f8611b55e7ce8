package projects

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// Publication is a change to publish in the transaction that makes it
// (DESIGN §1): the Create or Update of a project, a task or a submission,
// as it is once changed. Exactly one of Project, Task and Submission is
// set; Review comes with a reviewed submission.
type Publication struct {
	Type       string // Create or Update
	Project    *Project
	Task       *Task
	Submission *Submission
	Review     *Review
}

// Publisher queues publications inside the caller's transaction;
// federation provides it.
type Publisher interface {
	Publish(ctx context.Context, tx store.Tx, p Publication) error
}

// UsePublisher sets who turns publications into activities. It is set once,
// at wiring, before the service is used by several goroutines. Without one
// nothing is published (a service used without federation, in tests).
func (s *Service) UsePublisher(p Publisher) { s.publisher = p }

func (s *Service) publish(ctx context.Context, tx store.Tx, p Publication) error {
	if s.publisher == nil {
		return nil
	}
	if err := s.publisher.Publish(ctx, tx, p); err != nil {
		return fmt.Errorf("publish %s: %w", p.Type, err)
	}
	return nil
}

func (s *Service) publishProject(ctx context.Context, tx store.Tx, kind string, p Project) error {
	return s.publish(ctx, tx, Publication{Type: kind, Project: &p})
}

// publishTask publishes task id as it is now in tx. Drafts are not
// published: a task is created for others when it opens.
func (s *Service) publishTask(ctx context.Context, tx store.Tx, kind string, id uuid.UUID) error {
	if s.publisher == nil {
		return nil
	}
	row, err := tx.Tasks().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchTask
	}
	if err != nil {
		return err
	}
	if row.Status == TaskDraft {
		return nil
	}
	t := taskFrom(row)
	return s.publish(ctx, tx, Publication{Type: kind, Task: &t})
}

// publishSubmission publishes submission id as it is now in tx, with its
// review once there is one.
func (s *Service) publishSubmission(ctx context.Context, tx store.Tx, kind string, id uuid.UUID, review *Review) error {
	if s.publisher == nil {
		return nil
	}
	row, err := tx.Submissions().ByID(ctx, id)
	if err != nil {
		return err
	}
	sub := submissionFrom(row)
	return s.publish(ctx, tx, Publication{Type: kind, Submission: &sub, Review: review})
}
