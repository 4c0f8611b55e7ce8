package fedtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"
)

// apiClient calls the instances' APIs; a call never waits long, since the
// instances run on this machine.
var apiClient = &http.Client{Timeout: 15 * time.Second}

// User is a local account of an instance, with a bearer token for the
// native API (/api/holon/v1).
type User struct {
	In    *Instance
	Name  string
	Token string
}

// URI is the id of the user's actor.
func (u *User) URI() string { return u.In.ActorURI(u.Name) }

// Acct is name@host, as peers address the user.
func (u *User) Acct() string { return u.Name + "@" + u.In.Host }

// Note is a note as the API shows it (the fields the scenarios read).
type Note struct {
	ID          uuid.UUID  `json:"id"`
	URI         string     `json:"uri"`
	Author      string     `json:"author"`
	AuthorURI   string     `json:"author_uri"`
	Content     string     `json:"content"`
	Visibility  string     `json:"visibility"`
	InReplyTo   *string    `json:"in_reply_to"`
	InReplyToID *uuid.UUID `json:"in_reply_to_id"`
	Local       bool       `json:"local"`
}

// Follow is one of the user's follows as the API shows it.
type Follow struct {
	ID     uuid.UUID `json:"id"`
	Target string    `json:"target"`
	Acct   string    `json:"acct"`
	State  string    `json:"state"`
}

// Do sends method path (under /api/holon/v1) with body as JSON (none if
// nil) as the user, decodes a 2xx JSON answer into out (if not nil) and
// returns the status and the raw answer. It is safe to call from several
// goroutines; the error is a failure to talk to the instance.
func (u *User) Do(method, path string, body, out any) (int, string, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, "", err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u.In.URL+"/api/holon/v1"+path, rd)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Bearer "+u.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := apiClient.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("%s on %s: %s %s: %w", u.Name, u.In.Name, method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, "", fmt.Errorf("%s on %s: %s %s: read the answer: %w", u.Name, u.In.Name, method, path, err)
	}
	if out != nil && resp.StatusCode < 300 && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, string(raw), fmt.Errorf("%s on %s: %s %s: decode %s: %w", u.Name, u.In.Name, method, path, raw, err)
		}
	}
	return resp.StatusCode, string(raw), nil
}

// Call is Do for the test's goroutine: a failure to talk to the instance
// fails t.
func (u *User) Call(t testing.TB, method, path string, body, out any) (int, string) {
	t.Helper()
	status, raw, err := u.Do(method, path, body, out)
	if err != nil {
		t.Fatal(err)
	}
	return status, raw
}

// On returns the same account reached through another process of its
// instance (one started SharingDatabaseWith).
func (u *User) On(in *Instance) *User { return &User{In: in, Name: u.Name, Token: u.Token} }

// must calls the API and fails t unless the answer has one of the wanted
// statuses.
func (u *User) must(t testing.TB, method, path string, body, out any, want ...int) int {
	t.Helper()
	status, raw := u.Call(t, method, path, body, out)
	for _, w := range want {
		if status == w {
			return status
		}
	}
	t.Fatalf("%s on %s: %s %s: HTTP %d, want %v: %s", u.Name, u.In.Name, method, path, status, want, raw)
	return status
}

// Post publishes a public note.
func (u *User) Post(t testing.TB, content string) Note {
	t.Helper()
	var n Note
	u.must(t, "POST", "/notes", map[string]any{"content": content}, &n, http.StatusCreated)
	return n
}

// Reply publishes a public reply to the note id (a note of the user's own
// instance, which may be its copy of a remote one).
func (u *User) Reply(t testing.TB, to uuid.UUID, content string) Note {
	t.Helper()
	var n Note
	u.must(t, "POST", "/notes", map[string]any{"content": content, "in_reply_to": to.String()}, &n, http.StatusCreated)
	return n
}

