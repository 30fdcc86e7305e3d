-- shigoto 0006: the index the pruner finds the oldest archived jobs by, when quarkus.shigoto.prune.archive-retention
-- is set; without it every batch would scan the whole archive.
CREATE INDEX shigoto_jobs_archive_archived_idx ON {schema}.shigoto_jobs_archive (archived_at);
