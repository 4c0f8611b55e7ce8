package storetest

import (
	"slices"
	"testing"

	"github.com/holon-network/holon/store"
)

func TestDriversFrom(t *testing.T) {
	cases := []struct {
		list string
		want []store.Driver
	}{
		{"", []store.Driver{store.SQLite, store.Postgres}},
		{" ", []store.Driver{store.SQLite, store.Postgres}},
		{"postgres", []store.Driver{store.Postgres}},
		{"sqlite", []store.Driver{store.SQLite}},
		{"sqlite, postgres", []store.Driver{store.SQLite, store.Postgres}},
	}
	for _, c := range cases {
		if got := driversFrom(c.list); !slices.Equal(got, c.want) {
			t.Errorf("driversFrom(%q) = %v, want %v", c.list, got, c.want)
		}
	}
	for _, bad := range []string{"mysql", "postgres,", "PostgreSQL"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("driversFrom(%q) did not refuse it", bad)
				}
			}()
			driversFrom(bad)
		}()
	}
}
