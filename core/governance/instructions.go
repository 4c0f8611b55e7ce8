package governance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// DelegateRef names a delegate: a member by their actor id, or a role.
type DelegateRef struct {
	Actor string `json:"actor,omitempty"`
	Role  string `json:"role,omitempty"`
}

// VotingRule is a member's standing instruction for one scope: a category
// of proposals, or "" for every category (the category's own rule
// overrides it).
type VotingRule struct {
	Scope     string
	Delegates []DelegateRef
}

// storedDelegate is a delegate as voting_instructions keeps it: with the
// member's voter number, which the instruction pages hold.
type storedDelegate struct {
	Actor  string `json:"actor,omitempty"`
	Number int32  `json:"number,omitempty"`
	Role   string `json:"role,omitempty"`
}

// SetInstructions replaces by's standing voting instructions in
// association name with rules (none: by follows nobody). Each rule lists
// at most MaxDelegates delegates, members of the association or roles
// (board, treasurer), in order of preference; a member may not name
// themselves. The change applies at once to every open vote.
func (s *Service) SetInstructions(ctx context.Context, by membership.Account, name string, rules []VotingRule) ([]VotingRule, error) {
	rules, err := checkRules(rules)
	if err != nil {
		return nil, err
	}
	var out []VotingRule
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		a, err := associationByName(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := memberOf(ctx, tx, a.ID, by); err != nil {
			return err
		}
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		out, err = s.replaceInstructions(ctx, tx, a.ID, actor, rules)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("set voting instructions in %s: %w", name, err)
	}
	return out, nil
}

