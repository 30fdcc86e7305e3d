package io.quarkiverse.shigoto.runtime.client;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.quarkiverse.shigoto.BatchRequest;
import io.quarkiverse.shigoto.BatchView;
import io.quarkiverse.shigoto.CircuitBreakerView;
import io.quarkiverse.shigoto.CronView;
import io.quarkiverse.shigoto.Delivery;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.Reencryption;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.Workflow;
import io.quarkiverse.shigoto.WorkflowView;
import io.quarkiverse.shigoto.runtime.cluster.InsertNotifier;
import io.quarkiverse.shigoto.runtime.cluster.NodeSignals;
import io.quarkiverse.shigoto.runtime.cluster.ThisNode;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.config.TestingMode;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntries;
import io.quarkiverse.shigoto.runtime.queue.InsertListener;
import io.quarkiverse.shigoto.runtime.queue.ShigotoEvents;
import io.quarkiverse.shigoto.runtime.queue.Tracing;
import io.quarkiverse.shigoto.runtime.store.JobInserts;
import io.quarkiverse.shigoto.runtime.store.JobSelection;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.quarkiverse.shigoto.runtime.worker.JobRequests;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.smallrye.common.annotation.Identifier;

/**
 * The blocking client over JDBC. The datasource hands out the JTA transaction's connection when one is active, which
 * is how an insert joins the caller's transaction; otherwise the insert commits on its own.
 */
@Singleton
public class ShigotoClient implements Shigoto {

    private final JobStore store;
    private final WorkerCatalog catalog;
    private final Clock clock;
    private final InsertNotifier notifier;
    private final InsertListener listener;
    private final ThisNode node;
    private final TransactionSynchronizationRegistry transactions;
    private final JobCommands commands;
    private final QueueCommands queueCommands;
    private final BreakerCommands breakerCommands;
    private final AfterCommit afterCommit;
    private final Tracing tracing;
    /** The test support's inline runner, when {@code quarkus.shigoto.testing=inline}; {@code null} otherwise */
    private final Instance<InlineRunner> inline;

    /**
     * @param inserts every bean that hears about inserted jobs (the metrics)
     */
    @Inject
    public ShigotoClient(JobStore store, WorkerCatalog catalog, @Identifier("shigoto") Clock clock,
            InsertNotifier notifier, NodeSignals signals, ThisNode node, ShigotoEvents events, CronEntries cron,
            ConfiguredQueues queues, ShigotoConfig config, @Any Instance<InsertListener> inserts,
            TransactionSynchronizationRegistry transactions, Instance<InlineRunner> inline, Tracing tracing) {
        this.tracing = tracing;
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.notifier = notifier;
        this.listener = InsertListener.of(inserts.stream().toList());
        this.node = node;
        this.transactions = transactions;
        this.afterCommit = new AfterCommit(transactions);
        // looked up at the first insert: the runner itself uses this client
        this.inline = config.testing() == TestingMode.INLINE && inline.isResolvable() ? inline : null;
        this.commands = new JobCommands(store, catalog, clock, signals, node, events, afterCommit);
        this.queueCommands = new QueueCommands(store, catalog, clock, cron, queues, config.nodeTimeout(), events,
                afterCommit, node.id());
        this.breakerCommands = new BreakerCommands(store, catalog, clock, events, notifier, node.id());
    }

    @Override
    public JobView insert(JobRequest request) {
        return insertAll(List.of(request)).get(0);
    }

    @Override
    public List<JobView> insertAll(List<JobRequest> requests) {
        Tracing.Insert span = null;
        if (tracing != Tracing.NONE && !JobRequests.requireList(requests).isEmpty()) {
            List<String[]> named = JobRequests.kindsAndQueues(catalog, requests);
            span = tracing.insert(named.stream().map(n -> n[0]).toList(), named.stream().map(n -> n[1]).toList());
        }
        List<JobView> stored;
        try {
            stored = store(requests, span == null ? null : span.traceparent());
        } catch (RuntimeException e) {
            if (span != null) {
                span.failed(e);
            }
            throw e;
        }
        if (span != null) {
            span.stored(stored);
        }
        return inline == null ? stored : runInline(stored);
    }

