package membership_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
)

// moderationFixture is a reports fixture whose publications are recorded
// and whose notes can be removed.
type moderationFixture struct {
	reportsFixture
	pubs     *publications
	notePubs *newsPublications
}

func newModerationFixture(t *testing.T, f fixture) moderationFixture {
	t.Helper()
	m := moderationFixture{reportsFixture: newReportsFixture(t, f), pubs: &publications{}, notePubs: &newsPublications{}}
	m.svc.UsePublisher(m.pubs)
	m.notes.UsePublisher(m.notePubs)
	m.svc.UseNoteRemover(m.notes)
	return m
}

// audited returns the actions of the audit log of scope, oldest first.
func (m moderationFixture) audited(t *testing.T, scope string) []store.AuditEntry {
	t.Helper()
	list, err := m.db.AuditLog().List(context.Background(), store.AuditFilter{Scope: scope, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

func actions(list []store.AuditEntry) string {
	var out []string
	for _, e := range list {
		out = append(out, e.Action)
	}
	return strings.Join(out, ",")
}

// inNetwork reports whether the note id is on the network timeline.
func (m moderationFixture) inNetwork(t *testing.T, id uuid.UUID) bool {
	t.Helper()
	p, err := m.notes.Network(context.Background(), nil, "", 40)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range p.Entries {
		if e.Note.ID == id {
			return true
		}
	}
	return false
}

func TestModerateAccount_EachActionAndItsEffect(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		m := newModerationFixture(t, f)
		secret, _, err := m.svc.CreateToken(ctx, m.user, "script")
		if err != nil {
			t.Fatal(err)
		}
		// zoe (elsewhere) follows dee.
		if _, err := m.svc.ReceiveFollow(ctx, m.zoe.URI, local+"dee", "https://peer.example/follows/1"); err != nil {
			t.Fatal(err)
		}
		act := func(by membership.Account, acct, typ string) error {
			_, err := m.svc.ModerateAccount(ctx, by, acct, membership.ActionInput{Type: typ, Text: "be kind"})
			return err
		}
		tests := []struct {
			name, acct, action string
			check              func(t *testing.T)
		}{
			{"a warning is shown to the person", "dee", membership.ActionWarn, func(t *testing.T) {
				w, err := m.svc.Warnings(ctx, m.user)
				if err != nil || len(w) != 1 || w[0].Text != "be kind" || w[0].Moderator != "" {
					t.Fatalf("warnings %+v, %v", w, err)
				}
			}},
			{"silenced, the posts leave the public views", "dee", membership.ActionSilence, func(t *testing.T) {
				if m.inNetwork(t, m.userNote.ID) {
					t.Fatal("a silenced person's note is on the network timeline")
				}
				home, err := m.notes.Home(ctx, m.user, "", 20)
				if err != nil || len(home.Entries) == 0 {
					t.Fatalf("the silenced person's own home is empty: %v", err)
				}
			}},
			{"unsilenced, they are back", "dee", membership.ActionUnsilence, func(t *testing.T) {
				if !m.inNetwork(t, m.userNote.ID) {
					t.Fatal("the note is not back")
				}
			}},
			{"suspended, the person is cut off", "dee", membership.ActionSuspend, func(t *testing.T) {
				if _, err := m.svc.LogIn(ctx, "dee", "correct horse battery", "192.0.2.1"); !errors.Is(err, membership.ErrAccountSuspended) {
					t.Fatalf("log in: %v", err)
				}
				if _, err := m.svc.TokenAccount(ctx, secret); !errors.Is(err, membership.ErrUnauthenticated) {
					t.Fatalf("token: %v", err)
				}
				if _, err := m.svc.LocalActor(ctx, "dee"); !errors.Is(err, membership.ErrActorDeleted) {
					t.Fatalf("the actor answers %v, want gone", err)
				}
				if _, _, err := m.svc.SigningKey(ctx, "dee"); err == nil {
					t.Fatal("a suspended actor still signs deliveries")
				}
				if m.inNetwork(t, m.userNote.ID) {
					t.Fatal("a suspended person's note is on the network timeline")
				}
			}},
			{"unsuspended, everything is back", "dee", membership.ActionUnsuspend, func(t *testing.T) {
				if _, err := m.svc.LogIn(ctx, "dee", "correct horse battery", "192.0.2.1"); err != nil {
					t.Fatal(err)
				}
				if _, err := m.svc.TokenAccount(ctx, secret); err != nil {
					t.Fatal(err)
				}
				if _, err := m.svc.LocalActor(ctx, "dee"); err != nil {
					t.Fatal(err)
				}
			}},
			{"a remote actor suspended loses its follows here", "zoe@peer.example", membership.ActionSuspend, func(t *testing.T) {
				inboxes, err := m.db.Follows().FollowerInboxes(ctx, m.actor(t, "dee").ID)
				if err != nil || len(inboxes) != 0 {
					t.Fatalf("followers' inboxes %v, %v", inboxes, err)
				}
			}},
			{"an association can be silenced", "commons", membership.ActionSilence, func(t *testing.T) {
				if m.inNetwork(t, m.boardNote.ID) {
					t.Fatal("a silenced association's note is on the network timeline")
				}
			}},
			{"a remote actor deleted is forgotten here", "zoe@peer.example", membership.ActionDelete, func(t *testing.T) {
				row, err := m.db.Actors().ByURI(ctx, m.zoe.URI)
				if err != nil || row.DeletedAt == nil {
					t.Fatalf("zoe %+v, %v", row.DeletedAt, err)
				}
			}},
			{"a local account deleted, with its federated Delete", "bob", membership.ActionDelete, func(t *testing.T) {
				if _, err := m.svc.Account(ctx, "bob"); err != nil {
					t.Fatal(err)
				}
				acc, _ := m.svc.Account(ctx, "bob")
				if acc.Status != membership.AccountDeleted {
					t.Fatalf("bob is %s", acc.Status)
				}
			}},
		}
		var want []string
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := act(m.admin, tt.acct, tt.action); err != nil {
					t.Fatal(err)
				}
				want = append(want, "account."+tt.action)
				tt.check(t)
				if got := actions(m.audited(t, store.AuditInstance)); got != strings.Join(want, ",") {
					t.Fatalf("audit log %s, want %s", got, strings.Join(want, ","))
				}
			})
		}
	})
}

