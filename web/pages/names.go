package pages

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
)

// actorRef is an actor as the project pages show it: its handle, linked
// to its page here when this instance knows it.
type actorRef struct {
	Handle string // "@ada" (local) or "@ada@example.org"; the URI itself when unknown
	Path   string // "" when there is no page to link to
}

// accountRef is a ledger account as a person reads it: the general fund,
// donors, payees, or a project or task by its name.
type accountRef struct {
	Kind string // general, donors, payees, project, task, or other (Name is the key)
	Name string
	Path string
}

// namer turns the ids the domain keeps (actor URIs, account keys, project
// and task ids) into names and links, remembering each for the request.
type namer struct {
	s        *server
	ctx      context.Context
	actors   map[string]actorRef
	projects map[uuid.UUID]string
	tasks    map[uuid.UUID]string
}

func (s *server) namer(ctx context.Context) *namer {
	return &namer{s: s, ctx: ctx, actors: map[string]actorRef{}, projects: map[uuid.UUID]string{}, tasks: map[uuid.UUID]string{}}
}

// actor names the actor uri. An unknown actor is shown by its URI, without
// a link: it may be anyone's.
func (n *namer) actor(uri string) actorRef {
	if uri == "" {
		return actorRef{}
	}
	if a, ok := n.actors[uri]; ok {
		return a
	}
	ref := actorRef{Handle: uri}
	a, err := n.s.members.ActorByURI(n.ctx, uri)
	switch {
	case err == nil && a.Local:
		ref = actorRef{Handle: "@" + a.Username, Path: "/@" + a.Username}
	case err == nil && a.Username != "":
		ref = actorRef{Handle: "@" + a.Username + "@" + a.Host, Path: "/@" + a.Username + "@" + a.Host}
	}
	n.actors[uri] = ref
	return ref
}

func (n *namer) actorList(uris []string) []actorRef {
	out := make([]actorRef, len(uris))
	for i, u := range uris {
		out[i] = n.actor(u)
	}
	return out
}

// project names project id; "" when it cannot be read.
func (n *namer) project(id uuid.UUID) string {
	if name, ok := n.projects[id]; ok {
		return name
	}
	name := ""
	if p, err := n.s.projects.Project(n.ctx, id); err == nil {
		name = p.Name
	}
	n.projects[id] = name
	return name
}

// task names task id; "" when it cannot be read.
func (n *namer) task(id uuid.UUID) string {
	if name, ok := n.tasks[id]; ok {
		return name
	}
	name := ""
	if t, err := n.s.projects.Task(n.ctx, id); err == nil {
		name = t.Name
	}
	n.tasks[id] = name
	return name
}

// account names the ledger account key.
func (n *namer) account(key string) accountRef {
	switch key {
	case ledger.KeyGeneral:
		return accountRef{Kind: "general"}
	case ledger.KeyDonors:
		return accountRef{Kind: "donors"}
	case ledger.KeyPayees:
		return accountRef{Kind: "payees"}
	}
	kind, rest, _ := strings.Cut(key, ":")
	id, err := uuid.Parse(rest)
	if err != nil {
		return accountRef{Kind: "other", Name: key}
	}
	switch kind {
	case ledger.AccountProject:
		return accountRef{Kind: "project", Name: n.project(id), Path: "/projects/" + id.String()}
	case ledger.AccountTask:
		return accountRef{Kind: "task", Name: n.task(id), Path: "/tasks/" + id.String()}
	}
	return accountRef{Kind: "other", Name: key}
}

// causeRef is a transaction's cause as a link where this instance can show
// it: a donation's trace, a submission's task, an actor's profile.
type causeRef struct {
	Kind string // donation, work, actor, decision, or text (a reference given by the treasurer)
	Text string
	Path string
}

// cause reads the cause of a transaction, a URI of this instance or a free
// reference given by the treasurer.
func (n *namer) cause(c string) causeRef {
	base := n.s.cfg.BaseURL()
	text := causeRef{Kind: "text", Text: c}
	if !strings.HasPrefix(c, base+"/") {
		return text
	}
	u, err := url.Parse(c)
	if err != nil {
		return text
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 2 {
		return text
	}
	switch parts[0] {
	case "actors":
		ref := n.actor(c)
		return causeRef{Kind: "actor", Text: ref.Handle, Path: ref.Path}
	case "donations":
		if id, err := uuid.Parse(parts[1]); err == nil {
			return causeRef{Kind: "donation", Text: c, Path: "/donations/" + id.String() + "/trace"}
		}
	case "proposals":
		if id, err := uuid.Parse(parts[1]); err == nil && n.s.governance != nil {
			if p, err := n.s.governance.Proposal(n.ctx, id); err == nil {
				return causeRef{Kind: "decision", Text: p.Title, Path: proposalPath(id)}
			}
		}
	case "submissions":
		if id, err := uuid.Parse(parts[1]); err == nil {
			if sub, err := n.s.projects.Submission(n.ctx, id); err == nil {
				return causeRef{Kind: "work", Text: c, Path: "/tasks/" + sub.TaskID.String() + "#submission-" + id.String()}
			}
		}
	}
	return text
}

// memberOf returns acc's membership of association name; ok is false when
// acc is nobody or not a member.
func (s *server) memberOf(ctx context.Context, acc *membership.Account, name string) (m membership.Member, ok bool, err error) {
	if acc == nil {
		return membership.Member{}, false, nil
	}
	m, err = s.members.Membership(ctx, *acc, name)
	switch {
	case errors.Is(err, membership.ErrNoSuchMember):
		return membership.Member{}, false, nil
	case err != nil:
		return membership.Member{}, false, err
	}
	return m, m.Status == membership.MemberActive, nil
}

// viewerURI is the actor id of the viewer, "" for a visitor.
func (s *server) viewerURI(acc *membership.Account) string {
	if acc == nil {
		return ""
	}
	return s.members.ActorURI(acc.Username)
}

// taskPath and projectPath are the pages of a task and a project.
func taskPath(t projects.Task) string       { return "/tasks/" + t.ID.String() }
func projectPath(p projects.Project) string { return "/projects/" + p.ID.String() }