    /**
     * {@code quarkus.shigoto.testing=inline}: the jobs run once committed, on this thread; outside a transaction
     * before the insert returns (which then answers them finished), in the caller's JTA transaction once it commits.
     */
    private List<JobView> runInline(List<JobView> stored) {
        InlineRunner runner = inline.get();
        int status = transactions.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            return runner.runInline(stored);
        }
        if (status == Status.STATUS_ACTIVE) {
            afterCommit.onCommit(() -> runner.runAfterCommit(stored));
        }
        return stored;
    }

    /** @param traceparent the trace context each job's meta stores, or {@code null} */
    private List<JobView> store(List<JobRequest> requests, String traceparent) {
        if (JobRequests.requireList(requests).isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        // a large plain batch can be resolved while its rows stream in: the COPY overlaps with making the rows
        boolean streamable = JobInserts.copies(requests.size()) && JobRequests.plain(catalog, requests);
        List<NewJob> jobs = streamable ? null : JobRequests.resolve(catalog, requests, now, traceparent);
        if (jobs != null && jobs.size() == 1 && !jobs.get(0).hasDependencies()) {
            return List.of(jobs.get(0).unique() ? insertUniqueOne(jobs.get(0), now) : insertOne(jobs.get(0), now));
        }
        return inTransaction("insert " + requests.size() + " job(s)", requests.size(), now, null,
                writing(requests, jobs, now, traceparent), (c, batch, written) -> written.views());
    }

    /**
     * What a batch insert does around its members, in their transaction.
     */
    interface Batching {
        /** @return the batch the members join (created, or found open and locked) */
        long before(Connection c, Instant now) throws SQLException;

        /** Counts the new members into the batch, and seals it when it is to be sealed. */
        void after(Connection c, long batch, JdbcJobWriter.Written written, Instant now) throws SQLException;
    }

    /** How an insert stores its jobs, in its transaction. */
    interface Write {
        /**
         * @param own whether the transaction is ours (not the caller's)
         * @param batch the batch the jobs join, or {@code null}
         */
        JdbcJobWriter.Written write(Connection c, boolean own, Long batch) throws SQLException;
    }

    /** What an insert answers, read in its transaction. */
    interface Answer<T> {
        T read(Connection c, Long batch, JdbcJobWriter.Written written) throws SQLException;
    }

    /**
     * Stores requests resolved ({@code jobs}) or, for a large plain list in our own transaction, resolved while they
     * stream in ({@code jobs == null}).
     */
    private Write writing(List<JobRequest> requests, List<NewJob> jobs, Instant now, String traceparent) {
        return (c, own, batch) -> {
            if (requests.isEmpty()) {
                return new JdbcJobWriter.Written(List.of(), Set.of());
            }
            // only in our own transaction: an invalid request found mid-COPY rolls back what was sent, which in the
            // caller's transaction would abort the caller's work too
            if (own && jobs == null) {
                return JdbcJobWriter.stream(store, c, catalog, requests, now, traceparent, batch);
            }
            return JdbcJobWriter.write(store, c, jobs != null ? jobs
                    : JobRequests.resolve(catalog, requests, now, traceparent), now, batch);
        };
    }

    /** Stores {@code count} jobs in the caller's transaction, or in one of our own. */
    private <T> T inTransaction(String what, int count, Instant now, Batching batching, Write write,
            Answer<T> answer) {
        return Deadlocks.retried(what, store, c -> {
            boolean own = c.getAutoCommit();
            if (own) {
                c.setAutoCommit(false);
            }
            try {
                Long batch = batching == null ? null : batching.before(c, now);
                JdbcJobWriter.Written written = write.write(c, own, batch);
                if (batching != null) {
                    batching.after(c, batch, written, now);
                }
                List<String> notified = queuesToNotify(c, written.newAvailable(), count);
                store.inserts().notifyQueues(c, notified);
                T result = answer.read(c, batch, written);
                if (own) {
                    c.commit();
                }
                afterCommit(own, written.newAvailable(), notified, written.views());
                return result;
            } catch (SQLException | RuntimeException e) {
                if (own) {
                    c.rollback();
                }
                throw e;
            } finally {
                if (own) {
                    c.setAutoCommit(true);
                }
            }
        });
    }

    @Override
    public BatchView insertBatch(BatchRequest request) {
        Objects.requireNonNull(request, "the batch must not be null");
        Instant now = clock.instant();
        BatchCommands.Prepared prepared = BatchCommands.prepare(catalog, request, now);
        List<JobRequest> members = request.jobs();
        boolean streamable = JobInserts.copies(members.size()) && JobRequests.plain(catalog, members);
        List<NewJob> jobs = streamable ? null : JobRequests.resolve(catalog, members, now, null);
        Batching batching = new Batching() {
            @Override
            public long before(Connection c, Instant at) throws SQLException {
                return store.batches().create(c, prepared.name(), prepared.metaJson(), prepared.callbacksJson(), at);
            }

            @Override
            public void after(Connection c, long batch, JdbcJobWriter.Written written, Instant at)
                    throws SQLException {
                store.batches().addMembers(c, batch, BatchCommands.joined(written.views()));
                if (request.sealed()) {
                    store.batches().seal(c, batch, at);
                }
            }
        };
        return inTransaction("insert a batch of " + members.size() + " job(s)", members.size(), now, batching,
                writing(members, jobs, now, null), (c, batch, written) -> store.batches().batch(c, batch).orElseThrow());
    }

    @Override
    public List<JobView> addToBatch(long batchId, List<JobRequest> requests) {
        JobRequests.requireList(requests);
        Instant now = clock.instant();
        boolean streamable = JobInserts.copies(requests.size()) && JobRequests.plain(catalog, requests);
        List<NewJob> jobs = streamable ? null : JobRequests.resolve(catalog, requests, now, null);
        Batching batching = new Batching() {
            @Override
            public long before(Connection c, Instant at) throws SQLException {
                Optional<Boolean> sealed = store.batches().lockSealed(c, batchId);
                if (sealed.isEmpty()) {
                    throw new InvalidJobException("no batch has id " + batchId);
                }
                if (sealed.get()) {
                    throw new InvalidJobException("batch " + batchId + " is sealed: it takes no more members (insert"
                            + " it with BatchRequest.open() to add members later, then seal it)");
                }
                return batchId;
            }

            @Override
            public void after(Connection c, long batch, JdbcJobWriter.Written written, Instant at)
                    throws SQLException {
                store.batches().addMembers(c, batch, BatchCommands.joined(written.views()));
            }
        };
        return inTransaction("add " + requests.size() + " job(s) to batch " + batchId, requests.size(), now,
                batching, writing(requests, jobs, now, null), (c, batch, written) -> written.views());
    }

    @Override
    public WorkflowView insertWorkflow(Workflow workflow) {
        Objects.requireNonNull(workflow, "the workflow must not be null");
        Instant now = clock.instant();
        WorkflowCommands.Planned plan = WorkflowCommands.plan(catalog, workflow, now);
        int steps = plan.names().size();
        Batching batching = new Batching() {
            @Override
            public long before(Connection c, Instant at) throws SQLException {
                return store.batches().create(c, plan.name(), plan.metaJson(), "[]", at);
            }

            @Override
            public void after(Connection c, long batch, JdbcJobWriter.Written written, Instant at)
                    throws SQLException {
                long[] ids = written.views().stream().mapToLong(JobView::id).toArray();
                store.batches().addMembers(c, batch, ids.length);
                store.batches().addSteps(c, batch, plan.names(), ids);
                store.batches().seal(c, batch, at);
            }
        };
        // layer by layer: a step's parents are stored, with their ids, before it
        Write write = (c, own, batch) -> {
            long[] ids = new long[steps];
            JobView[] views = new JobView[steps];
            Set<String> newAvailable = new LinkedHashSet<>();
            for (int[] layer : plan.layers()) {
                List<NewJob> jobs = new ArrayList<>(layer.length);
                for (int i : layer) {
                    jobs.add(plan.job(i, ids));
                }
                JdbcJobWriter.Written written = JdbcJobWriter.write(store, c, jobs, now, batch);
                for (int k = 0; k < layer.length; k++) {
                    views[layer[k]] = written.views().get(k);
                    ids[layer[k]] = views[layer[k]].id();
                }
                newAvailable.addAll(written.newAvailable());
            }
            return new JdbcJobWriter.Written(List.of(views), newAvailable);
        };
        return inTransaction("insert a workflow of " + steps + " step(s)", steps, now, batching, write,
                (c, batch, written) -> store.batches().workflow(c, batch).orElseThrow());
    }

    @Override
    public List<CircuitBreakerView> circuitBreakers() {
        return breakerCommands.all();
    }

    @Override
    public boolean resetCircuitBreaker(String kind) {
        return breakerCommands.reset(kind);
    }

    @Override
    public Reencryption reencrypt() {
        return KeyRotation.run(store, catalog.keys());
    }

    @Override
    public Optional<WorkflowView> workflow(long workflowId) {
        try {
            return store.batches().workflow(workflowId);
        } catch (SQLException e) {
            throw new ShigotoException("could not read workflow " + workflowId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public BatchView sealBatch(long batchId) {
        return Deadlocks.retried("seal batch " + batchId, store, c -> {
            store.batches().seal(c, batchId, clock.instant());
            return store.batches().batch(c, batchId)
                    .orElseThrow(() -> new InvalidJobException("no batch has id " + batchId));
        });
    }

    @Override
    public Optional<BatchView> batch(long batchId) {
        try {
            return store.batches().batch(batchId);
        } catch (SQLException e) {
            throw new ShigotoException("could not read batch " + batchId + ": " + e.getMessage(), e);
        }
    }

    /** One statement on the caller's transaction, or in autocommit outside one: no BEGIN/COMMIT round trips. */
    private JobView insertOne(NewJob job, Instant now) {
        return Deadlocks.retried("insert a job of kind '" + job.kind() + "'", store, c -> {
            List<String> notified = queuesToNotify(c, List.of(job.queue()), 1);
            long id = store.inserts().insertOne(c, job, now, !notified.isEmpty());
            List<JobView> stored = JobRequests.views(List.of(job), new long[] { id }, now);
            afterCommit(c.getAutoCommit(), List.of(job.queue()), notified, stored);
            return stored.get(0);
        });
    }

    /** One unique job: one statement too, which also wakes the queue if the job is new and available. */
    private JobView insertUniqueOne(NewJob job, Instant now) {
        return Deadlocks.retried("insert a job of kind '" + job.kind() + "'", store, c -> {
            List<String> notified = queuesToNotify(c, List.of(job.queue()), 1);
            List<JobView> stored = store.inserts().insertUnique(c, List.of(job), now, !notified.isEmpty());
            JobView view = stored.get(0);
            boolean available = !view.conflict() && view.state() == JobState.AVAILABLE;
            afterCommit(c.getAutoCommit(), available ? List.of(job.queue()) : List.of(), notified, stored);
            return view;
        });
    }

    /**
     * @return the queues an insert on this connection notifies in its transaction: when this node will see the commit
     *         (autocommit, or a JTA transaction), only those whose producer here cannot take the jobs
     */
    private List<String> queuesToNotify(Connection c, Collection<String> queues, int jobs) throws SQLException {
        if (queues.isEmpty()) {
            return List.of();
        }
        boolean seen = c.getAutoCommit() || transactions.getTransactionStatus() == Status.STATUS_ACTIVE;
        return seen ? notifier.queuesToNotify(queues, jobs) : notifier.queuesToNotify(queues);
    }

    /**
     * Once the jobs are committed: wakes this node's producers of the queues without waiting for the NOTIFY to travel
     * through the database (other nodes still get that, when the insert sent one), and tells the insert listener. In a
     * JTA transaction both wait for its commit, so a rolled-back insert is neither run early nor counted.
     *
     * @param notified the queues the insert notified in its transaction
     */
    private void afterCommit(boolean committed, Collection<String> queues, Collection<String> notified,
            List<JobView> stored) {
        boolean listened = listener != InsertListener.NONE;
        if (committed) {
            notifier.afterCommit(queues, notified);
            if (listened) {
                listener.inserted(stored);
                listener.committed(stored, node.id());
            }
        } else if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            AbortedTransactionCheck.register(transactions, store.dataSource());
            if (queues.isEmpty() && !listened) {
                return;
            }
            afterCommit.onCommit(() -> {
                notifier.afterCommit(queues, notified);
                if (listened) {
                    listener.inserted(stored);
                    listener.committed(stored, node.id());
                }
            });
        } else if (listened) {
            // a connection in manual commit mode outside JTA: its commit is not ours to see
            listener.inserted(stored);
        }
    }

    @Override
    public List<JobView> jobs(JobFilter filter, long afterId, int limit) {
        return commands.jobs(filter, afterId, limit);
    }

    @Override
    public boolean cancel(long id) {
        return commands.cancel(JobSelection.of(id), "cancelled by request") > 0;
    }

    @Override
    public int cancelBy(JobFilter filter) {
        return commands.cancel(commands.selection(filter), "cancelled by request");
    }

    @Override
    public boolean retry(long id) {
        return commands.retry(JobSelection.of(id)) > 0;
    }

    @Override
    public int retryBy(JobFilter filter) {
        return commands.retry(commands.selection(filter));
    }

    @Override
    public boolean snooze(long id, Duration delay) {
        return commands.snooze(id, delay);
    }

    @Override
    public boolean delete(long id) {
        return commands.delete(JobSelection.of(id)) > 0;
    }

    @Override
    public int deleteBy(JobFilter filter) {
        return commands.delete(commands.selection(filter));
    }

    @Override
    public boolean reportProgress(long id, int percent) {
        return commands.reportProgress(id, percent);
    }

    @Override
    public List<JobView> dependencies(long id) {
        return commands.dependencies(id);
    }

    @Override
    public List<JobView> dependents(long id) {
        return commands.dependents(id);
    }

    @Override
    public void pauseQueue(String queue) {
        queueCommands.pause(queue, true);
    }

    @Override
    public void resumeQueue(String queue) {
        queueCommands.pause(queue, false);
    }

    @Override
    public void scaleQueue(String queue, int concurrency) {
        queueCommands.scale(queue, concurrency);
    }

    @Override
    public List<QueueView> queues() {
        return queueCommands.queues();
    }

    @Override
    public List<CronView> cronEntries() {
        return queueCommands.cronEntries();
    }

    @Override
    public Optional<JobView> job(long id) {
        try {
            return store.job(id);
        } catch (SQLException e) {
            throw new ShigotoException("could not read job " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Delivery> deliveries(long id) {
        try {
            return store.broadcasts().deliveries(id);
        } catch (SQLException e) {
            throw new ShigotoException("could not read the deliveries of job " + id + ": " + e.getMessage(), e);
        }
    }
}