// checkRules checks the form of rules: known scopes, each once; 1 to
// MaxDelegates delegates, each an actor id or a role one may delegate to,
// each once (a repeated delegate is dropped). Rules without delegates are
// dropped.
func checkRules(in []VotingRule) ([]VotingRule, error) {
	var fe fieldErrors
	if len(in) > len(Categories)+1 {
		fe.Add("rules", "too-many", fmt.Sprintf("at most %d rules, one per scope", len(Categories)+1))
		return nil, fe.Err()
	}
	seen := map[string]bool{}
	out := make([]VotingRule, 0, len(in))
	for i, r := range in {
		field := fmt.Sprintf("rules[%d]", i)
		scope := strings.TrimSpace(r.Scope)
		if scope != "" && !IsCategory(scope) {
			fe.Add(field+".scope", "invalid-choice", `must be "" (every category) or one of `+strings.Join(Categories, ", "))
			continue
		}
		if seen[scope] {
			fe.Add(field+".scope", "duplicate-scope", "one rule per scope")
			continue
		}
		seen[scope] = true
		if len(r.Delegates) > MaxDelegates {
			fe.Add(field+".delegates", "too-many", fmt.Sprintf("at most %d delegates", MaxDelegates))
			continue
		}
		var list []DelegateRef
		for _, d := range r.Delegates {
			d = DelegateRef{Actor: strings.TrimSpace(d.Actor), Role: strings.TrimSpace(d.Role)}
			switch {
			case (d.Actor == "") == (d.Role == ""):
				fe.Add(field+".delegates", "actor-or-role", "each delegate is a member (actor) or a role, not both")
			case d.Role != "" && !slices.Contains(DelegableRoles, d.Role):
				fe.Add(field+".delegates", "invalid-role", "a role must be one of "+strings.Join(DelegableRoles, ", "))
			case d.Actor != "" && !core.IsHTTPURL(d.Actor):
				fe.Add(field+".delegates", "not-a-url", "a member is named by their actor id, an http or https address")
			case !slices.Contains(list, d):
				list = append(list, d)
			}
		}
		if len(list) > 0 {
			out = append(out, VotingRule{Scope: scope, Delegates: list})
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// replaceInstructions writes actor's instructions in association and
// rebuilds the instruction page they are on. The delegates must be members
// of the association (any status but pending), other than actor.
func (s *Service) replaceInstructions(ctx context.Context, tx store.Tx, association uuid.UUID, actor string, rules []VotingRule) ([]VotingRule, error) {
	var fe fieldErrors
	names := []string{actor}
	for i, r := range rules {
		for _, d := range r.Delegates {
			if d.Actor == "" {
				continue
			}
			field := fmt.Sprintf("rules[%d].delegates", i)
			if d.Actor == actor {
				fe.Add(field, "self-delegation", "you cannot delegate your vote to yourself")
				continue
			}
			m, err := memberByActor(ctx, tx, association, d.Actor)
			switch {
			case errors.Is(err, store.ErrNotFound) || (err == nil && m.Status != membership.MemberActive):
				fe.Add(field, "delegate-not-member", "each delegate must be a member of the association: "+d.Actor+" is not")
			case err != nil:
				return nil, err
			case !slices.Contains(names, d.Actor):
				names = append(names, d.Actor)
			}
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	numbers, err := s.numbers(ctx, tx, association, names)
	if err != nil {
		return nil, err
	}
	number := numbers[0]
	of := map[string]int32{}
	for i, n := range names {
		of[n] = numbers[i]
	}
	now := s.now()
	rows := make([]store.VotingInstruction, 0, len(rules))
	for _, r := range rules {
		list := make([]storedDelegate, len(r.Delegates))
		for i, d := range r.Delegates {
			list[i] = storedDelegate{Actor: d.Actor, Role: d.Role}
			if d.Actor != "" {
				list[i].Number = of[d.Actor]
			}
		}
		rows = append(rows, store.VotingInstruction{AssociationID: association, VoterNumber: number, Scope: r.Scope,
			Delegates: encodeJSON(list), UpdatedAt: now})
	}
	page, _ := pageOf(number)
	// Lock the page before reading its rows: two members of one page
	// changing their instructions at once rebuild it one after the other.
	if err := tx.Instructions().LockPage(ctx, association, page); err != nil {
		return nil, err
	}
	if err := tx.Instructions().Replace(ctx, association, number, rows); err != nil {
		return nil, err
	}
	if err := rebuildPage(ctx, tx, association, page); err != nil {
		return nil, err
	}
	return rules, nil
}

// numbers returns the voter numbers of actors in association. Giving new
// ones takes the association's lock, as the opening of a phase does; most
// changes of instructions name members numbered already and take none.
func (s *Service) numbers(ctx context.Context, tx store.Tx, association uuid.UUID, actors []string) ([]int32, error) {
	out := make([]int32, len(actors))
	for i, a := range actors {
		n, err := tx.Voters().Number(ctx, association, a)
		if errors.Is(err, store.ErrNotFound) {
			if _, err := tx.Associations().ByIDForUpdate(ctx, association); err != nil {
				return nil, err
			}
			return tx.Voters().Ensure(ctx, association, actors)
		}
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// rebuildPage packs the instructions of the voters of page from their
// rows.
func rebuildPage(ctx context.Context, tx store.Tx, association uuid.UUID, page int32) error {
	rows, err := tx.Instructions().InRange(ctx, association, page*PageSize, (page+1)*PageSize)
	if err != nil {
		return err
	}
	var voters []pageVoter
	for _, r := range rows {
		_, off := pageOf(r.VoterNumber)
		if len(voters) == 0 || voters[len(voters)-1].offset != off {
			voters = append(voters, pageVoter{offset: off})
		}
		var list []storedDelegate
		if err := json.Unmarshal([]byte(r.Delegates), &list); err != nil {
			return fmt.Errorf("instructions of voter %d: %w", r.VoterNumber, err)
		}
		in := Instruction{Scope: r.Scope}
		for _, d := range list {
			if d.Role != "" {
				in.Delegates = append(in.Delegates, Delegate{Role: d.Role})
			} else {
				in.Delegates = append(in.Delegates, Delegate{Voter: d.Number})
			}
		}
		v := &voters[len(voters)-1]
		v.instructions = append(v.instructions, in)
	}
	return tx.Instructions().SetPage(ctx, &store.InstructionPage{AssociationID: association, Page: page, Data: encodeInstructions(voters)})
}

// Instructions returns by's standing voting instructions in association
// name, by scope.
func (s *Service) Instructions(ctx context.Context, by membership.Account, name string) ([]VotingRule, error) {
	tx := s.db.Tx
	a, err := associationByName(ctx, tx, name)
	if err != nil {
		return nil, err
	}
	if _, err := memberOf(ctx, tx, a.ID, by); err != nil {
		return nil, err
	}
	actor, err := actorOf(ctx, tx, by)
	if err != nil {
		return nil, err
	}
	return s.instructionsOf(ctx, tx, a.ID, actor)
}

func (s *Service) instructionsOf(ctx context.Context, tx store.Tx, association uuid.UUID, actor string) ([]VotingRule, error) {
	number, err := tx.Voters().Number(ctx, association, actor)
	if errors.Is(err, store.ErrNotFound) {
		return []VotingRule{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("voting instructions of %s: %w", actor, err)
	}
	rows, err := tx.Instructions().Of(ctx, association, number)
	if err != nil {
		return nil, fmt.Errorf("voting instructions of %s: %w", actor, err)
	}
	out := make([]VotingRule, 0, len(rows))
	for _, r := range rows {
		var list []storedDelegate
		if err := json.Unmarshal([]byte(r.Delegates), &list); err != nil {
			return nil, fmt.Errorf("voting instructions of %s: %w", actor, err)
		}
		rule := VotingRule{Scope: r.Scope}
		for _, d := range list {
			rule.Delegates = append(rule.Delegates, DelegateRef{Actor: d.Actor, Role: d.Role})
		}
		out = append(out, rule)
	}
	return out, nil
}
