package io.quarkiverse.shigoto.runtime.queue;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.TypedReactiveWorker;
import io.quarkiverse.shigoto.TypedWorker;
import io.quarkiverse.shigoto.runtime.crypto.EncryptionException;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;
import io.quarkiverse.shigoto.runtime.store.Dependencies;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs one attempt: finds the worker, parses the arguments, activates a request context holding the
 * {@link io.quarkiverse.shigoto.JobContext}, runs the worker's middleware chain around it, enforces the timeout over
 * the whole chain, and hands the outcome to the completer. A problem with one job (no worker for its kind, unreadable
 * arguments) fails that job only.
 * <p>
 * Its length (over 300 lines) keeps the steps both kinds of attempt share private, next to the two paths that use
 * them: {@code prepare}, {@code register}, {@code activate}, {@code enter}, the worker, {@code outcome},
 * {@code leave}, {@code report} ({@code abandon} when the worker is out of reach). The paths differ only where they
 * must: a blocking attempt runs on the calling thread, which a cancellation or its timeout interrupts; a reactive one
 * subscribes to the worker's {@code Uni} on a duplicated Vert.x context, where its end or its stop action runs and
 * calls {@code done}. In both, {@link RunningAttempt#end()} decides who reports the outcome.
 */
public final class JobExecutor {

    private static final Logger LOG = Logger.getLogger(JobExecutor.class);
    /** How often the {@link Watchdog} looks for attempts past their timeout: the most a timeout fires late. */
    static final long WATCH_MILLIS = 25;
    /** The logging MDC keys that hold the running job's id, kind, queue and attempt while it runs. */
    public static final String MDC_ID = "shigoto.job.id", MDC_KIND = "shigoto.job.kind", MDC_QUEUE = "shigoto.job.queue",
            MDC_ATTEMPT = "shigoto.job.attempt";

    private final WorkerCatalog catalog;
    private final AttemptSink completer;
    private final Clock clock;
    private final String node;
    private final Vertx vertx;
    private final ProgressWriter progress;
    private final AttemptSink.DependencyResults dependencies;
    private final Map<Long, RunningAttempt> running = new ConcurrentHashMap<>();
    private final Watchdog watchdog;
    private final Tracing tracing;
    private volatile CurrentJob currentJob;
    private volatile OutcomeListener listener = OutcomeListener.NONE;

    /**
     * @param completer takes the attempts' outcomes
     * @param dependencies reads dependency results for {@link io.quarkiverse.shigoto.JobContext#dependencyResults()}
     */
    public JobExecutor(WorkerCatalog catalog, AttemptSink completer, Clock clock, String node,
            ScheduledExecutorService timer, Vertx vertx, ProgressWriter progress,
            AttemptSink.DependencyResults dependencies, Tracing tracing) {
        this.tracing = tracing;
        this.catalog = catalog;
        this.completer = completer;
        this.clock = clock;
        this.node = node;
        this.vertx = vertx;
        this.progress = progress;
        this.dependencies = dependencies;
        this.watchdog = new Watchdog(running, timer, this::timeOut);
    }

    /** Sets who hears about attempts starting. */
    public void listener(OutcomeListener listener) {
        this.listener = listener;
    }

    /** @return the ids of the jobs whose attempts run here now */
    public long[] runningIds() {
        return running.keySet().stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Stops the attempts of jobs that were cancelled in the database, if they run here: their workers see
     * {@link io.quarkiverse.shigoto.JobContext#isCancelled()}, blocking ones get interrupted, and their outcome is
     * dropped (the database guard would refuse it anyway).
     *
     * @return how many ran here
     */
    public int cancel(long[] ids) {
        int found = 0;
        for (long id : ids) {
            RunningAttempt attempt = running.get(id);
            if (attempt != null) {
                attempt.cancel();
                found++;
            }
        }
        return found;
    }

    /** @return whether the job's worker is reactive (it must then be started with {@link #runReactive}) */
    boolean isReactive(ClaimedJob job) {
        return job.problem() == null && catalog.byKind(job.kind()).map(WorkerDefinition::reactive).orElse(false);
    }

    /**
     * Runs a job of a blocking worker (or a job that fails before reaching its worker) on the calling thread. Whatever
     * throws before the worker is called fails the attempt through the guarded outcome path, so a claimed job never
     * stays executing without an attempt.
     */
    public void runBlocking(ClaimedJob job) {
        RunningAttempt attempt = prepare(job, Thread.currentThread(), true);
        if (attempt == null || !register(attempt, true)) {
            return;
        }
        ManagedContext requestContext = activate(attempt, true);
        if (requestContext == null) {
            return;
        }
        Completion completion;
        try {
            CurrentJob current = enter(attempt);
            // a worker without middleware is called directly: no chain, no allocation
            JobResult result = attempt.definition().middleware().isEmpty()
                    ? ((TypedWorker) attempt.worker()).perform(attempt.args())
                    : catalog.chain(attempt.definition()).perform(current, (TypedWorker) attempt.worker(), attempt.args());
            completion = outcome(attempt, result, null);
        } catch (Throwable t) {
            completion = outcome(attempt, null, t);
        } finally {
            // this thread's request context, whoever decides the outcome: a timeout or cancellation only interrupts
            leave(attempt, requestContext);
        }
        if (attempt.end()) {
            report(attempt, completion, true);
        }
    }

    /**
     * Starts a job of a reactive worker on a duplicated Vert.x context; {@code done} runs once it is over, on every
     * path.
     */
    public void runReactive(ClaimedJob job, Runnable done) {
        RunningAttempt attempt = prepare(job, null, false);
        Context context = attempt == null ? null : duplicatedContext(job);
        if (context == null || !register(attempt, false)) {
            done.run();
            return;
        }
        try {
            context.runOnContext(ignored -> performReactive(attempt, context, done));
        } catch (RuntimeException e) {
            abandon(attempt, e, false);
            // no stop action was registered to free the slot: free it here either way
            done.run();
        }
    }

    /** The reactive attempt on its context: the same steps as a blocking one, around a subscription to its Uni. */
    private void performReactive(RunningAttempt attempt, Context context, Runnable done) {
        ManagedContext requestContext = activate(attempt, false);
        if (requestContext == null) {
            // no stop action is registered yet to free the slot: free it here either way
            done.run();
            return;
        }
        Uni<JobResult> uni;
        try {
            CurrentJob current = enter(attempt);
            uni = attempt.definition().middleware().isEmpty()
                    ? ((TypedReactiveWorker) attempt.worker()).perform(attempt.args())
                    : catalog.chain(attempt.definition()).performReactive(current, (TypedReactiveWorker) attempt.worker(),
                            attempt.args());
        } catch (Throwable t) {
            uni = Uni.createFrom().failure(t);
        }
        if (uni == null) {
            uni = Uni.createFrom().item(JobResult.ok());
        }
        Cancellable subscription = uni.emitOn(task -> context.runOnContext(v -> task.run()))
                .subscribe().with(
                        result -> ended(attempt, requestContext, result, null, done),
                        failure -> ended(attempt, requestContext, null, failure, done));
        // a cancellation, or the watchdog's timeout: the rest runs on the attempt's context
        attempt.onStop(timedOut -> context.runOnContext(v -> {
            subscription.cancel();
            leave(attempt, requestContext);
            if (timedOut) {
                report(attempt, timeout(attempt), false);
            }
            done.run();
        }));
    }

    /**
     * A reactive attempt's Uni ended, on the attempt's context: its outcome is stored unless a cancellation or its
     * timeout ended the attempt first, whose stop action then ends the request context and calls {@code done}.
     */
    private void ended(RunningAttempt attempt, ManagedContext requestContext, JobResult result, Throwable failure,
            Runnable done) {
        if (attempt.end()) {
            leave(attempt, requestContext);
            report(attempt, outcome(attempt, result, failure), false);
            done.run();
        }
    }

    /**
     * Finds the job's worker, creates its instance and parses the arguments.
     *
     * @param thread the thread that runs a blocking attempt; {@code null} for a reactive one
     * @return the attempt, not registered yet; or {@code null} when the job cannot run (an unreadable row or
     *         arguments, an unknown kind, a worker bean that cannot be created), which this call failed
     */
    private RunningAttempt prepare(ClaimedJob claimed, Thread thread, boolean mayBlock) {
        ClaimedJob job = decrypted(claimed, mayBlock);
        if (job == null) {
            return null;
        }
        try {
            WorkerDefinition definition = runnable(job, mayBlock);
            if (definition == null) {
                return null;
            }
            JobWorker worker = catalog.instance(definition);
            Object args = args(job, definition, worker, mayBlock);
            return args == null ? null : new RunningAttempt(job, definition, worker, args, node, thread, progress);
        } catch (RuntimeException e) {
            notStarted(job, e, mayBlock);
            return null;
        }
    }

    /**
     * @return the job with its args and meta decrypted when they are stored encrypted, or {@code null} when they
     *         cannot be (a key this node lacks, a value that fails authentication), which this call failed naming the
     *         key
     */
    private ClaimedJob decrypted(ClaimedJob job, boolean mayBlock) {
        boolean args = KeyRing.isEnvelope(job.argsJson());
        if (job.problem() != null || !args && !KeyRing.holdsEnvelope(job.metaJson())) {
            return job;
        }
        try {
            KeyRing keys = catalog.keys();
            return new ClaimedJob(job.id(), job.kind(), job.queue(), job.priority(),
                    args ? keys.decrypt(job.kind(), job.argsJson()) : job.argsJson(),
                    keys.decryptMeta(job.kind(), job.metaJson()), job.tags(), job.attempt(), job.maxAttempts(),
                    job.partitionKey(), job.insertedAt(), job.scheduledAt(), job.attemptedAt());
        } catch (EncryptionException e) {
            finish(job, Outcomes.failure(job, "encryption", "job " + job.id() + " cannot be decrypted: "
                    + e.getMessage(), null, clock.instant()), null, mayBlock, -1);
            return null;
        }
    }

    /**
     * @return the job's worker definition, or {@code null} when the job cannot run here (an unreadable row, an unknown
     *         kind), which this call failed
     */
    private WorkerDefinition runnable(ClaimedJob job, boolean mayBlock) {
        if (job.problem() != null) {
            finish(job, Outcomes.failure(job, "invalid-row", "job " + job.id() + " cannot run: " + job.problem(), null,
                    clock.instant()), null, mayBlock, -1);
            return null;
        }
        WorkerDefinition definition = catalog.byKind(job.kind()).orElse(null);
        if (definition == null) {
            finish(job, Outcomes.failure(job, "no-worker", "no worker for kind '" + job.kind() + "' on node " + node
                    + " (known kinds: " + String.join(", ", catalog.kinds()) + ")", null, clock.instant()), null,
                    mayBlock, -1);
        }
        return definition;
    }

    /**
     * @return the job's args as its worker takes them (a map, or its args type read strictly), or {@code null} when they
     *         do not read, which this call failed as {@code invalid-args}
     */
    private Object args(ClaimedJob job, WorkerDefinition definition, JobWorker worker, boolean mayBlock) {
        try {
            return definition.typed()
                    ? catalog.typedArgs().read(job.argsJson(), catalog.argsClass(definition), definition.kind())
                    : JsonCodec.readObject(job.argsJson());
        } catch (IllegalArgumentException e) {
            finish(job, Outcomes.failure(job, "invalid-args", "args of job " + job.id() + " cannot be read: "
                    + e.getMessage(), worker, clock.instant()), worker, mayBlock, -1);
            return null;
        }
    }

    /** @return a duplicated Vert.x context for the attempt, or {@code null} when there is none (the job failed) */
    private Context duplicatedContext(ClaimedJob job) {
        try {
            return VertxContext.getOrCreateDuplicatedContext(vertx);
        } catch (RuntimeException e) {
            notStarted(job, e, false);
            return null;
        }
    }

    /**
     * Makes the attempt one that runs here: cancellations find it, and the watchdog times it out.
     *
     * @return whether it is; if not, this call failed it
     */
    private boolean register(RunningAttempt attempt, boolean mayBlock) {
        running.put(attempt.job().id(), attempt);
        try {
            watchdog.watch();
            return true;
        } catch (RuntimeException e) {
            abandon(attempt, e, mayBlock);
            return false;
        }
    }

    /**
     * Activates a request context, on the thread or Vert.x context that calls the worker, to hold the attempt's
     * {@link CurrentJob} and the request-scoped beans its worker uses.
     *
     * @return the active request context, or {@code null} when it could not be activated (this call failed the attempt)
     */
    private ManagedContext activate(RunningAttempt attempt, boolean mayBlock) {
        try {
            ManagedContext requestContext = Arc.container().requestContext();
            requestContext.activate();
            return requestContext;
        } catch (RuntimeException e) {
            abandon(attempt, e, mayBlock);
            return null;
        }
    }

    /**
     * Fills in the attempt's {@link CurrentJob} and the logging MDC, and tells the listener it started. What throws here
     * counts as the worker's failure: the request context is active and the attempt ends like any other.
     *
     * @return the current job, for the middleware chain
     */
    private CurrentJob enter(RunningAttempt attempt) {
        ClaimedJob job = attempt.job();
        MDC.put(MDC_ID, Long.toString(job.id()));
        MDC.put(MDC_KIND, job.kind());
        MDC.put(MDC_QUEUE, job.queue());
        MDC.put(MDC_ATTEMPT, Integer.toString(job.attempt()));
        if (tracing != Tracing.NONE) {
            attempt.trace = tracing.attempt(job, node);
        }
        CurrentJob current = currentJob();
        current.set(attempt, this::dependencyResults, catalog.typedArgs());
        if (listener.wantsStarts()) {
            listener.started(attempt.job(), node);
        }
        return current;
    }

    /**
     * @param result what the worker (or a middleware answering for it) returned; {@code null} counts as ok
     * @param failure what it threw or failed with, or {@code null}
     * @return the row change the attempt comes to
     */
    private Completion outcome(RunningAttempt attempt, JobResult result, Throwable failure) {
        completer.returned(attempt.job(), result, failure);
        Completion c = failure != null ? Outcomes.ofException(attempt.job(), failure, attempt.worker(), clock.instant())
                : Outcomes.of(attempt.job(), result == null ? JobResult.ok() : result, attempt.worker(),
                        clock.instant(), catalog.typedArgs());
        if (c.resultJson() != null && attempt.definition().encryptResult()) {
            c = sealedResult(attempt.job(), c);
        }
        Tracing.Attempt trace = attempt.trace;
        if (trace != null) {
            if (failure != null) {
                trace.threw(failure);
            }
            trace.ended(c);
        }
        return c;
    }

    /**
     * @return the completion with its result encrypted, or the attempt failed naming the key when it cannot be
     *         (never a plaintext result stored for a worker that asked for it encrypted)
     */
    private Completion sealedResult(ClaimedJob job, Completion c) {
        try {
            return new Completion(c.id(), c.attempt(), c.state(), c.scheduledAt(), c.finishedAt(), c.refundAttempt(),
                    catalog.keys().encrypt(KeyRing.Field.RESULT, job.kind(), c.resultJson()), c.errorJson(),
                    c.progress());
        } catch (EncryptionException e) {
            return Outcomes.failure(job, "encryption", "the result of job " + job.id() + " cannot be encrypted: "
                    + e.getMessage(), null, clock.instant());
        }
    }

    /** @return the results of the job's dependencies, those stored encrypted decrypted (on this node only) */
    private List<Dependencies.Result> dependencyResults(long id) throws SQLException {
        List<Dependencies.Result> results = dependencies.results(id);
        List<Dependencies.Result> shown = null;
        for (int i = 0; i < results.size(); i++) {
            Dependencies.Result r = results.get(i);
            if (KeyRing.isEnvelope(r.json())) {
                if (shown == null) {
                    shown = new ArrayList<>(results);
                }
                try {
                    shown.set(i, new Dependencies.Result(r.id(), r.step(),
                            catalog.keys().open(KeyRing.Field.RESULT, r.kind(), KeyRing.fieldsOf(r.json())), r.kind()));
                } catch (EncryptionException e) {
                    throw new IllegalStateException("the result of dependency " + r.id() + " cannot be decrypted: "
                            + e.getMessage(), e);
                }
            }
        }
        return shown == null ? results : shown;
    }

    /** Ends the attempt's request context, takes its keys out of the MDC and the attempt off those that run here. */
    private void leave(RunningAttempt attempt, ManagedContext requestContext) {
        MDC.remove(MDC_ID);
        MDC.remove(MDC_KIND);
        MDC.remove(MDC_QUEUE);
        MDC.remove(MDC_ATTEMPT);
        Tracing.Attempt trace = attempt.trace;
        if (trace != null) {
            trace.leave();
        }
        requestContext.terminate();
        running.remove(attempt.job().id());
    }

    /** Hands the outcome of an attempt that reached its worker to the completer, with its unwritten progress. */
    private void report(RunningAttempt attempt, Completion completion, boolean mayBlock) {
        finish(attempt.job(), attempt.definition(), completion.withProgress(attempt.unwrittenProgress()),
                attempt.worker(), mayBlock,
                attempt.ranNanos());
    }

    /**
     * Fails a claimed job whose attempt could not start (its worker bean could not be created, a thread pool refused
     * it): through the guarded outcome path, so it is retried after backoff instead of staying executing.
     */
    void notStarted(ClaimedJob job, Throwable failure, boolean mayBlock) {
        LOG.warnf(failure, "shigoto could not start attempt %d of job %d (%s)", job.attempt(), job.id(), job.kind());
        finish(job, Outcomes.notStarted(job, node, failure, clock.instant()), null, mayBlock, -1);
    }

    /**
     * Fails a registered attempt that could not reach its worker, unless a cancellation or its timeout ended it first.
     */
    private void abandon(RunningAttempt attempt, RuntimeException failure, boolean mayBlock) {
        running.remove(attempt.job().id());
        if (attempt.end()) {
            notStarted(attempt.job(), failure, mayBlock);
        }
    }

    /** An attempt ran past its deadline: a blocking one's timeout is stored here, on the watchdog's thread. */
    private void timeOut(RunningAttempt attempt) {
        // a reactive attempt's stop action stores the timeout on its own context
        if (attempt.timeOut() && !attempt.isReactive()) {
            report(attempt, timeout(attempt), false);
        }
    }

    private Completion timeout(RunningAttempt attempt) {
        Completion c = Outcomes.failure(attempt.job(), "timeout", "attempt timed out after " + attempt.timeout(),
                attempt.worker(), clock.instant());
        Tracing.Attempt trace = attempt.trace;
        if (trace != null) {
            trace.ended(c);
        }
        return c;
    }

    /** The request-scoped bean's client proxy: looked up once, it reaches the current request's instance. */
    private CurrentJob currentJob() {
        CurrentJob proxy = currentJob;
        if (proxy == null) {
            proxy = currentJob = Arc.container().instance(CurrentJob.class).get();
        }
        return proxy;
    }

    /**
     * Records the attempt of a job that a lost node was running as failed with a {@code node-lost} error: retried
     * after its worker's backoff, or discarded (calling {@code onDiscard}) when its attempts are used up. The
     * completer's guard leaves it alone if the attempt's outcome was stored meanwhile.
     */
    public void rescue(ClaimedJob job, String message, Instant now) {
        WorkerDefinition definition = catalog.byKind(job.kind()).orElse(null);
        JobWorker worker = null;
        try {
            worker = definition == null ? null : catalog.instance(definition);
        } catch (RuntimeException e) {
            // a worker that cannot be built must not stop the rescue: the default backoff applies, no onDiscard
            LOG.warnf(e, "shigoto rescues job %d without its worker, which cannot be created", job.id());
        }
        finish(job, Outcomes.failure(job, "node-lost", message, worker, now), worker, true, -1);
    }

    /** @param runNanos how long the attempt ran, or {@code -1} when it failed before reaching its worker */
    private void finish(ClaimedJob job, Completion completion, JobWorker worker, boolean mayBlock, long runNanos) {
        finish(job, catalog.byKind(job.kind()).orElse(null), completion, worker, mayBlock, runNanos);
    }

    /** @param definition the job's worker, or {@code null} when it has none here */
    private void finish(ClaimedJob job, WorkerDefinition definition, Completion completion, JobWorker worker,
            boolean mayBlock, long runNanos) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf("job %d (%s) attempt %d -> %s", job.id(), job.kind(), job.attempt(), completion.state());
        }
        completer.complete(job, completion, worker, mayBlock,
                definition != null && catalog.limited(definition) ? job.queue() : null, runNanos);
    }
}
