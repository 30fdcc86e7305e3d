package io.quarkiverse.shigoto.testing;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeLifecycle;
import io.quarkiverse.shigoto.runtime.client.InlineRunner;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.config.TestingMode;
import io.quarkiverse.shigoto.runtime.queue.AttemptSink;
import io.quarkiverse.shigoto.runtime.queue.JobExecutor;
import io.quarkiverse.shigoto.runtime.queue.ProgressWriter;
import io.quarkiverse.shigoto.runtime.queue.Tracing;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.quarkiverse.shigoto.runtime.worker.JobRequests;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Test support for applications: inject it into a {@code @QuarkusTest}. It exists only in tests (the build registers
 * it in the test launch mode only).
 * <p>
 * {@link #performJob(JobRequest)} runs one attempt of a worker in memory, with nothing stored and no engine involved:
 * the request is resolved as an insert would (defaults from {@code @Job}, args written by the application's
 * {@code ObjectMapper} and read back as the worker reads them), and the attempt goes through the real executor: a
 * request context holding the {@link io.quarkiverse.shigoto.JobContext}, the worker's middleware chain, its timeout,
 * and the classification of what it returned or threw into the state the engine would store.
 *
 * <pre>
 * &#64;Inject
 * ShigotoTesting shigoto;
 *
 * &#64;Test
 * void anInvoiceIsSent() {
 *     PerformedJob done = shigoto.performJob(SendInvoice.class, new InvoiceArgs(42L, "EUR"));
 *     assertThat(done.state()).isEqualTo(JobState.COMPLETED);
 * }
 * </pre>
 */
@Singleton
public class ShigotoTesting implements InlineRunner {

    private static final Logger LOG = Logger.getLogger(ShigotoTesting.class);
    /** How long past a worker's timeout a test waits for an attempt's outcome before it gives up. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final String NODE = "shigoto-testing";
    /** The most attempts one drain runs, and the most jobs it looks at. */
    static final int MAX_DRAINED = 100_000;
    private static final int DRAIN_BATCH = 100;
    private static final int MAX_INLINE_DEPTH = 50;
    private static final ThreadLocal<Integer> INLINE_DEPTH = ThreadLocal.withInitial(() -> 0);
    /** The most jobs an assertion looks at. */
    static final int MAX_LISTED = 10_000;
    private static final int NEAR_MISSES = 10;
    private static final long POLL_MILLIS = 20;
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private static final Set<JobState> ENQUEUED = EnumSet.of(JobState.AVAILABLE, JobState.SCHEDULED,
            JobState.RETRYABLE, JobState.PENDING);

    private final WorkerCatalog catalog;
    private final Clock clock;
    private final JobExecutor executor;
    private final NodeLifecycle node;
    private final JobStore store;
    private final Shigoto shigoto;
    private final TestingMode mode;
    private final Map<Long, Attempt> attempts = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Inject
    public ShigotoTesting(WorkerCatalog catalog, @Identifier("shigoto") Clock clock,
            @Identifier("shigoto") ScheduledExecutorService timer, Vertx vertx, NodeLifecycle node, JobStore store,
            Shigoto shigoto, ShigotoConfig config) {
        this.catalog = catalog;
        this.clock = clock;
        this.node = node;
        this.store = store;
        this.shigoto = shigoto;
        this.mode = config.testing();
        ProgressWriter progress = new ProgressWriter(batch -> batch.forEach(p -> {
            Attempt a = attempts.get(p.id());
            if (a != null) {
                a.progress = p.percent();
            }
        }), timer, stored -> {
        });
        // no dependency is stored: a performed job's dependencyResults() and stepResults() are empty
        this.executor = new JobExecutor(catalog, new Sink(), clock, NODE, timer, vertx, progress, id -> List.of(),
                Tracing.NONE);
    }

    /**
     * Runs one attempt, the first, of a worker with these args: a typed worker's own args type, or a
     * {@code Map<String, Object>} for a {@link io.quarkiverse.shigoto.Worker}.
     *
     * @return what the attempt came to
     * @throws InvalidJobException when the args cannot be written, as an insert would throw
     */
    public <A> PerformedJob performJob(Class<? extends JobWorker<A>> worker, A args) {
        WorkerDefinition definition = catalog.requireClass(worker);
        if (!definition.typed() && args instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> values = (Map<String, ?>) map;
            return performJob(JobRequest.of(worker).args(values));
        }
        return performJob(JobRequest.of(worker, args));
    }

    /**
     * Runs the first attempt of a request: its queue, priority, tags, meta, partition key and attempt budget are what
     * the worker's {@code JobContext} shows.
     *
     * @return what the attempt came to
     */
    public PerformedJob performJob(JobRequest request) {
        return performJob(request, 1);
    }

    /**
     * Runs a request as a given attempt, for a worker that behaves differently on later attempts or on its last one
     * (at {@code maxAttempts} a failure discards the job and calls the worker's {@code onDiscard}).
     *
     * @param attempt the attempt, from 1
     * @return what the attempt came to
     */
    public PerformedJob performJob(JobRequest request, int attempt) {
        if (request == null) {
            throw new InvalidJobException("request must not be null");
        }
        if (attempt < 1) {
            throw new InvalidJobException("attempt must be at least 1, was " + attempt);
        }
        Instant now = clock.instant();
        NewJob job = JobRequests.resolve(catalog, request, now);
        if (attempt > job.maxAttempts()) {
            throw new InvalidJobException("attempt " + attempt + " is past the job's max attempts ("
                    + job.maxAttempts() + ")");
        }
        long id = ids.decrementAndGet();
        ClaimedJob claimed = new ClaimedJob(id, job.kind(), job.queue(), job.priority(), job.argsJson(),
                job.metaJson(), job.tags(), attempt, job.maxAttempts(), job.partitionKey(), now, job.scheduledAt(),
                now);
        WorkerDefinition definition = catalog.requireKind(job.kind());
        Attempt running = new Attempt();
        attempts.put(id, running);
        long started = System.nanoTime();
        try {
            if (definition.reactive()) {
                runReactive(executor, claimed, definition);
            } else {
                runBlocking(executor, claimed);
            }
            Completion completion = await(running, definition);
            return performed(claimed, running, completion, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            attempts.remove(id);
        }
    }

    /** Runs a blocking attempt on this thread, in a request context of its own. */
    private static void runBlocking(JobExecutor executor, ClaimedJob job) {
        ManagedContext requestContext = Arc.container().requestContext();
        // the test's own request context (a @QuarkusTest method has one) is set aside, then restored
        InjectableContext.ContextState saved = requestContext.isActive() ? requestContext.getState() : null;
        if (saved != null) {
            requestContext.deactivate();
        }
        try {
            executor.runBlocking(job);
        } finally {
            if (saved != null) {
                requestContext.activate(saved);
            }
        }
    }

    /** Starts a reactive attempt on a Vert.x context and waits for it here. */
    private static void runReactive(JobExecutor executor, ClaimedJob job, WorkerDefinition definition) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("performJob waits for the reactive worker of job kind '" + job.kind()
                    + "' and cannot run on a Vert.x event loop thread: call it from the test's own thread");
        }
        CountDownLatch over = new CountDownLatch(1);
        executor.runReactive(job, over::countDown);
        try {
            if (!over.await(definition.timeoutMillis() + GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ShigotoException("the reactive attempt of job kind '" + job.kind() + "' did not end within"
                        + " its timeout and " + GRACE.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShigotoException("interrupted while waiting for job kind '" + job.kind() + "'", e);
        }
    }

    private Completion await(Attempt running, WorkerDefinition definition) {
        try {
            // a blocking attempt's timeout is stored by the watchdog, which interrupts this thread on its way
            return running.outcome.get(definition.timeoutMillis() + GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // the interrupt of a timeout that the watchdog reports: take its outcome
            try {
                return running.outcome.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException again) {
                throw new ShigotoException("no outcome for the attempt of job kind '" + definition.kind() + "'",
                        again);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new ShigotoException("no outcome for the attempt of job kind '" + definition.kind() + "' within"
                    + " its timeout and " + GRACE.toSeconds() + " s", e);
        } finally {
            // an interrupt meant for the timed-out worker must not reach the test
            Thread.interrupted();
        }
    }

    /**
     * Runs the queue's available jobs, and its scheduled and retryable ones that are due, one after the other on this
     * thread, each through the engine as a producer would run it (its outcome stored, its events fired, its
     * dependents released); returns once every outcome is stored. Without {@link DrainOption#WITH_RECURSION} it runs
     * the jobs that were runnable when it started, each once; with it, it drains until nothing is left, jobs inserted
     * by the drained ones and their retries included (stopping with an error after {@value #MAX_DRAINED} attempts).
     * Needs {@code quarkus.shigoto.testing=manual} (or {@code inline}): with producers running, jobs would run twice
     * as fast as the test could count them.
     *
     * @return the attempts that ran, by the state they left their jobs in
     */
    public Drained drainQueue(String queue, DrainOption... options) {
        Engine engine = requireEngine("drainQueue");
        if (queue == null || queue.isBlank()) {
            throw new InvalidJobException("queue must not be blank");
        }
        List<DrainOption> chosen = List.of(options);
        boolean scheduled = chosen.contains(DrainOption.WITH_SCHEDULED);
        boolean recursion = chosen.contains(DrainOption.WITH_RECURSION);
        Drained total = new Drained(0, 0, 0, 0, 0);
        try {
            store.manualRuns().stage(queue, clock.instant(), scheduled);
            long[] snapshot = store.manualRuns().runnable(queue, MAX_DRAINED);
            if (!recursion) {
                for (int from = 0; from < snapshot.length; from += DRAIN_BATCH) {
                    total = total.plus(run(engine, Arrays.copyOfRange(snapshot, from,
                            Math.min(snapshot.length, from + DRAIN_BATCH))));
                }
                return total;
            }
            for (long[] ids = snapshot; ids.length > 0;) {
                for (int from = 0; from < ids.length; from += DRAIN_BATCH) {
                    total = total.plus(run(engine, Arrays.copyOfRange(ids, from,
                            Math.min(ids.length, from + DRAIN_BATCH))));
                    if (total.ran() >= MAX_DRAINED) {
                        throw new IllegalStateException("drainQueue(\"" + queue + "\") ran " + total.ran()
                                + " attempts and the queue still has jobs to run: does a job snooze or insert"
                                + " itself forever? " + total);
                    }
                }
                store.manualRuns().stage(queue, clock.instant(), scheduled);
                ids = store.manualRuns().runnable(queue, MAX_DRAINED);
            }
            return total;
        } catch (SQLException e) {
            throw new ShigotoException("drainQueue(\"" + queue + "\") failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs these jobs of the engine, in the producers' order, on this thread; waits until their outcomes are stored.
     *
     * @return the attempts, by the state their jobs are in now
     */
    Drained run(Engine engine, long[] ids) throws SQLException {
        List<ClaimedJob> claimed = store.manualRuns().claim(ids, engine.node(), clock.instant());
        long longest = 0;
        for (ClaimedJob job : claimed) {
            WorkerDefinition definition = catalog.byKind(job.kind()).orElse(null);
            if (definition != null && definition.reactive() && job.problem() == null) {
                runReactive(engine.executor(), job, definition);
            } else {
                runBlocking(engine.executor(), job);
            }
            longest = Math.max(longest, definition == null ? 0 : definition.timeoutMillis());
            // an interrupt meant for a timed-out worker must not reach the test
            Thread.interrupted();
        }
        long[] ran = claimed.stream().mapToLong(ClaimedJob::id).toArray();
        Map<Long, JobState> states = awaitStored(ran, longest);
        // the completer releases their dependents right after storing them, on its own thread: do it here too (the
        // release is guarded by the dependents' state, so whichever comes second changes nothing), so that what the
        // drain runs next, or the test asserts, sees them released
        store.dependencies().resolveDependents(ran, clock.instant());
        return count(states);
    }

    /** Waits until none of the jobs is executing any more: their outcomes are stored (or they were deleted). */
    private Map<Long, JobState> awaitStored(long[] ids, long timeoutMillis) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) + GRACE.toNanos();
        while (true) {
            Map<Long, JobState> states = store.manualRuns().states(ids);
            if (states.values().stream().noneMatch(s -> s == JobState.EXECUTING)) {
                return states;
            }
            if (System.nanoTime() > deadline) {
                throw new ShigotoException("the outcomes of jobs " + Arrays.toString(ids) + " were not stored within "
                        + (timeoutMillis + GRACE.toMillis()) + " ms");
            }
            // the completer stores a batch within milliseconds
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static Drained count(Map<Long, JobState> states) {
        int completed = 0, failed = 0, snoozed = 0, discarded = 0, cancelled = 0;
        for (JobState s : states.values()) {
            switch (s) {
                case COMPLETED -> completed++;
                case RETRYABLE, AVAILABLE -> failed++;
                case SCHEDULED -> snoozed++;
                case DISCARDED -> discarded++;
                case CANCELLED -> cancelled++;
                default -> {
                    // pending: only a retry by request leaves a job there, not an attempt
                }
            }
        }
        return new Drained(completed, failed, snoozed, discarded, cancelled);
    }

    /**
     * Asserts that at least one job matching the filter is enqueued: stored and waiting to run ({@code available},
     * {@code scheduled}, {@code retryable} or {@code pending}), unless the filter names states of its own.
     *
     * @return the matching jobs, oldest first
     * @throws AssertionError naming the filter and listing the nearest jobs that did not match (their args
     *         redacted as the dashboard shows them)
     */
    public List<JobView> assertEnqueued(JobFilter filter) {
        List<JobView> found = allEnqueued(filter);
        if (found.isEmpty()) {
            throw new AssertionError("expected a job enqueued matching " + filter + ", found none" + nearMisses(filter));
        }
        return found;
    }

    /**
     * Asserts that no job matching the filter is enqueued.
     *
     * @throws AssertionError listing the jobs that match (their args redacted)
     */
    public void refuteEnqueued(JobFilter filter) {
        List<JobView> found = allEnqueued(filter);
        if (!found.isEmpty()) {
            throw new AssertionError("expected no job enqueued matching " + filter + ", found " + found.size() + ":"
                    + describe(found));
        }
    }

    /**
     * @return the enqueued jobs matching the filter (see {@link #assertEnqueued}), oldest first, at most
     *         {@value #MAX_LISTED}
     */
    public List<JobView> allEnqueued(JobFilter filter) {
        if (filter == null) {
            throw new InvalidJobException("filter must not be null (use JobFilter.all())");
        }
        Set<JobState> states = filter.states().isEmpty() ? ENQUEUED : filter.states();
        List<JobView> found = new ArrayList<>();
        for (JobView job : scan(filter)) {
            if (states.contains(job.state())) {
                found.add(job);
            }
        }
        return found;
    }

    /**
     * @param wait how long an assertion may wait for the jobs to be enqueued (by a request handled on another
     *        thread, a cron run, a job's own insert)
     * @return assertions that wait: {@code assertEnqueued} until a match appears, {@code refuteEnqueued} for the whole
     *         duration
     */
    public Waiting within(Duration wait) {
        if (wait == null || wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw new InvalidJobException("wait must be between 0 and " + MAX_WAIT + ", was " + wait);
        }
        return new Waiting(wait);
    }

    /** The assertions of {@link ShigotoTesting}, waiting up to a duration. */
    public final class Waiting {

        private final Duration wait;

        private Waiting(Duration wait) {
            this.wait = wait;
        }

        /** @see ShigotoTesting#assertEnqueued(JobFilter) */
        public List<JobView> assertEnqueued(JobFilter filter) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                List<JobView> found = allEnqueued(filter);
                if (!found.isEmpty()) {
                    return found;
                }
                if (System.nanoTime() >= deadline) {
                    throw new AssertionError("expected a job enqueued matching " + filter + " within " + wait
                            + ", found none" + nearMisses(filter));
                }
                pause();
            }
        }

        /** Asserts that no matching job is enqueued at any check during the whole duration. */
        public void refuteEnqueued(JobFilter filter) {
            long deadline = System.nanoTime() + wait.toNanos();
            do {
                ShigotoTesting.this.refuteEnqueued(filter);
                pause();
            } while (System.nanoTime() < deadline);
            ShigotoTesting.this.refuteEnqueued(filter);
        }

        private void pause() {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
        }
    }

    /** @return the jobs matching the filter, oldest first, at most {@value #MAX_LISTED} */
    private List<JobView> scan(JobFilter filter) {
        List<JobView> all = new ArrayList<>();
        long after = 0;
        while (all.size() < MAX_LISTED) {
            List<JobView> page = shigoto.jobs(filter, after, Math.min(1_000, MAX_LISTED - all.size()));
            if (page.isEmpty()) {
                break;
            }
            all.addAll(page);
            after = page.get(page.size() - 1).id();
        }
        return all;
    }

    /** @return the latest jobs that share the filter's kinds (else its queues) but did not match, for a failure */
    private String nearMisses(JobFilter filter) {
        JobFilter near = JobFilter.all();
        String what = "any kind";
        if (!filter.workers().isEmpty() || !filter.kinds().isEmpty()) {
            Set<String> kinds = new TreeSet<>(filter.kinds());
            filter.workers().forEach(w -> kinds.add(catalog.requireClass(w).kind()));
            near = near.kinds(kinds);
            what = "kind " + String.join(", ", kinds);
        } else if (!filter.queues().isEmpty()) {
            near = near.queues(filter.queues());
            what = "queue " + String.join(", ", filter.queues());
        }
        List<JobView> all = scan(near);
        if (all.isEmpty()) {
            return "; no job of " + what + " is stored";
        }
        List<JobView> latest = all.subList(Math.max(0, all.size() - NEAR_MISSES), all.size());
        return "; the latest " + latest.size() + " of " + all.size() + " stored job(s) of " + what + ":"
                + describe(latest);
    }

    /** @return one line per job, args redacted by the job's worker as the dashboard shows them */
    private String describe(List<JobView> jobs) {
        StringBuilder text = new StringBuilder();
        for (JobView job : jobs) {
            text.append("\n  job ").append(job.id()).append(" ").append(job.kind()).append(" in queue ")
                    .append(job.queue()).append(", ").append(job.state().dbName()).append(", args ")
                    .append(JsonCodec.writeValue(redacted(job), "args")).append(job.tags().isEmpty() ? ""
                            : ", tags " + job.tags());
        }
        return text.toString();
    }

    private Map<String, Object> redacted(JobView job) {
        WorkerDefinition definition = catalog.byKind(job.kind()).orElse(null);
        if (definition == null) {
            return job.args();
        }
        try {
            Map<String, Object> shown = catalog.instance(definition).redact(job.args());
            return shown == null ? Map.of() : shown;
        } catch (RuntimeException e) {
            // not the exception: its message may quote what it could not redact
            return Map.of("_redaction", "failed: args withheld");
        }
    }

    /**
     * Runs committed jobs inline ({@code quarkus.shigoto.testing=inline}); not for tests to call.
     *
     * @throws IllegalStateException when jobs run inline insert jobs that run inline, {@value #MAX_INLINE_DEPTH}
     *         deep: a job that inserts itself
     */
    @Override
    public List<JobView> runInline(List<JobView> committed) {
        long[] ids = committed.stream().filter(j -> !j.conflict() && j.state() == JobState.AVAILABLE)
                .mapToLong(JobView::id).toArray();
        if (ids.length == 0) {
            return committed;
        }
        int depth = INLINE_DEPTH.get();
        if (depth >= MAX_INLINE_DEPTH) {
            throw new IllegalStateException("inline jobs inserted jobs " + MAX_INLINE_DEPTH + " levels deep (quarkus."
                    + "shigoto.testing=inline runs an insert's jobs at once): does a job insert itself?");
        }
        INLINE_DEPTH.set(depth + 1);
        try {
            run(requireEngine("quarkus.shigoto.testing=inline"), ids);
            List<JobView> now = new ArrayList<>(committed.size());
            for (JobView j : committed) {
                now.add(j.conflict() ? j : shigoto.job(j.id()).orElse(j));
            }
            return now;
        } catch (SQLException e) {
            throw new ShigotoException("shigoto could not run inserted jobs inline: " + e.getMessage(), e);
        } finally {
            INLINE_DEPTH.set(depth);
        }
    }

    @Override
    public void runAfterCommit(List<JobView> committed) {
        Thread runner = new Thread(() -> {
            try {
                runInline(committed);
            } catch (RuntimeException e) {
                LOG.errorf(e, "shigoto could not run the jobs of a committed transaction inline");
            }
        }, "shigoto-inline");
        runner.start();
        try {
            runner.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the engine, which runs no producer in the manual and inline modes */
    Engine requireEngine(String what) {
        if (!mode.producersOff()) {
            throw new IllegalStateException(what + " needs quarkus.shigoto.testing=manual (or inline) in the test"
                    + " profile: with producers running, they would take the jobs it means to run");
        }
        Engine engine = node.engine();
        if (engine == null) {
            throw new IllegalStateException(what + " needs a running engine, and quarkus.shigoto.enabled is false");
        }
        return engine;
    }

    private static PerformedJob performed(ClaimedJob job, Attempt running, Completion c, Duration took) {
        JobError error = c.error();
        boolean later = c.state() == JobState.RETRYABLE || c.state() == JobState.SCHEDULED;
        Integer progress = c.progress() != null ? c.progress() : running.progress;
        return new PerformedJob(job.id(), job.kind(), job.attempt(), c.state(), running.result, running.failure,
                error, later ? c.scheduledAt() : null, progress, took);
    }

    /** One attempt in flight: what it returned, its last stored progress, and its outcome once classified. */
    private static final class Attempt {
        final CompletableFuture<Completion> outcome = new CompletableFuture<>();
        volatile JobResult result;
        volatile Throwable failure;
        volatile Integer progress;
    }

    /** Takes the executor's outcomes in memory, and calls {@code onDiscard} as the engine does once it stored one. */
    private final class Sink implements AttemptSink {

        @Override
        public void returned(ClaimedJob job, JobResult result, Throwable failure) {
            Attempt a = attempts.get(job.id());
            if (a != null) {
                a.result = result;
                a.failure = failure;
            }
        }

        @Override
        public void complete(ClaimedJob job, Completion completion, JobWorker worker, boolean mayBlock,
                String limitedQueue, long runNanos) {
            if (completion.state() == JobState.DISCARDED && worker != null) {
                onDiscard(job, completion, worker);
            }
            Attempt a = attempts.get(job.id());
            if (a != null) {
                a.outcome.complete(completion);
            }
        }

        private void onDiscard(ClaimedJob job, Completion completion, JobWorker worker) {
            try {
                JobError error = completion.error();
                worker.onDiscard(JsonCodec.readObjectOrEmpty(job.argsJson()), error == null ? List.of() : List.of(error));
            } catch (RuntimeException e) {
                LOG.errorf(e, "onDiscard of job kind '%s' failed", job.kind());
            }
        }
    }
}
