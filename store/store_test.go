package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

func TestMigrate_SecondRunAppliesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second run applied %v", applied)
		}
	})
}

func TestClaimName_SharedBetweenPersonsAndAssociations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		if err := db.ClaimName(ctx, "commons", "account", now); err != nil {
			t.Fatal(err)
		}
		err := db.ClaimName(ctx, "commons", "association", now)
		if !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("second claim: got %v, want ErrDuplicate", err)
		}
	})
}

// Concurrent writers must wait for each other, not fail with "database is
// locked" (SQLite) or lose a write.
func TestInTx_ConcurrentWritersAllCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const writers = 16
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.InTx(ctx, func(tx store.Tx) error {
					taken, err := tx.NameTaken(ctx, "w")
					if err != nil {
						return err
					}
					_ = taken
					return tx.Credentials().AddLoginFailure(ctx, &store.LoginFailure{
						ID: uuid.Must(uuid.NewV7()), Username: "u", IP: string(rune('a' + i)), At: time.Now().UTC(),
					})
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("writer failed: %v", err)
			}
		}
		byUser, _, err := db.Credentials().CountLoginFailures(ctx, "u", "x", time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if byUser != writers {
			t.Fatalf("got %d rows, want %d", byUser, writers)
		}
	})
}

func TestOpen_UnreachableDatabaseFailsClearly(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tests := []struct {
		name   string
		driver store.Driver
		dsn    string
	}{
		{"sqlite missing folder", store.SQLite, t.TempDir() + "/no/such/dir/holon.db"},
		{"postgres closed port", store.Postgres, "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"},
		{"unknown driver", store.Driver("mysql"), "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.Open(ctx, tt.driver, tt.dsn, 0)
			if err == nil {
				db.Close()
				t.Fatal("open succeeded")
			}
		})
	}
}

func TestInTx_AfterCommitRunsOnlyOnCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ran []string
		_ = db.InTx(ctx, func(tx store.Tx) error {
			tx.AfterCommit(func() { ran = append(ran, "committed") })
			if len(ran) != 0 {
				t.Fatal("ran before the commit")
			}
			return nil
		})
		_ = db.InTx(ctx, func(tx store.Tx) error {
			tx.AfterCommit(func() { ran = append(ran, "rolled back") })
			return errors.New("roll back")
		})
		db.AfterCommit(func() { ran = append(ran, "outside") })
		if strings.Join(ran, ",") != "committed,outside" {
			t.Fatalf("ran %v", ran)
		}
	})
}
