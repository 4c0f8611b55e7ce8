-- Copies of the projects and tasks of partner associations (DESIGN §4,
-- Partners), kept from what their instances publish, so that the network
-- catalogue lists them beside this instance's own tasks without asking
-- anyone. Each copy belongs to the association's actor: deleting the
-- actor deletes its copies. The columns are what the catalogue filters
-- and shows; the origin's updated time keeps an older Update from
-- overwriting a newer one. Ids are UUIDv7 taken from the object's
-- published time (never later than its arrival), so that local and
-- partner tasks share one newest-first order.
CREATE TABLE remote_projects (
	id                   {{.UUID}} PRIMARY KEY,
	uri                  text NOT NULL UNIQUE,
	association_actor_id {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	holder               text NOT NULL DEFAULT '',
	name                 text NOT NULL,
	summary              text NOT NULL DEFAULT '',
	description          text NOT NULL DEFAULT '',
	status               text NOT NULL,
	licence              text NOT NULL DEFAULT '',
	place                text NOT NULL DEFAULT '',
	goal                 {{.BigInt}} NOT NULL DEFAULT 0 CHECK (goal >= 0),
	currency             text NOT NULL DEFAULT '',
	url                  text NOT NULL,
	published_at         {{.Timestamp}} NOT NULL,
	updated_at           {{.Timestamp}} NOT NULL,
	received_at          {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX remote_projects_association_idx ON remote_projects (association_actor_id, id);

--bun:split

CREATE TABLE remote_project_tags (
	project_id {{.UUID}} NOT NULL REFERENCES remote_projects (id) ON DELETE CASCADE,
	tag        text NOT NULL,
	PRIMARY KEY (project_id, tag)
);

--bun:split

CREATE INDEX remote_project_tags_tag_idx ON remote_project_tags (tag, project_id);

--bun:split

-- project_id is set once the task's project is cached too (it may arrive
-- after the task); project_uri always says which project it is.
CREATE TABLE remote_tasks (
	id                   {{.UUID}} PRIMARY KEY,
	uri                  text NOT NULL UNIQUE,
	association_actor_id {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	project_uri          text NOT NULL,
	project_id           {{.UUID}} REFERENCES remote_projects (id) ON DELETE SET NULL,
	name                 text NOT NULL,
	summary              text NOT NULL DEFAULT '',
	description          text NOT NULL DEFAULT '',
	category             text NOT NULL DEFAULT '',
	done_criteria        {{.JSON}} NOT NULL,
	budget               {{.BigInt}} NOT NULL DEFAULT 0 CHECK (budget >= 0),
	currency             text NOT NULL DEFAULT '',
	effort               {{.BigInt}} NOT NULL DEFAULT 0,
	max_reservation      {{.BigInt}} NOT NULL DEFAULT 0,
	reviewers            {{.JSON}} NOT NULL,
	status               text NOT NULL,
	reserved_by          text NOT NULL DEFAULT '',
	reserved_until       {{.Timestamp}},
	completed_by         text NOT NULL DEFAULT '',
	url                  text NOT NULL,
	published_at         {{.Timestamp}} NOT NULL,
	updated_at           {{.Timestamp}} NOT NULL,
	received_at          {{.Timestamp}} NOT NULL
);

--bun:split

-- The network catalogue, as the local one: newest first within a status,
-- optionally within a category.
CREATE INDEX remote_tasks_status_idx ON remote_tasks (status, id);

--bun:split

CREATE INDEX remote_tasks_status_category_idx ON remote_tasks (status, category, id);

--bun:split

CREATE INDEX remote_tasks_association_idx ON remote_tasks (association_actor_id, id);

--bun:split

CREATE INDEX remote_tasks_project_uri_idx ON remote_tasks (project_uri);

--bun:split

CREATE INDEX remote_tasks_project_idx ON remote_tasks (project_id);

--bun:split

-- The catalogue's place filter compares lower(place): with these indexes
-- the planners also know how selective a place is (PostgreSQL keeps
-- statistics of indexed expressions), and walk the tasks newest first
-- instead of reading every task of the projects in that place.
CREATE INDEX projects_place_idx ON projects (lower(place));

--bun:split

CREATE INDEX remote_projects_place_idx ON remote_projects (lower(place));
