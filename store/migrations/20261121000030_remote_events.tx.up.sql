-- Copies of the events of partner associations (DESIGN §4, Partners), and
-- of events elsewhere that a local person takes part in, kept from what
-- their instances publish (Event, with Mobilizon's and FEP-8a8e's terms),
-- so that the network agenda, its iCalendar feed and the map list them
-- beside this instance's own events without asking anyone. A copy belongs
-- to its organising association's actor: deleting the actor deletes its
-- copies. updated_at is the origin's, so that an older Update never
-- overwrites a newer one; participant_count and capacity are what the
-- origin announces (0 and NULL when it says nothing).
CREATE TABLE remote_events (
	id                   {{.UUID}} PRIMARY KEY,
	uri                  text NOT NULL UNIQUE,
	association_actor_id {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	organiser            text NOT NULL DEFAULT '',
	name                 text NOT NULL,
	summary              text NOT NULL DEFAULT '',
	description          text NOT NULL DEFAULT '',
	url                  text NOT NULL,
	starts_at            {{.Timestamp}} NOT NULL,
	ends_at              {{.Timestamp}} NOT NULL,
	timezone             text NOT NULL DEFAULT '',
	place_name           text NOT NULL DEFAULT '',
	street_address       text NOT NULL DEFAULT '',
	locality             text NOT NULL DEFAULT '',
	postal_code          text NOT NULL DEFAULT '',
	region               text NOT NULL DEFAULT '',
	country              text NOT NULL DEFAULT '',
	latitude             double precision CHECK (latitude BETWEEN -90 AND 90),
	longitude            double precision CHECK (longitude BETWEEN -180 AND 180),
	online_link          text NOT NULL DEFAULT '',
	capacity             integer CHECK (capacity >= 0),
	participant_count    integer NOT NULL DEFAULT 0 CHECK (participant_count >= 0),
	join_mode            text NOT NULL DEFAULT 'free',
	status               text NOT NULL DEFAULT 'confirmed',
	category             text NOT NULL DEFAULT '',
	published_at         {{.Timestamp}} NOT NULL,
	updated_at           {{.Timestamp}} NOT NULL,
	received_at          {{.Timestamp}} NOT NULL,
	CHECK (ends_at >= starts_at)
);

--bun:split

-- The network's agenda, by date, and an association's events by date.
CREATE INDEX remote_events_start_idx ON remote_events (starts_at, id);

--bun:split

CREATE INDEX remote_events_association_idx ON remote_events (association_actor_id, starts_at, id);

--bun:split

-- The agenda's place filter compares lower(locality).
CREATE INDEX remote_events_locality_idx ON remote_events (lower(locality));

--bun:split

CREATE INDEX events_locality_idx ON events (lower(locality));

--bun:split

CREATE TABLE remote_event_tags (
	event_id {{.UUID}} NOT NULL REFERENCES remote_events (id) ON DELETE CASCADE,
	tag      text NOT NULL,
	PRIMARY KEY (event_id, tag)
);

--bun:split

CREATE INDEX remote_event_tags_tag_idx ON remote_event_tags (tag, event_id);

--bun:split

-- A local person's participation in an event elsewhere: the Join this
-- instance sent for them (join_activity, which the organiser's Accept or
-- Reject names), and its state as the organiser answered: pending (no
-- answer yet, or the board decides), participant, waitlisted or rejected
-- (reason: what the Reject said). One row per person and event.
CREATE TABLE remote_event_participations (
	id            {{.UUID}} PRIMARY KEY,
	event_id      {{.UUID}} NOT NULL REFERENCES remote_events (id) ON DELETE CASCADE,
	actor_id      {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	state         text NOT NULL,
	visible       {{.Bool}} NOT NULL DEFAULT FALSE,
	join_activity text NOT NULL UNIQUE,
	reason        text NOT NULL DEFAULT '',
	created_at    {{.Timestamp}} NOT NULL,
	updated_at    {{.Timestamp}} NOT NULL,
	UNIQUE (event_id, actor_id)
);

--bun:split

CREATE INDEX remote_event_participations_actor_idx ON remote_event_participations (actor_id, event_id);