// Note reads the note id of the user's instance; the status tells a
// deleted (410) or unknown (404) note.
func (u *User) Note(t testing.TB, id uuid.UUID) (int, Note) {
	t.Helper()
	var n Note
	status, _ := u.Call(t, "GET", "/notes/"+id.String(), nil, &n)
	return status, n
}

// Delete deletes the user's note id.
func (u *User) Delete(t testing.TB, id uuid.UUID) {
	t.Helper()
	u.must(t, "DELETE", "/notes/"+id.String(), nil, nil, http.StatusNoContent)
}

// Like likes the note id and returns its count of likes here.
func (u *User) Like(t testing.TB, id uuid.UUID) int { return u.react(t, "POST", id, "like") }

// Unlike withdraws the user's like of the note id.
func (u *User) Unlike(t testing.TB, id uuid.UUID) int { return u.react(t, "DELETE", id, "like") }

// Boost boosts the note id and returns its count of boosts here.
func (u *User) Boost(t testing.TB, id uuid.UUID) int { return u.react(t, "POST", id, "boost") }

// Unboost withdraws the user's boost of the note id.
func (u *User) Unboost(t testing.TB, id uuid.UUID) int { return u.react(t, "DELETE", id, "boost") }

func (u *User) react(t testing.TB, method string, id uuid.UUID, kind string) int {
	t.Helper()
	var out struct {
		Likes  *int `json:"likes"`
		Boosts *int `json:"boosts"`
	}
	u.must(t, method, "/notes/"+id.String()+"/"+kind, nil, &out, http.StatusOK)
	switch {
	case kind == "like" && out.Likes != nil:
		return *out.Likes
	case kind == "boost" && out.Boosts != nil:
		return *out.Boosts
	}
	t.Fatalf("%s on %s: %s %s of %s answered no count", u.Name, u.In.Name, method, kind, id)
	return 0
}

// Follow follows target (name@host or an actor's URL) and returns the
// follow, pending until the peer accepts it.
func (u *User) Follow(t testing.TB, target string) Follow {
	t.Helper()
	var f Follow
	u.must(t, "POST", "/follows", map[string]any{"target": target}, &f, http.StatusAccepted, http.StatusCreated)
	return f
}

// Follows lists the user's follows.
func (u *User) Follows(t testing.TB) []Follow {
	t.Helper()
	var list struct {
		Items []Follow `json:"items"`
	}
	u.must(t, "GET", "/follows", nil, &list, http.StatusOK)
	return list.Items
}

// FollowState is the state of the user's follow of the actor target (its
// id), or "" if there is none.
func (u *User) FollowState(t testing.TB, target string) string {
	t.Helper()
	for _, f := range u.Follows(t) {
		if f.Target == target {
			return f.State
		}
	}
	return ""
}

// Unfollow ends the follow id.
func (u *User) Unfollow(t testing.TB, id uuid.UUID) {
	t.Helper()
	u.must(t, "DELETE", "/follows/"+id.String(), nil, nil, http.StatusNoContent)
}

// Resolve looks an actor up by name@host or URL and returns its id.
func (u *User) Resolve(t testing.TB, q string) string {
	t.Helper()
	var a struct {
		ID string `json:"id"`
	}
	u.must(t, "GET", "/resolve?q="+url.QueryEscape(q), nil, &a, http.StatusOK)
	if a.ID == "" {
		t.Fatalf("resolve %s: no id", q)
	}
	return a.ID
}

// FollowAccepted has each of followers follow target (name@host or an
// actor's URL), then waits until every follow is accepted.
func FollowAccepted(t testing.TB, within time.Duration, target string, followers ...*User) []Follow {
	t.Helper()
	follows := make([]Follow, len(followers))
	for i, u := range followers {
		follows[i] = u.Follow(t, target)
	}
	for i, u := range followers {
		Eventually(t, within, fmt.Sprintf("%s's follow of %s is accepted", u.Acct(), target), func() error {
			if st := u.FollowState(t, follows[i].Target); st != "accepted" {
				return fmt.Errorf("state %q", st)
			}
			return nil
		})
		follows[i].State = "accepted"
	}
	return follows
}
