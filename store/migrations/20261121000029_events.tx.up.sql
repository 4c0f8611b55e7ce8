-- The agenda (DESIGN §4, docs/vocabulary.md §4.5 and §5.11): an
-- association's events and who takes part in them. Instants are UTC; the
-- IANA time zone the organiser gave them in is kept beside them, so that
-- the wire (startTime with its offset, timezone) and iCalendar (TZID) say
-- them as they were written. participant_count, pending_count and
-- waitlist_count repeat the counts of event_participants by state: they
-- are changed in the transaction that changes a participation, under the
-- event's row lock, so that they stay exact under concurrent joins and an
-- event's page and wire document read one row.
CREATE TABLE events (
	id                {{.UUID}} PRIMARY KEY,
	association_id    {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	uri               text NOT NULL UNIQUE,
	organiser         text NOT NULL,
	name              text NOT NULL,
	summary           text NOT NULL DEFAULT '',
	description       text NOT NULL DEFAULT '',
	starts_at         {{.Timestamp}} NOT NULL,
	ends_at           {{.Timestamp}} NOT NULL,
	timezone          text NOT NULL,
	place_name        text NOT NULL DEFAULT '',
	street_address    text NOT NULL DEFAULT '',
	locality          text NOT NULL DEFAULT '',
	postal_code       text NOT NULL DEFAULT '',
	region            text NOT NULL DEFAULT '',
	country           text NOT NULL DEFAULT '',
	latitude          double precision CHECK (latitude BETWEEN -90 AND 90),
	longitude         double precision CHECK (longitude BETWEEN -180 AND 180),
	online_link       text NOT NULL DEFAULT '',
	capacity          integer NOT NULL DEFAULT 0 CHECK (capacity >= 0),
	join_mode         text NOT NULL,
	status            text NOT NULL,
	category          text NOT NULL DEFAULT '',
	sequence          integer NOT NULL DEFAULT 0,
	participant_count integer NOT NULL DEFAULT 0 CHECK (participant_count >= 0),
	pending_count     integer NOT NULL DEFAULT 0 CHECK (pending_count >= 0),
	waitlist_count    integer NOT NULL DEFAULT 0 CHECK (waitlist_count >= 0),
	created_by        text NOT NULL,
	created_at        {{.Timestamp}} NOT NULL,
	updated_at        {{.Timestamp}} NOT NULL,
	CHECK (ends_at > starts_at),
	CHECK (capacity = 0 OR participant_count <= capacity)
);

--bun:split

-- An association's agenda: its events by start.
CREATE INDEX events_association_start_idx ON events (association_id, starts_at, id);

--bun:split

-- The network's agenda (and its iCalendar feed), by date.
CREATE INDEX events_start_idx ON events (starts_at, id);

--bun:split

-- The tags of an event, normalised as hashtags are.
CREATE TABLE event_tags (
	event_id {{.UUID}} NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	tag      text NOT NULL,
	PRIMARY KEY (event_id, tag)
);

--bun:split

CREATE INDEX event_tags_tag_idx ON event_tags (tag, event_id);

--bun:split

-- Who takes part: an actor by its ActivityPub id, local or not. state is
-- participant, pending (the board decides), waitlisted (the event was
-- full; promoted first come, first served) or rejected. join_activity is
-- the id of the Join a remote actor sent, which the Accept or Reject
-- answers. One row per actor and event, whatever the code above does.
CREATE TABLE event_participants (
	id            {{.UUID}} PRIMARY KEY,
	event_id      {{.UUID}} NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	actor         text NOT NULL,
	local         {{.Bool}} NOT NULL,
	state         text NOT NULL,
	visible       {{.Bool}} NOT NULL,
	join_activity text NOT NULL DEFAULT '',
	decided_by    text NOT NULL DEFAULT '',
	created_at    {{.Timestamp}} NOT NULL,
	updated_at    {{.Timestamp}} NOT NULL,
	UNIQUE (event_id, actor)
);

--bun:split

-- The participants of an event by state, in the order they came (ids are
-- UUIDv7): the list, the board's queue and the waiting list's order.
CREATE INDEX event_participants_state_idx ON event_participants (event_id, state, id);

--bun:split

-- The events an actor takes part in.
CREATE INDEX event_participants_actor_idx ON event_participants (actor, event_id);
