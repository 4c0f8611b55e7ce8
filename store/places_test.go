package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// TestPlaces_LocationsAreReplacedAndChecked: a location is written, then
// replaced, then forgotten; the database refuses a latitude without a
// longitude and a position out of range; the map lists the associations
// with a position in the box, one across the antimeridian too.
func TestPlaces_LocationsAreReplacedAndChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		lyon, fiji, quiet := seedAssociation(t, db, "lyon"), seedAssociation(t, db, "fiji"), seedAssociation(t, db, "quiet")
		f := func(v float64) *float64 { return &v }
		for _, l := range []store.AssociationLocation{
			{AssociationID: lyon, Locality: "Paris", Latitude: f(48.85), Longitude: f(2.35), UpdatedAt: now},
			{AssociationID: lyon, PlaceName: "Maison", Locality: "Lyon", Country: "FR", Latitude: f(45.76), Longitude: f(4.83), UpdatedAt: now},
			{AssociationID: fiji, Locality: "Suva", Latitude: f(-18.14), Longitude: f(178.44), UpdatedAt: now},
			{AssociationID: quiet, Locality: "Nowhere in particular", UpdatedAt: now},
		} {
			if err := db.Places().SetLocation(ctx, &l); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := db.Places().Location(ctx, lyon); err != nil || got.Locality != "Lyon" || got.PlaceName != "Maison" || *got.Latitude != 45.76 {
			t.Fatalf("replaced location: %+v, %v", got, err)
		}
		for _, bad := range []store.AssociationLocation{
			{AssociationID: quiet, Latitude: f(45), UpdatedAt: now},
			{AssociationID: quiet, Latitude: f(91), Longitude: f(0), UpdatedAt: now},
			{AssociationID: quiet, Latitude: f(0), Longitude: f(-181), UpdatedAt: now},
		} {
			if err := db.Places().SetLocation(ctx, &bad); err == nil {
				t.Errorf("the database took %+v", bad)
			}
		}
		tests := []struct {
			name string
			box  *store.Box
			want []string
		}{
			{"anywhere", nil, []string{"fiji", "lyon"}},
			{"France", &store.Box{MinLon: -5, MinLat: 41, MaxLon: 10, MaxLat: 51}, []string{"lyon"}},
			{"across the antimeridian", &store.Box{MinLon: 170, MinLat: -30, MaxLon: -170, MaxLat: 0}, []string{"fiji"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rows, err := db.Places().Associations(ctx, tt.box, "", 10)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range rows {
					got = append(got, r.Name)
				}
				if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) || (len(got) > 1 && got[1] != tt.want[1]) {
					t.Fatalf("associations %v, want %v", got, tt.want)
				}
			})
		}
		if err := db.Places().DeleteLocation(ctx, lyon); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Places().Location(ctx, lyon); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("forgotten location: %v", err)
		}
	})
}
