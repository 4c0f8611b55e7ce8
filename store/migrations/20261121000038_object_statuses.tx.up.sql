-- The Mastodon client API shows an association's published objects as
-- statuses of its group account, newest first by id (store/object_statuses.go):
-- each arm of that union walks (association, id) to at most a page of rows.
-- Projects and proposals had that index already.
CREATE INDEX tasks_association_idx ON tasks (association_id, id);
CREATE INDEX events_association_idx ON events (association_id, id);
CREATE INDEX remote_events_association_id_idx ON remote_events (association_actor_id, id);
