-- Timelines walk an actor's boosts newest first (its own page, the home
-- timelines of its followers): the unique (kind, actor_id, note_id) index
-- finds them but not in order.
CREATE INDEX reactions_actor_idx ON reactions (actor_id, kind, id);
