package pages

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
)

// instructionScopes are the scopes of voting instructions, in the order
// the page shows them: every category, then each one.
var instructionScopes = append([]string{""}, governance.Categories...)

// scopeField is the text area of a scope's delegates, one a line.
func scopeField(scope string) string {
	if scope == "" {
		return "delegates_all"
	}
	return "delegates_" + scope
}

var delegationFields = func() []string {
	var f []string
	for _, scope := range instructionScopes {
		f = append(f, scopeField(scope))
	}
	return f
}()

func init() {
	for _, f := range delegationFields {
		fieldMax[f] = governance.MaxDelegates * (core.MaxIDLength + 2)
	}
	labelSets["role_word"] = labelKeys("role_word", governance.DelegableRoles...)
}

// scopeView is the text area of one scope.
type scopeView struct {
	Scope string // "" for every category
	Field string
}

type delegationsPage struct {
	frame
	Association membership.Association
	Scopes      []scopeView
	Form        *form
	Done        string
}

// delegationsPage shows the viewer's voting instructions in the
// association, a list of delegates per scope, to edit.
func (s *server) delegationsPage(w http.ResponseWriter, r *http.Request) {
	acc, a, ok := s.memberOnly(w, r, r.URL.Path)
	if !ok {
		return
	}
	ctx := r.Context()
	rules, err := s.governance.Instructions(ctx, acc, a.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(delegationFields...)
	names, sp := s.namer(ctx), s.speaker(r)
	for _, rule := range rules {
		var list []string
		for _, d := range rule.Delegates {
			if d.Role != "" {
				list = append(list, sp.label(labelSets["role_word"], d.Role))
			} else {
				list = append(list, names.actor(d.Actor).Handle)
			}
		}
		f.Values[scopeField(rule.Scope)] = strings.Join(list, "\n")
	}
	s.showDelegations(w, r, http.StatusOK, a, f)
}

func (s *server) showDelegations(w http.ResponseWriter, r *http.Request, status int, a membership.Association, f *form) {
	p := &delegationsPage{Association: a, Form: f, Done: doneParam(r, "saved")}
	for _, scope := range instructionScopes {
		p.Scopes = append(p.Scopes, scopeView{Scope: scope, Field: scopeField(scope)})
	}
	s.render(w, r, status, "delegations", p)
}

// changeDelegations replaces the viewer's voting instructions with those
// of the form.
func (s *server) changeDelegations(w http.ResponseWriter, r *http.Request) {
	acc, a, ok := s.memberOnly(w, r, r.URL.Path)
	if !ok {
		return
	}
	f, err := readForm(r, delegationFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		rules, rename, err := s.votingRules(r, f)
		if err == nil {
			if _, err = s.governance.SetInstructions(r.Context(), acc, a.Name, rules); err == nil {
				redirect(w, r, "/@"+a.Name+"/delegations?done=saved")
				return
			}
		}
		if !s.formError(w, r, f, err, rename) {
			return
		}
	}
	s.showDelegations(w, r, f.Status(), a, f)
}

// votingRules reads the form's delegates, one a line per scope: a role
// word (in any language the pages speak) or a person. rename maps core's
// fields (rules numbered among the scopes given) to the text areas.
func (s *server) votingRules(r *http.Request, f *form) ([]governance.VotingRule, map[string]string, error) {
	var rules []governance.VotingRule
	rename := map[string]string{}
	var fe core.FieldErrors
	for _, scope := range instructionScopes {
		field := scopeField(scope)
		list := lines(f.Value(field))
		if len(list) == 0 {
			continue
		}
		n := len(rules)
		rename[fmt.Sprintf("rules[%d].delegates", n)] = field
		rename[fmt.Sprintf("rules[%d].scope", n)] = field
		rule := governance.VotingRule{Scope: scope}
		for _, line := range list {
			if role := s.roleWord(line); role != "" {
				rule.Delegates = append(rule.Delegates, governance.DelegateRef{Role: role})
				continue
			}
			uri, e := s.actorOfHandle(r.Context(), line, field)
			if e != nil {
				e.Code, e.Detail = "delegate-not-found", "no person "+line+" was found: write @name, board or treasurer"
				fe = append(fe, *e)
				break
			}
			rule.Delegates = append(rule.Delegates, governance.DelegateRef{Actor: uri})
		}
		rules = append(rules, rule)
	}
	return rules, rename, fe.Err()
}

// roleWord is the role a bare word names ("board", "bureau"…), or "".
// A person is written with an @.
func (s *server) roleWord(word string) string {
	w := strings.ToLower(strings.TrimSpace(word))
	for _, role := range governance.DelegableRoles {
		if w == role {
			return role
		}
		for _, lang := range s.cat.langs {
			if strings.ToLower(s.cat.speakers[lang].label(labelSets["role_word"], role)) == w {
				return role
			}
		}
	}
	return ""
}
