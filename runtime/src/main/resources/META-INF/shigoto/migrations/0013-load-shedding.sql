-- shigoto 0013: load shedding.
--
-- A queue that sheds (quarkus.shigoto.queues."q".shedding.enabled) has its state here, set by the leader, which
-- measures and decides; every node reads it with the other queue controls, to refuse inserts below the configured
-- priority while it sheds. shedding_since: when it began shedding, NULL when it does not; shed_below: the jobs of a
-- priority below this one are deferred.
ALTER TABLE {schema}.shigoto_queues ADD COLUMN shedding_since timestamptz, ADD COLUMN shed_below smallint;
