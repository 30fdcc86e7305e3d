-- shigoto 0009: autovacuum that keeps up with the job table's churn.

-- Every job leaves dead row versions behind: its claim and its completion each write a new version (neither can be a
-- HOT update, both change indexed columns) and pruning deletes the row. PostgreSQL's defaults vacuum a table once a
-- fifth of it is dead, throttled by the cost delay: at tens of thousands of jobs a second that falls behind, dead
-- rows pile up faster than they are cleared, every index grows and the throughput sinks (a soak at 41,500 jobs/s
-- with a one-minute retention: 13 million dead rows and 2.7 GiB after 5 minutes, throughput down from 37,000 to
-- 12,700 jobs/s). The job table is vacuumed once 1 % of it changed, unthrottled, and analyzed once 2 % did.
ALTER TABLE {schema}.shigoto_jobs SET (autovacuum_vacuum_scale_factor = 0.01,
                                       autovacuum_analyze_scale_factor = 0.02,
                                       autovacuum_vacuum_cost_delay = 0);