// The Delete of a deleted local account goes to its followers' servers.
func TestModerateAccount_DeleteIsFederated(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		m := newModerationFixture(t, f)
		if _, err := m.svc.ReceiveFollow(ctx, m.zoe.URI, local+"dee", "https://peer.example/follows/1"); err != nil {
			t.Fatal(err)
		}
		m.pubs.take()
		if _, err := m.svc.ModerateAccount(ctx, m.admin, "dee", membership.ActionInput{Type: membership.ActionDelete}); err != nil {
			t.Fatal(err)
		}
		pubs := m.pubs.take()
		if kinds(pubs) != "Delete" || pubs[0].Actor.Username != "dee" || len(pubs[0].Inboxes) != 1 {
			t.Fatalf("published %+v", pubs)
		}
	})
}

func TestModerateAccount_PermissionsAndBadInput(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		m := newModerationFixture(t, f)
		tests := []struct {
			name string
			by   membership.Account
			acct string
			in   membership.ActionInput
			code string
		}{
			{"a moderator warns", m.moderator, "dee", membership.ActionInput{Type: "warn"}, ""},
			{"a moderator suspends a remote actor", m.moderator, "zoe@peer.example", membership.ActionInput{Type: "suspend"}, ""},
			{"a moderator may not delete", m.moderator, "dee", membership.ActionInput{Type: "delete"}, "not-allowed"},
			{"nor act on an administrator", m.moderator, "root", membership.ActionInput{Type: "silence"}, "not-allowed"},
			{"a board member may not", m.board, "dee", membership.ActionInput{Type: "warn"}, "not-allowed"},
			{"a member may not", m.member, "dee", membership.ActionInput{Type: "warn"}, "not-allowed"},
			{"nobody acts on their own account", m.admin, "root", membership.ActionInput{Type: "warn"}, "moderate-self"},
			{"an unknown account", m.admin, "nobody", membership.ActionInput{Type: "warn"}, "actor-not-found"},
			{"an unknown remote actor", m.admin, "nobody@peer.example", membership.ActionInput{Type: "warn"}, "actor-not-found"},
			{"the instance actor is not an account", m.admin, "127.0.0.1:8080", membership.ActionInput{Type: "warn"}, "actor-not-found"},
			{"an unknown action", m.admin, "dee", membership.ActionInput{Type: "ban"}, "invalid-input"},
			{"an oversized text", m.admin, "dee", membership.ActionInput{Type: "warn", Text: strings.Repeat("x", membership.MaxModerationText+1)}, "invalid-input"},
			{"a report about someone else", m.admin, "dee", membership.ActionInput{Type: "warn", Report: ptr(uuid.Must(uuid.NewV7()))}, "invalid-input"},
			{"an association is not deleted", m.admin, "commons", membership.ActionInput{Type: "delete"}, "invalid-input"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(m.audited(t, store.AuditInstance))
				_, err := m.svc.ModerateAccount(ctx, tt.by, tt.acct, tt.in)
				if tt.code == "" {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				wantCode(t, err, tt.code)
				if len(m.audited(t, store.AuditInstance)) != before {
					t.Fatal("a refused action is in the audit log")
				}
			})
		}
	})
}

