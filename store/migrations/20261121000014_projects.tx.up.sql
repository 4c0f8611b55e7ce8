-- Projects and tasks (DESIGN §4): an association's projects, the history of
-- their states, their tasks, the reservations of tasks, the work submitted
-- and its review. Actors (holders, professionals, volunteers, reviewers)
-- are kept by their ActivityPub id, so that a remote actor fits the same
-- column as a local one. Lists that are only read whole (done criteria,
-- reviewers, checklist, beneficiaries, links) are JSON arrays.
CREATE TABLE projects (
	id             {{.UUID}} PRIMARY KEY,
	association_id {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	holder         text NOT NULL,
	name           text NOT NULL,
	summary        text NOT NULL DEFAULT '',
	description    text NOT NULL DEFAULT '',
	licence        text NOT NULL,
	architecture   text NOT NULL,
	checklist      {{.JSON}} NOT NULL,
	beneficiaries  {{.JSON}} NOT NULL,
	place          text NOT NULL DEFAULT '',
	goal           {{.BigInt}} NOT NULL DEFAULT 0 CHECK (goal >= 0),
	currency       text NOT NULL,
	status         text NOT NULL,
	created_at     {{.Timestamp}} NOT NULL,
	updated_at     {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX projects_association_idx ON projects (association_id, id);

--bun:split

-- The tags of a project, lower case; the task catalogue filters on them.
CREATE TABLE project_tags (
	project_id {{.UUID}} NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	tag        text NOT NULL,
	PRIMARY KEY (project_id, tag)
);

--bun:split

CREATE INDEX project_tags_tag_idx ON project_tags (tag, project_id);

--bun:split

-- Every change of a project's state: who, when and why.
CREATE TABLE project_transitions (
	id          {{.UUID}} PRIMARY KEY,
	project_id  {{.UUID}} NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	from_status text NOT NULL,
	to_status   text NOT NULL,
	by_actor    text NOT NULL,
	reason      text NOT NULL DEFAULT '',
	at          {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX project_transitions_project_idx ON project_transitions (project_id, id);

--bun:split

-- reserved_by and reserved_until repeat the active reservation's holder and
-- deadline, so that the catalogue and a task's page read one row.
CREATE TABLE tasks (
	id               {{.UUID}} PRIMARY KEY,
	project_id       {{.UUID}} NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	association_id   {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	name             text NOT NULL,
	description      text NOT NULL DEFAULT '',
	category         text NOT NULL,
	done_criteria    {{.JSON}} NOT NULL,
	budget           {{.BigInt}} NOT NULL CHECK (budget >= 0),
	currency         text NOT NULL,
	estimated_effort {{.BigInt}} NOT NULL DEFAULT 0,
	max_reservation  {{.BigInt}} NOT NULL,
	reviewers        {{.JSON}} NOT NULL,
	status           text NOT NULL,
	reserved_by      text NOT NULL DEFAULT '',
	reserved_until   {{.Timestamp}},
	created_by       text NOT NULL,
	created_at       {{.Timestamp}} NOT NULL,
	updated_at       {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX tasks_project_idx ON tasks (project_id, id);

--bun:split

-- The catalogue: newest first within a status, optionally within a category.
CREATE INDEX tasks_status_idx ON tasks (status, id);

--bun:split

CREATE INDEX tasks_status_category_idx ON tasks (status, category, id);

--bun:split

-- A reservation is active until it is released, lapses at its deadline or
-- ends with the task's verification; ended ones stay on record.
CREATE TABLE reservations (
	id          {{.UUID}} PRIMARY KEY,
	task_id     {{.UUID}} NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	actor       text NOT NULL,
	status      text NOT NULL,
	reserved_at {{.Timestamp}} NOT NULL,
	deadline    {{.Timestamp}} NOT NULL,
	ended_at    {{.Timestamp}},
	ended_by    text NOT NULL DEFAULT '',
	reason      text NOT NULL DEFAULT ''
);

--bun:split

-- One active reservation per task, whatever the code above does.
CREATE UNIQUE INDEX reservations_one_active_idx ON reservations (task_id) WHERE status = 'active';

--bun:split

-- The lapse scheduler's queue: active reservations by deadline.
CREATE INDEX reservations_due_idx ON reservations (deadline) WHERE status = 'active';

--bun:split

CREATE INDEX reservations_task_idx ON reservations (task_id, id);

--bun:split

CREATE TABLE submissions (
	id             {{.UUID}} PRIMARY KEY,
	task_id        {{.UUID}} NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	by_actor       text NOT NULL,
	reservation_id {{.UUID}} REFERENCES reservations (id) ON DELETE SET NULL,
	text           text NOT NULL,
	links          {{.JSON}} NOT NULL,
	status         text NOT NULL,
	submitted_at   {{.Timestamp}} NOT NULL,
	reviewed_at    {{.Timestamp}}
);

--bun:split

CREATE INDEX submissions_task_idx ON submissions (task_id, id);

--bun:split

-- Recognition: the verified work of an actor.
CREATE INDEX submissions_by_idx ON submissions (by_actor, status, id);

--bun:split

-- One review decides a submission: a second one is refused here too.
CREATE TABLE reviews (
	id            {{.UUID}} PRIMARY KEY,
	submission_id {{.UUID}} NOT NULL UNIQUE REFERENCES submissions (id) ON DELETE CASCADE,
	reviewer      text NOT NULL,
	verdict       text NOT NULL,
	criteria      {{.JSON}} NOT NULL,
	comment       text NOT NULL DEFAULT '',
	outcome       text NOT NULL,
	value         {{.BigInt}} NOT NULL DEFAULT 0,
	reviewed_at   {{.Timestamp}} NOT NULL
);
