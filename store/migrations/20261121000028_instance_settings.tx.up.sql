-- The instance's settings as its admins last saved them: one row (id 1),
-- absent until the first save, when the configuration's [instance] values
-- apply. Every process reads it, so a change takes effect everywhere at
-- once. languages and rules are JSON arrays kept as text.
CREATE TABLE instance_settings (
	id                   integer PRIMARY KEY CHECK (id = 1),
	name                 text NOT NULL,
	short_description    text NOT NULL DEFAULT '',
	extended_description text NOT NULL DEFAULT '',
	contact_email        text NOT NULL DEFAULT '',
	contact_account      text NOT NULL DEFAULT '',
	languages            text NOT NULL DEFAULT '[]',
	registrations        text NOT NULL,
	association_creation text NOT NULL,
	rules                text NOT NULL DEFAULT '[]',
	privacy_policy       text NOT NULL DEFAULT '',
	updated_at           {{.Timestamp}} NOT NULL
);

--bun:split

-- The admin dashboard: the last successful delivery per host.
CREATE INDEX deliveries_state_host ON deliveries (state, host, finished_at);

--bun:split

-- The admin dashboard: the known instances and their number of actors.
CREATE INDEX actors_host ON actors (host);
