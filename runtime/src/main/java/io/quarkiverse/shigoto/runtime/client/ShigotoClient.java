package io.quarkiverse.shigoto.runtime.client;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.quarkiverse.shigoto.CronView;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.ShigotoException;
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
        return Deadlocks.retried("insert " + requests.size() + " job(s)", store, c -> {
            boolean own = c.getAutoCommit();
            if (own) {
                c.setAutoCommit(false);
            }
            try {
                // only in our own transaction: an invalid request found mid-COPY rolls back what was sent, which in
                // the caller's transaction would abort the caller's work too
                JdbcJobWriter.Written written = own && streamable
                        ? JdbcJobWriter.stream(store, c, catalog, requests, now, traceparent)
                        : JdbcJobWriter.write(store, c, jobs != null ? jobs
                                : JobRequests.resolve(catalog, requests, now, traceparent), now);
                List<String> notified = queuesToNotify(c, written.newAvailable(), requests.size());
                store.inserts().notifyQueues(c, notified);
                if (own) {
                    c.commit();
                }
                afterCommit(own, written.newAvailable(), notified, written.views());
                return written.views();
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
}
