package io.quarkiverse.shigoto.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.queue.AttemptSink;
import io.quarkiverse.shigoto.runtime.queue.JobExecutor;
import io.quarkiverse.shigoto.runtime.queue.ProgressWriter;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;
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
public class ShigotoTesting {

    private static final Logger LOG = Logger.getLogger(ShigotoTesting.class);
    /** How long past a worker's timeout a test waits for an attempt's outcome before it gives up. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final String NODE = "shigoto-testing";

    private final WorkerCatalog catalog;
    private final Clock clock;
    private final JobExecutor executor;
    private final Map<Long, Attempt> attempts = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Inject
    public ShigotoTesting(WorkerCatalog catalog, @Identifier("shigoto") Clock clock,
            @Identifier("shigoto") ScheduledExecutorService timer, Vertx vertx) {
        this.catalog = catalog;
        this.clock = clock;
        ProgressWriter progress = new ProgressWriter(batch -> batch.forEach(p -> {
            Attempt a = attempts.get(p.id());
            if (a != null) {
                a.progress = p.percent();
            }
        }), timer, stored -> {
        });
        // no dependency is stored: a performed job's dependencyResults() are empty
        this.executor = new JobExecutor(catalog, new Sink(), clock, NODE, timer, vertx, progress, id -> Map.of());
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
                runReactive(claimed, definition);
            } else {
                runBlocking(claimed);
            }
            Completion completion = await(running, definition);
            return performed(claimed, running, completion, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            attempts.remove(id);
        }
    }

    /** Runs a blocking attempt on this thread, in a request context of its own. */
    private void runBlocking(ClaimedJob job) {
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
    private void runReactive(ClaimedJob job, WorkerDefinition definition) {
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

    private static PerformedJob performed(ClaimedJob job, Attempt running, Completion c, Duration took) {
        JobError error = null;
        if (c.errorJson() != null) {
            List<JobError> errors = JsonCodec.readErrors("[" + c.errorJson() + "]");
            error = errors.isEmpty() ? null : errors.get(0);
        }
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
                worker.onDiscard(JsonCodec.readObjectOrEmpty(job.argsJson()), completion.errorJson() == null ? List.of()
                        : JsonCodec.readErrors("[" + completion.errorJson() + "]"));
            } catch (RuntimeException e) {
                LOG.errorf(e, "onDiscard of job kind '%s' failed", job.kind());
            }
        }
    }
}
