-- Where an association is (docs: the map of places): a place name, a
-- locality and a country as people write them, and a position, both
-- coordinates or neither, in WGS 84 degrees as GeoJSON and ActivityPub's
-- Place carry them. The board sets it in the association's settings; the
-- Group's document publishes it as its location, and the network's map
-- shows a public association that has a position. One row per
-- association, none when it says nothing.
CREATE TABLE association_locations (
	association_id {{.UUID}} PRIMARY KEY REFERENCES associations (id) ON DELETE CASCADE,
	place_name     text NOT NULL DEFAULT '',
	locality       text NOT NULL DEFAULT '',
	country        text NOT NULL DEFAULT '',
	latitude       double precision CHECK (latitude BETWEEN -90 AND 90),
	longitude      double precision CHECK (longitude BETWEEN -180 AND 180),
	updated_at     {{.Timestamp}} NOT NULL,
	CHECK ((latitude IS NULL) = (longitude IS NULL))
);