func TestResolveReport_AppliesTheActionInOneTransaction(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		m := newModerationFixture(t, f)
		aboutDee, err := m.svc.Report(ctx, m.member, membership.ReportInput{Target: m.actor(t, "dee"),
			Notes: []string{m.userNote.ID.String()}, Comment: "spam"})
		if err != nil {
			t.Fatal(err)
		}
		aboutCommons, err := m.svc.Report(ctx, m.user, membership.ReportInput{Target: m.actor(t, "commons"),
			Notes: []string{m.boardNote.ID.String()}, Comment: "rude"})
		if err != nil {
			t.Fatal(err)
		}
		resolve := func(by membership.Account, id uuid.UUID, action string) error {
			_, err := m.svc.ResolveReport(ctx, by, id, membership.Resolution{Action: action, Comment: "seen"})
			return err
		}
		tests := []struct {
			name string
			step func() error
			code string
		}{
			{"an unknown action", func() error { return resolve(m.admin, aboutDee.ID, "ban") }, "invalid-input"},
			{"an unknown report", func() error { return resolve(m.admin, uuid.Must(uuid.NewV7()), "none") }, "report-not-found"},
			{"another user's report is not theirs to resolve", func() error { return resolve(m.user, aboutDee.ID, "none") }, "report-not-found"},
			{"a board does not warn", func() error { return resolve(m.board, aboutCommons.ID, "warn") }, "not-allowed"},
			{"a moderator does not delete", func() error { return resolve(m.moderator, aboutDee.ID, "delete") }, "not-allowed"},
			{"a note for the moderators", func() error {
				_, err := m.svc.AddReportNote(ctx, m.moderator, aboutDee.ID, "looking")
				return err
			}, ""},
			{"an oversized note", func() error {
				_, err := m.svc.AddReportNote(ctx, m.moderator, aboutDee.ID, strings.Repeat("x", membership.MaxReportNote+1))
				return err
			}, "invalid-input"},
			{"a member adds no note", func() error {
				_, err := m.svc.AddReportNote(ctx, m.member, aboutDee.ID, "hi")
				return err
			}, "report-not-found"},
			{"resolved with a warning", func() error { return resolve(m.moderator, aboutDee.ID, "warn") }, ""},
			{"not twice", func() error { return resolve(m.moderator, aboutDee.ID, "suspend") }, "report-resolved"},
			{"reopened", func() error {
				_, err := m.svc.ReopenReport(ctx, m.moderator, aboutDee.ID)
				return err
			}, ""},
			{"not reopened twice", func() error {
				_, err := m.svc.ReopenReport(ctx, m.moderator, aboutDee.ID)
				return err
			}, "report-open"},
			{"resolved by removing the reported notes", func() error { return resolve(m.admin, aboutDee.ID, "remove_notes") }, ""},
			{"the board removes its association's note", func() error { return resolve(m.board, aboutCommons.ID, "remove_notes") }, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.step()
				if tt.code == "" && err != nil {
					t.Fatal(err)
				}
				if tt.code != "" {
					wantCode(t, err, tt.code)
				}
			})
		}
		// The warning reached dee; the suspension refused with the
		// resolved report was not applied.
		if w, _ := m.svc.Warnings(ctx, m.user); len(w) != 1 || w[0].Report == nil || *w[0].Report != aboutDee.ID {
			t.Fatalf("warnings %+v", w)
		}
		if acc, _ := m.svc.Account(ctx, "dee"); acc.Status != membership.AccountActive {
			t.Fatalf("dee is %s", acc.Status)
		}
		// The notes are gone, with the Delete of the local ones published.
		for _, id := range []uuid.UUID{m.userNote.ID, m.boardNote.ID} {
			if _, err := m.notes.Get(ctx, nil, id); !errors.Is(err, news.ErrNoteDeleted) {
				t.Fatalf("note %s: %v", id, err)
			}
		}
		var deletes int
		for _, p := range m.notePubs.got {
			if p.Type == "Delete" {
				deletes++
			}
		}
		if deletes != 2 {
			t.Fatalf("%d Delete published, want 2", deletes)
		}
		d, err := m.svc.ReportDetail(ctx, m.admin, aboutDee.ID)
		if err != nil || len(d.ModeratorNotes) != 1 || d.Resolution != "remove_notes" || d.ResolutionComment != "seen" ||
			len(d.Actions) != 2 || !d.Notes[0].Deleted {
			t.Fatalf("detail %+v, %v", d, err)
		}
		want := "report.note,account.warn,report.resolve,report.reopen,note.remove,report.resolve"
		if got := actions(m.audited(t, store.AuditInstance)); got != want {
			t.Fatalf("instance audit log %s, want %s", got, want)
		}
		board := m.audited(t, store.AuditAssociation)
		if actions(board) != "note.remove,report.resolve" || board[1].AssociationID == nil || board[1].AccountName != "ada" ||
			!strings.Contains(board[1].Detail, aboutCommons.ID.String()) {
			t.Fatalf("board audit log %+v", board)
		}
	})
}

