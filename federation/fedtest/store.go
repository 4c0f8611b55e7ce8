package fedtest

import (
	"context"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/federation/httpsig"
	"github.com/holon-network/holon/store"
)

// Store opens (once) the instance's database from the test process, for
// what the API does not show: remote notes by id, follows as peers see
// them, the delivery queue, the inbox. It stays open across restarts of
// the instance and is closed when the test ends.
func (in *Instance) Store(t testing.TB) *store.DB {
	t.Helper()
	in.dbOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		in.db, in.dbErr = store.Open(ctx, in.Driver, in.DSN, 2)
		if in.dbErr == nil {
			in.cluster.t.Cleanup(func() { _ = in.db.Close() })
		}
	})
	if in.dbErr != nil {
		t.Fatalf("open the database of %s: %v", in.Name, in.dbErr)
	}
	return in.db
}

// Members is the membership service over the instance's database, for
// reading (follow states, signing keys).
func (in *Instance) Members(t testing.TB) *membership.Service {
	t.Helper()
	return membership.New(in.Store(t), core.SystemClock{}, membership.Policy{BaseURL: in.BaseURL, Host: in.Host})
}

// News is the news service over the instance's database, for reading.
func (in *Instance) News(t testing.TB) *news.Service {
	t.Helper()
	return news.New(in.Store(t), core.SystemClock{}, news.Policy{BaseURL: in.BaseURL, Host: in.Host})
}

// NoteByURI returns the instance's copy of the note uri; ok is false if it
// has none.
func (in *Instance) NoteByURI(t testing.TB, uri string) (n news.Note, ok bool) {
	t.Helper()
	n, err := in.News(t).ByURI(context.Background(), uri)
	switch {
	case err == nil:
		return n, true
	case core.KindOf(err) == core.KindNotFound, errors.Is(err, store.ErrNotFound):
		return news.Note{}, false
	}
	t.Fatalf("%s: read note %s: %v", in.Name, uri, err)
	return news.Note{}, false
}

// Count runs a SELECT count(*) … query on the instance's database (with
// bun's ? placeholders).
func (in *Instance) Count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := in.Store(t).Bun().NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatalf("%s: %s: %v", in.Name, query, err)
	}
	return n
}

// Deliveries counts the instance's deliveries per state.
func (in *Instance) Deliveries(t testing.TB) map[string]int {
	t.Helper()
	counts, err := in.Store(t).Deliveries().CountByState(context.Background())
	if err != nil {
		t.Fatalf("%s: count deliveries: %v", in.Name, err)
	}
	return counts
}

// InboxCount counts the activities the instance's inboxes stored, in every
// state.
func (in *Instance) InboxCount(t testing.TB) int {
	t.Helper()
	counts, err := in.Store(t).Inbox().CountByState(context.Background())
	if err != nil {
		t.Fatalf("%s: count received activities: %v", in.Name, err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	return total
}

// SigningKey returns the key id and private key the local actor name signs
// with now, read from the instance's database.
func (in *Instance) SigningKey(t testing.TB, name string) (keyID string, key *rsa.PrivateKey) {
	t.Helper()
	keyID, key, err := in.Members(t).SigningKey(context.Background(), name)
	if err != nil {
		t.Fatalf("%s: signing key of %s: %v", in.Name, name, err)
	}
	return keyID, key
}

// Signed is a POST to sign, for a scenario that sends activities itself.
type Signed struct {
	URL   string
	Body  []byte
	KeyID string
	Key   *rsa.PrivateKey
	// At is the signature's date; zero means now.
	At time.Time
	// Tamper, if not nil, changes the request after it was signed.
	Tamper func(r *http.Request)
}

// Send signs and sends the POST as a delivery would, and returns the
// status and the body of the answer.
func (s Signed) Send(t testing.TB) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", delivery.ContentType)
	at := s.At
	if at.IsZero() {
		at = time.Now()
	}
	if err := httpsig.SignPOST(req, s.Body, s.KeyID, s.Key, at); err != nil {
		t.Fatal(err)
	}
	if s.Tamper != nil {
		s.Tamper(req)
	}
	resp, err := apiClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", s.URL, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, string(answer)
}

// DeliveriesOf returns the instance's deliveries of activities of type
// kind on the object uri (a Create of a note, a Like…), to every inbox.
func (in *Instance) DeliveriesOf(t testing.TB, kind, uri string) []store.Delivery {
	t.Helper()
	var all []store.Delivery
	err := in.Store(t).Bun().NewSelect().Model(&all).Where("body LIKE ?", "%"+uri+"%").Order("inbox").Scan(context.Background())
	if err != nil {
		t.Fatalf("%s: deliveries of %s: %v", in.Name, uri, err)
	}
	var out []store.Delivery
	for _, d := range all {
		if a := readActivity([]byte(d.Body)); a.Type == kind && a.Object == uri {
			out = append(out, d)
		}
	}
	return out
}
