package domains

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// BlockChange is what an admin changes of a block: the fields given (not
// nil) replace the block's. Confirm goes on even though a suspension cuts
// off remote members.
type BlockChange struct {
	Severity       *string
	PublicComment  *string
	PrivateComment *string
	Confirm        bool
}

// checkSeverity returns severity, Suspend for "", or a field error.
func checkSeverity(fields *core.FieldErrors, severity string) string {
	switch severity {
	case "":
		return Suspend
	case Suspend, Silence:
		return severity
	}
	fields.Add("severity", "invalid-choice", "the severity is silence or suspend")
	return ""
}

func checkComments(fields *core.FieldErrors, public, private string) {
	for _, c := range []struct{ field, text string }{{"public_comment", public}, {"private_comment", private}} {
		if len([]rune(c.text)) > MaxComment {
			fields.Add(c.field, "too-long", fmt.Sprintf("at most %d characters", MaxComment))
		}
	}
}

// Block blocks in.Domain and its subdomains. A suspension ends every
// follow between local actors and actors there, and is refused with the
// list (CutsMembers) when it cuts off active remote members of local
// associations, unless in.Confirm. It returns the block and how many
// follows it ended.
func (s *Service) Block(ctx context.Context, by Admin, in NewBlock) (Block, int, error) {
	var fields core.FieldErrors
	domain, ferr := Normalize("domain", in.Domain)
	if ferr != nil {
		fields = append(fields, *ferr)
	}
	severity := checkSeverity(&fields, in.Severity)
	checkComments(&fields, in.PublicComment, in.PrivateComment)
	if err := fields.Err(); err != nil {
		return Block{}, 0, err
	}
	if covers(domain, s.localHost) {
		return Block{}, 0, ErrOwnDomain
	}
	row := store.DomainBlock{ID: uuid.Must(uuid.NewV7()), Domain: domain, Severity: severity,
		PublicComment: strings.TrimSpace(in.PublicComment), PrivateComment: strings.TrimSpace(in.PrivateComment),
		CreatedBy: by.Account(), CreatedAt: s.clock.Now().UTC()}
	severed := 0
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		if severity == Suspend {
			if err := guard(ctx, tx, in.Confirm, func(host string) bool { return covers(domain, host) }); err != nil {
				return err
			}
		}
		if err := tx.DomainBlocks().Add(ctx, &row); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return ErrAlreadyBlocked
			}
			return err
		}
		var err error
		if severity == Suspend {
			if severed, err = s.sever(ctx, tx, domain); err != nil {
				return err
			}
		}
		return record(ctx, tx, by, "domain.block", domain, map[string]any{"severity": severity, "follows_ended": severed})
	})
	if err != nil {
		return Block{}, 0, fmt.Errorf("block %s: %w", domain, err)
	}
	return blockFrom(row), severed, nil
}

// sever ends every follow between local actors and actors on domain.
func (s *Service) sever(ctx context.Context, tx store.Tx, domain string) (int, error) {
	actors, err := tx.Actors().RemoteOfDomain(ctx, domain)
	if err != nil {
		return 0, err
	}
	return tx.Follows().DeleteInvolving(ctx, actors)
}

// UpdateBlock changes the block of domain. Turning a silence into a
// suspension ends the follows and is guarded as Block is.
func (s *Service) UpdateBlock(ctx context.Context, by Admin, domain string, in BlockChange) (Block, error) {
	var fields core.FieldErrors
	d, ferr := Normalize("domain", domain)
	if ferr != nil {
		fields = append(fields, *ferr)
	}
	if in.Severity != nil {
		if *in.Severity == "" {
			fields.Add("severity", "invalid-choice", "the severity is silence or suspend")
		} else {
			checkSeverity(&fields, *in.Severity)
		}
	}
	var public, private string
	if in.PublicComment != nil {
		public = *in.PublicComment
	}
	if in.PrivateComment != nil {
		private = *in.PrivateComment
	}
	checkComments(&fields, public, private)
	if err := fields.Err(); err != nil {
		return Block{}, err
	}
	var out store.DomainBlock
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		b, err := tx.DomainBlocks().ByDomain(ctx, d)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotBlocked
		}
		if err != nil {
			return err
		}
		detail := map[string]any{}
		suspends := false
		if in.Severity != nil && *in.Severity != b.Severity {
			detail["severity"], detail["was"] = *in.Severity, b.Severity
			suspends = *in.Severity == Suspend
			b.Severity = *in.Severity
		}
		if in.PublicComment != nil {
			b.PublicComment = strings.TrimSpace(public)
			detail["public_comment"] = b.PublicComment
		}
		if in.PrivateComment != nil {
			b.PrivateComment = strings.TrimSpace(private)
		}
		if suspends {
			if err := guard(ctx, tx, in.Confirm, func(host string) bool { return covers(d, host) }); err != nil {
				return err
			}
		}
		if err := tx.DomainBlocks().Update(ctx, &b); err != nil {
			return err
		}
		if suspends {
			n, err := s.sever(ctx, tx, d)
			if err != nil {
				return err
			}
			detail["follows_ended"] = n
		}
		out = b
		return record(ctx, tx, by, "domain.update", d, detail)
	})
	if err != nil {
		return Block{}, fmt.Errorf("update the block of %s: %w", d, err)
	}
	return blockFrom(out), nil
}

// Unblock lifts the block of domain.
func (s *Service) Unblock(ctx context.Context, by Admin, domain string) error {
	d, ferr := Normalize("domain", domain)
	if ferr != nil {
		return core.Invalid(*ferr)
	}
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		err := tx.DomainBlocks().Remove(ctx, d)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotBlocked
		}
		if err != nil {
			return err
		}
		return record(ctx, tx, by, "domain.unblock", d, nil)
	})
	if err != nil {
		return fmt.Errorf("unblock %s: %w", d, err)
	}
	return nil
}