func TestRemoveNote_LocalFederatedRemoteHidden(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		m := newModerationFixture(t, f)
		tests := []struct {
			name string
			by   membership.Account
			id   uuid.UUID
			code string
		}{
			{"a member may not", m.member, m.userNote.ID, "not-allowed"},
			{"a moderator removes a note", m.moderator, m.userNote.ID, ""},
			{"not twice", m.moderator, m.userNote.ID, "note-deleted"},
			{"an unknown note", m.moderator, uuid.Must(uuid.NewV7()), "note-not-found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := m.svc.RemoveNote(ctx, tt.by, tt.id, "spam")
				if tt.code == "" && err != nil {
					t.Fatal(err)
				}
				if tt.code != "" {
					wantCode(t, err, tt.code)
				}
			})
		}
		if len(m.notePubs.got) == 0 || m.notePubs.got[len(m.notePubs.got)-1].Type != "Delete" {
			t.Fatalf("published %+v", m.notePubs.got)
		}
		if got := actions(m.audited(t, store.AuditInstance)); got != "note.remove" {
			t.Fatalf("audit log %s", got)
		}
	})
}

func TestForwardReport_AFlagFromTheInstance(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		m := newModerationFixture(t, f)
		aboutZoe, err := m.svc.Report(ctx, m.user, membership.ReportInput{Target: m.zoe, Comment: "spam"})
		if err != nil {
			t.Fatal(err)
		}
		aboutDee, err := m.svc.Report(ctx, m.member, membership.ReportInput{Target: m.actor(t, "dee")})
		if err != nil {
			t.Fatal(err)
		}
		m.pubs.take()
		tests := []struct {
			name string
			by   membership.Account
			id   uuid.UUID
			code string
		}{
			{"a plain user may not", m.user, aboutZoe.ID, "report-not-found"},
			{"a moderator forwards", m.moderator, aboutZoe.ID, ""},
			{"once", m.moderator, aboutZoe.ID, "report-not-forwardable"},
			{"a report about someone here stays here", m.admin, aboutDee.ID, "report-not-forwardable"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := m.svc.ForwardReport(ctx, tt.by, tt.id)
				if tt.code == "" && err != nil {
					t.Fatal(err)
				}
				if tt.code != "" {
					wantCode(t, err, tt.code)
				}
			})
		}
		pubs := m.pubs.take()
		if kinds(pubs) != "Flag" || pubs[0].Actor.Kind != membership.ActorApplication || pubs[0].To[0].URI != m.zoe.URI ||
			pubs[0].Report.Content != "spam" {
			t.Fatalf("published %+v", pubs)
		}
		if got := actions(m.audited(t, store.AuditInstance)); got != "report.forward" {
			t.Fatalf("audit log %s", got)
		}
	})
}
