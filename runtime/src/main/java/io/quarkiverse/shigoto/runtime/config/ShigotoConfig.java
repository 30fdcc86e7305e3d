package io.quarkiverse.shigoto.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;

/**
 * Runtime configuration of shigoto.
 */
@ConfigMapping(prefix = "quarkus.shigoto")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface ShigotoConfig {

    /**
     * Whether this node runs queues at all. {@code false} makes an insert-only node: it can enqueue and read jobs but
     * never claims one.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * How the engine runs jobs in tests: {@code disabled} (producers run jobs as in production), {@code manual}
     * (inserts are stored, no producer runs; a test runs them with {@code ShigotoTesting.drainQueue}) or
     * {@code inline} (no producer runs; an insert runs its available jobs on the inserting thread once its
     * transaction commits). {@code manual} and {@code inline} are only allowed while the application runs its tests:
     * set anywhere else, the start fails naming this property.
     */
    @WithDefault("disabled")
    TestingMode testing();

    /**
     * The name of the JDBC datasource holding the job tables. Unset means the default datasource.
     */
    Optional<String> datasource();

    /**
     * The database schema of the job tables. Migrating at start creates it when it does not exist.
     */
    @WithDefault("public")
    String schema();

    /**
     * Whether to create and upgrade the job tables when the application starts. Safe with many nodes starting at
     * once (an advisory lock serialises them). Turn it off when Flyway or Liquibase owns the schema; see
     * {@code docs/migrations.md}.
     */
    @WithDefault("true")
    boolean migrateAtStart();

    /**
     * The id of this node, stored on the jobs it runs. Unset means host name, process id and a random suffix.
     */
    Optional<String> nodeId();

    /**
     * How often an idle queue looks for jobs when no notification arrives. Notifications wake queues within
     * milliseconds; this is the backstop.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * How often scheduled and retryable jobs that became due are made available.
     */
    @WithDefault("1s")
    Duration stageInterval();

    /**
     * How long shutdown waits for running jobs before leaving them to be rescued.
     */
    @WithDefault("30s")
    Duration shutdownTimeout();

    /**
     * How many finished jobs the completer writes in one statement at most.
     */
    @WithDefault("1000")
    int completerBatchSize();

    /**
     * How often this node tells the others it is alive (the node table's heartbeat).
     */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /**
     * How long after its last heartbeat a node counts as lost: the leader then rescues the jobs it was running
     * (retried, or discarded once their attempts are used up). Must be at least three heartbeat intervals.
     */
    @WithDefault("30s")
    Duration nodeTimeout();

    /**
     * How long the leader's lease lasts. The leader renews it every fifth of this; when the leader dies, another node
     * takes over within about this long (at once when the leader stops normally).
     */
    @WithDefault("10s")
    Duration leaderLease();

    /**
     * How often the leader looks for jobs left executing by lost nodes.
     */
    @WithDefault("5s")
    Duration rescueInterval();

    /**
     * Pruning of finished jobs.
     */
    PruneConfig prune();

    /**
     * Tracing, when the application has {@code quarkus-opentelemetry}.
     */
    TracingConfig tracing();

    /**
     * Tracing of inserts and attempts with OpenTelemetry.
     */
    interface TracingConfig {

        /** How an attempt's span relates to the span of the insert that stored its job. */
        enum Attempts {
            /** A child of the insert's span: the request, its insert and every attempt share one trace. */
            CHILD,
            /** A trace of its own, linked to the insert's span. */
            LINK
        }

        /**
         * Whether inserts inside a traced request get a {@code PRODUCER} span (and store the trace context in the job's
         * meta, key {@code traceparent}) and each attempt runs in a {@code CONSUMER} span. Only with
         * {@code quarkus-opentelemetry}: without it, nothing is traced and nothing costs.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Whether an attempt's span is a {@code child} of the insert's span (one trace from the request to every
         * attempt) or starts a trace of its own {@code link}ed to it (for jobs that run long after their insert).
         */
        @WithDefault("child")
        Attempts attempts();
    }

    /**
     * Encryption at rest of the args and meta of {@code @Job(encrypted = true)} workers and
     * {@code JobRequest.encrypted()} inserts.
     */
    EncryptionConfig encryption();

    /**
     * The keys args are encrypted with: AES-256, 32 bytes each, in base64 (for example from
     * {@code openssl rand -base64 32}), from any configuration source (environment, a vault, ...).
     */
    interface EncryptionConfig {

        /**
         * A key by its id (1 to 64 letters, digits, '.', '_' or '-'). Every key decrypts; keep an old key until nothing
         * is encrypted with it any more.
         */
        @ConfigDocMapKey("key-id")
        Map<String, String> keys();

        /**
         * The id of the key new values are encrypted with. Required as soon as a key is configured.
         */
        Optional<String> primary();

        /**
         * The key the unique keys of encrypted jobs are hashed with (HMAC-SHA256 of the plaintext args), 32 bytes in
         * base64. Required when an encrypted job is unique by its args. It is separate from the encryption keys so
         * that rotating them keeps unique keys stable; changing it makes the jobs stored before no longer count as
         * duplicates of new ones.
         */
        Optional<String> hashKey();
    }

    /**
     * Pruning of finished jobs, run by the leader.
     */
    interface PruneConfig {

        /**
         * Whether finished jobs are pruned at all.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * What pruning does with a job: {@code delete} it, or {@code archive} it (move it to the
         * {@code shigoto_jobs_archive} table, which is pruned only with {@code archive-retention}).
         */
        @WithDefault("delete")
        PruneMode mode();

        /**
         * How long a completed job is kept after it finished.
         */
        @WithDefault("1d")
        Duration completed();

        /**
         * How long a cancelled job is kept after it finished.
         */
        @WithDefault("7d")
        Duration cancelled();

        /**
         * How long a discarded job is kept after it finished.
         */
        @WithDefault("7d")
        Duration discarded();

        /**
         * How long an archived job stays in {@code shigoto_jobs_archive} after it was archived, deleted in batches
         * like the job table; unset (the default) keeps archived jobs for ever.
         */
        Optional<Duration> archiveRetention();

        /**
         * How often the leader prunes.
         */
        @WithDefault("1m")
        Duration interval();

        /**
         * How many jobs one pruning statement removes at most. Each batch is a short transaction; the pruner pauses
         * between batches for as long as the last one took, so claims and completions keep their pace.
         */
        @WithDefault("1000")
        int batchSize();
    }

    /**
     * What pruning does with a finished job.
     */
    enum PruneMode {
        /** Delete the job. */
        DELETE,
        /** Move the job to {@code shigoto_jobs_archive}. */
        ARCHIVE
    }

    /**
     * Metrics settings read at run time (whether there are metrics at all is fixed at build time).
     */
    MetricsRuntimeConfig metrics();

    /**
     * Metrics settings read at run time.
     */
    interface MetricsRuntimeConfig {

        /**
         * How often the gauge of jobs by queue and state is read from the database. A scrape reads the last values
         * and never queries the database itself.
         */
        @WithDefault("15s")
        Duration refreshInterval();
    }

    /**
     * Queues run by this node. A queue used by a worker of this application runs with the default settings even when
     * it is not listed here; set its concurrency to 0 to keep this node from running it.
     */
    @ConfigDocMapKey("queue")
    @WithDefaults
    Map<String, QueueConfig> queues();

    /**
     * Settings of one queue.
     */
    interface QueueConfig {

        /**
         * How many jobs of this queue run at once on this node, 0 to 10,000; another value stops the start naming it.
         * 0 means this node does not run the queue.
         */
        @WithDefault("10")
        int concurrency();

        /**
         * Whether this queue claims fairly across partition keys ({@code JobRequest.partitionKey}): round-robin, one
         * share of each claim per key that has jobs waiting, so one key's backlog (a tenant's 100,000 jobs) delays
         * another key's jobs by at most one round. Jobs without a partition key take the room the keys leave. A fair
         * queue does not prefetch. Set it on every node that runs the queue; see {@code docs/queues.md}.
         */
        @WithDefault("false")
        boolean fair();

        /**
         * Whether this queue broadcasts: each of its jobs is performed once by every node that runs the queue and is
         * live when the job is picked up, each node retrying its own delivery; the job finishes when every delivery
         * has (a node that left the cluster counts as done). For cache invalidation, configuration reloads and the
         * like. A broadcast queue can be neither fair nor shed load. Set it alike on every node that runs the
         * queue (inserting nodes need no setting); see {@code docs/broadcast-queues.md}.
         */
        @WithDefault("false")
        boolean broadcast();

        /**
         * Load shedding of this queue: when its jobs wait too long, the lowest priorities are deferred so the higher
         * ones keep their latency. Set it alike on every node; the leader decides. See {@code docs/load-shedding.md}.
         */
        SheddingConfig shedding();
    }

    /**
     * Load shedding of one queue, CoDel-style: the wait of the oldest claimable job is measured; once it has stayed
     * above {@code target} for {@code interval}, the queue sheds, and sheds one more priority while it stays above.
     */
    interface SheddingConfig {

        /** Whether the queue sheds load at all. */
        @WithDefault("false")
        boolean enabled();

        /** The longest acceptable wait of the oldest claimable job; positive. */
        @WithDefault("5s")
        Duration target();

        /**
         * How long the wait must stay above the target before the queue sheds, and how long between one more
         * priority shed and the next; positive.
         */
        @WithDefault("10s")
        Duration interval();

        /** How long a shed job is deferred (it becomes scheduled, using no attempt); positive. */
        @WithDefault("1m")
        Duration defer();

        /**
         * While the queue sheds, inserts of a priority below this are refused with a
         * {@code QueueOverloadedException} (from -100 to 100). Unset: inserts are never refused.
         */
        OptionalInt rejectBelowPriority();
    }

    /**
     * Circuit breakers by job kind: change a worker's {@code @CircuitBreaker} on this deployment, turn it off, or give
     * a kind one without the annotation. Every node running the kind should agree. An entry naming no kind of this
     * application, or an invalid value, stops the start naming the property. See {@code docs/circuit-breakers.md}.
     */
    @ConfigDocMapKey("kind")
    Map<String, BreakerConfig> circuitBreakers();

    /**
     * One kind's circuit breaker; an unset value keeps the annotation's (or, without one, its default).
     */
    interface BreakerConfig {

        /** Whether the kind has a breaker: {@code false} turns its {@code @CircuitBreaker} off. */
        Optional<Boolean> enabled();

        /** How many of the latest attempts the failure ratio is measured over; at least 1 (default 20). */
        OptionalInt requestVolumeThreshold();

        /** The share of failed attempts that opens the breaker; above 0, at most 1 (default 0.5). */
        OptionalDouble failureRatio();

        /** How long the breaker stays open before trials; positive (default 5s). */
        Optional<Duration> delay();

        /** How many trials must succeed to close it, and may run at once; at least 1 (default 1). */
        OptionalInt successThreshold();
    }

    /**
     * Cron entries by name. Each inserts a job of its kind at every minute its schedule names, once across the
     * cluster. An entry named like the kind of a {@code @Job(cron = ...)} worker changes that worker's entry (set
     * {@code enabled=false} to turn it off on this deployment). See {@code docs/cron.md}.
     */
    @ConfigDocMapKey("name")
    Map<String, CronConfig> cron();

    /**
     * How far back runs missed while no node was up are caught up, each once, for entries without a catch-up of their
     * own. Older missed runs are skipped. 0 runs only the current minute.
     */
    @WithDefault("1h")
    Duration cronCatchUp();

    /**
     * One cron entry.
     */
    interface CronConfig {

        /**
         * When it runs: five fields (minute, hour, day of month, month, day of week; ranges, steps, lists, month and
         * day names) such as {@code 30 2 * * MON-FRI}, or {@code @hourly}, {@code @daily}, {@code @midnight},
         * {@code @weekly}, {@code @monthly}, {@code @yearly}, {@code @annually}. Required, except to change the entry
         * of a {@code @Job(cron = ...)} worker.
         */
        Optional<String> schedule();

        /**
         * The kind of job it inserts. Unset means the entry's name.
         */
        Optional<String> kind();

        /**
         * The job's arguments, as JSON object text: {@code {"report": "daily"}}.
         */
        Optional<String> args();

        /**
         * The queue of its jobs. Unset means the worker's queue.
         */
        Optional<String> queue();

        /**
         * The priority of its jobs. Unset means the worker's priority.
         */
        OptionalInt priority();

        /**
         * The tags of its jobs. Unset means the worker's tags.
         */
        Optional<List<String>> tags();

        /**
         * The time zone of the schedule, an IANA name such as {@code Europe/Berlin}. Unset means the worker's
         * {@code @Job(cronTimezone)}, else UTC.
         */
        Optional<String> timezone();

        /**
         * Whether the entry runs.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * How far back missed runs are caught up for this entry. Unset means {@code quarkus.shigoto.cron-catch-up}.
         */
        Optional<Duration> catchUp();
    }
}
