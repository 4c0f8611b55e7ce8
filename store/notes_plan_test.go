package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// recorder keeps the SQL of every query run through bun.
type recorder struct {
	mu      sync.Mutex
	queries []string
}

func (r *recorder) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (r *recorder) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, e.Query)
}

// Every received note looks for the replies that came before it: that must
// be a seek in the replies' index, not a walk over the notes. (SQLite only:
// its plan does not depend on the data, and it is the engine that ignored
// the partial index; PostgreSQL plans by statistics.)
func TestNotes_LinkRepliesSeeksTheRepliesIndex(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	rec := &recorder{}
	db.Bun().AddQueryHook(rec)
	if _, err := db.Notes().LinkReplies(ctx, uuid.New(), "https://peer.example/notes/1"); err != nil {
		t.Fatal(err)
	}
	var update string
	for _, q := range rec.queries {
		if strings.HasPrefix(q, "UPDATE") {
			update = q
		}
	}
	if update == "" {
		t.Fatalf("no UPDATE among %q", rec.queries)
	}
	rows, err := db.Bun().QueryContext(ctx, "EXPLAIN QUERY PLAN "+update)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "USING INDEX notes_in_reply_to_idx (in_reply_to=?)") {
		t.Errorf("plan of %s:\n%s\nwant a seek in notes_in_reply_to_idx", update, got)
	}
}
