package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.quarkiverse.shigoto.CircuitBreakerView;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.store.KindLimit;
import io.quarkiverse.shigoto.runtime.store.WaitReads;

/**
 * "Why is this job not running?": the concrete reasons a waiting job (pending, scheduled, retryable or available)
 * has not started, computed from the data the claim and the stager decide by. {@link #gather} reads the facts,
 * {@link #decide} turns them into reasons, every one that applies, most decisive first.
 */
final class WhyWaiting {

    /**
     * One reason.
     *
     * @param code what kind of reason: {@code paused}, {@code no-node}, {@code scheduled}, {@code retry-due},
     *        {@code dependencies}, {@code held}, {@code deciding}, {@code concurrency-limit}, {@code rate-limit},
     *        {@code circuit-breaker}, {@code slots-full}, {@code fair}, {@code unique} or {@code claimable}
     * @param text the reason, for people
     * @param items the jobs it is about, each with a note, or none
     */
    record Reason(String code, String text, List<Item> items) {
    }

    /** A job a reason is about. */
    record Item(long jobId, String note) {
    }

    /**
     * What the reasons are decided from.
     *
     * @param job the waiting job
     * @param now the time
     * @param queue its queue as the cluster sees it (paused, live nodes and their concurrency), or {@code null} when
     *        the cluster knows nothing of it
     * @param executingByNode the queue's executing attempts by node
     * @param ahead available jobs of the queue a claim takes first (up to {@link WaitReads#CAP})
     * @param parents the jobs it waits for
     * @param limit its kind's limits, or {@code null}
     * @param kindExecuting its kind's executing attempts (when limited)
     * @param kindStarted its kind's attempts started in the rate window (when rate-limited)
     * @param fair whether its queue is fair here
     * @param otherPartitions other partition keys of the queue with available jobs (when fair)
     * @param holder another job holding its unique key, or {@code null}
     * @param breaker its kind's circuit breaker, or {@code null} when it has none
     */
    record Facts(JobView job, Instant now, QueueView queue, Map<String, Long> executingByNode, long ahead,
            List<WaitReads.Parent> parents, KindLimit limit, long kindExecuting, long kindStarted, boolean fair,
            long otherPartitions, WaitReads.Holder holder, CircuitBreakerView breaker) {
    }

    private WhyWaiting() {
    }

    /** @return whether the job is waiting, so that a reason can be given */
    static boolean waiting(JobState state) {
        return state == JobState.PENDING || state == JobState.SCHEDULED || state == JobState.RETRYABLE
                || state == JobState.AVAILABLE;
    }

    /** Reads what {@link #decide} needs. */
    static Facts gather(DashboardData data, Shigoto shigoto, JobView job) throws SQLException {
        KindLimit limit = data.limit(job.kind());
        boolean fair = data.fair(job.queue());
        WaitReads reads = data.store().waits();
        Instant now = data.clock().instant();
        QueueView queue = null;
        for (QueueView q : shigoto.queues()) {
            if (q.name().equals(job.queue())) {
                queue = q;
            }
        }
        String limitKey = limit == null ? null : limit.kind();
        boolean available = job.state() == JobState.AVAILABLE;
        CircuitBreakerView breaker = null;
        if (available && limit != null) {
            breaker = shigoto.circuitBreakers().stream().filter(b -> b.kind().equals(job.kind())).findFirst()
                    .orElse(null);
        }
        return new Facts(job, now, queue, reads.executingByNode(job.queue()),
                available ? reads.ahead(job, limitKey) : 0,
                job.state() == JobState.PENDING ? reads.parents(job.id()) : List.of(), limit,
                limit != null && limit.concurrency() > 0 ? reads.kindExecuting(limitKey) : 0,
                limit != null && limit.rateLimit() > 0
                        ? reads.kindStarted(limitKey, now.minusMillis(limit.perMillis()))
                        : 0,
                fair, fair && available ? reads.otherPartitions(job.queue(), job.partitionKey()) : 0,
                reads.uniqueHolder(job.id()), breaker);
    }

    /** @return every reason that applies, most decisive first; empty for a job that is not waiting */
    static List<Reason> decide(Facts f) {
        List<Reason> reasons = new ArrayList<>();
        JobView job = f.job();
        if (!waiting(job.state())) {
            return reasons;
        }
        String queue = "'" + job.queue() + "'";
        if (f.queue() != null && f.queue().paused()) {
            reasons.add(new Reason("paused", "Queue " + queue + " is paused: no node claims its jobs until it is"
                    + " resumed.", List.of()));
        }
        Map<String, Integer> nodes = f.queue() == null ? Map.of() : f.queue().nodes();
        int slots = nodes.values().stream().mapToInt(Integer::intValue).sum();
        if (nodes.isEmpty() || slots == 0) {
            reasons.add(new Reason("no-node", nodes.isEmpty() ? "No live node runs queue " + queue
                    + ": configure quarkus.shigoto.queues." + job.queue() + ".concurrency on a node that runs."
                    : "Queue " + queue + " has a concurrency of 0 on every live node ("
                            + String.join(", ", new TreeMap<>(nodes).keySet()) + ").",
                    List.of()));
        }
        switch (job.state()) {
            case PENDING -> dependencies(f, reasons);
            case SCHEDULED, RETRYABLE -> due(f, reasons);
            default -> available(f, reasons, nodes, slots);
        }
        if (f.holder() != null) {
            reasons.add(new Reason("unique", "Another job holds the same unique key.",
                    List.of(new Item(f.holder().id(), f.holder().state().dbName()))));
        }
        return reasons;
    }

    private static void dependencies(Facts f, List<Reason> reasons) {
        List<Item> waitingFor = new ArrayList<>();
        List<Item> held = new ArrayList<>();
        for (WaitReads.Parent p : f.parents()) {
            if (p.state() == JobState.COMPLETED) {
                continue;
            }
            boolean failed = p.state() == JobState.DISCARDED || p.state() == JobState.CANCELLED;
            if (p.state() == null) {
                waitingFor.add(new Item(p.id(), p.runOnFailure() ? "no longer exists (this job runs anyway)"
                        : "no longer exists: this job is about to be cancelled"));
            } else if (failed && p.runOnFailure()) {
                continue;
            } else if (failed && p.holdOnFailure()) {
                held.add(new Item(p.id(), p.state().dbName()));
            } else if (failed) {
                waitingFor.add(new Item(p.id(), p.state().dbName() + ": this job is about to be cancelled"));
            } else {
                waitingFor.add(new Item(p.id(), p.state().dbName()));
            }
        }
        if (!held.isEmpty()) {
            reasons.add(new Reason("held", "Held: " + (held.size() == 1 ? "a dependency"
                    : held.size()
                            + " dependencies")
                    + " failed, and this job waits for them to be retried and complete (retry"
                    + " them, or cancel this job).", held));
        }
        if (!waitingFor.isEmpty()) {
            reasons.add(new Reason("dependencies", "Waits for " + waitingFor.size() + " of its " + f.parents().size()
                    + " dependencies to complete.", waitingFor));
        }
        if (held.isEmpty() && waitingFor.isEmpty()) {
            reasons.add(new Reason("deciding", "Its dependencies are done: the decision right after the last one"
                    + " finished (or the leader's sweep of pending jobs) makes it available.", List.of()));
        }
    }

    private static void due(Facts f, List<Reason> reasons) {
        JobView job = f.job();
        boolean retry = job.state() == JobState.RETRYABLE;
        String code = retry ? "retry-due" : "scheduled";
        String what = retry ? "Attempt " + job.attempt() + " failed; the next attempt is due " : "Due ";
        if (job.scheduledAt().isAfter(f.now())) {
            reasons.add(new Reason(code, what + "at " + job.scheduledAt() + " (" + JobRow.relative(job.scheduledAt(),
                    f.now()) + ").", List.of()));
        } else {
            reasons.add(new Reason(code, what + "since " + job.scheduledAt() + " (" + JobRow.relative(
                    job.scheduledAt(), f.now()) + "): the leader's stager makes it available at its next stage.",
                    List.of()));
        }
    }

    private static void available(Facts f, List<Reason> reasons, Map<String, Integer> nodes, int slots) {
        boolean blocked = !reasons.isEmpty();
        KindLimit limit = f.limit();
        String kind = "'" + f.job().kind() + "'";
        if (limit != null && limit.concurrency() > 0 && f.kindExecuting() >= limit.concurrency()) {
            reasons.add(new Reason("concurrency-limit", "The concurrency limit of kind " + kind + " is full: "
                    + f.kindExecuting() + " of " + limit.concurrency() + " execute across the cluster.", List.of()));
            blocked = true;
        }
        if (limit != null && limit.rateLimit() > 0 && f.kindStarted() >= limit.rateLimit()) {
            reasons.add(new Reason("rate-limit", "The rate limit of kind " + kind + " is reached: " + f.kindStarted()
                    + " attempts started in the last " + Duration.ofMillis(limit.perMillis()).toString().substring(2)
                            .toLowerCase(Locale.ROOT)
                    + ", the limit is " + limit.rateLimit() + ".", List.of()));
            blocked = true;
        }
        CircuitBreakerView breaker = f.breaker();
        if (breaker != null && breaker.state() == CircuitBreakerView.State.OPEN) {
            reasons.add(new Reason("circuit-breaker", "The circuit breaker of kind " + kind + " is open: its jobs are"
                    + " not claimed until " + breaker.reopensAt() + " (" + JobRow.relative(breaker.reopensAt(), f.now())
                    + "), then " + breaker.successThreshold() + " trial(s) run. It can be reset on the queues page.",
                    List.of()));
            blocked = true;
        } else if (breaker != null && breaker.state() == CircuitBreakerView.State.HALF_OPEN) {
            reasons.add(new Reason("circuit-breaker", "The circuit breaker of kind " + kind + " is half-open: at"
                    + " most " + breaker.successThreshold() + " trial(s) run at once, and " + breaker.successes()
                    + " of the " + breaker.successThreshold() + " needed to close it succeeded.", List.of()));
        }
        long executing = 0;
        for (String node : nodes.keySet()) {
            executing += f.executingByNode().getOrDefault(node, 0L);
        }
        String ahead = f.ahead() >= WaitReads.CAP ? WaitReads.CAP + " or more" : String.valueOf(f.ahead());
        if (slots > 0 && executing >= slots) {
            reasons.add(new Reason("slots-full", "All " + slots + " slots of queue '" + f.job().queue() + "' on "
                    + nodes.size() + " live node(s) are busy; " + ahead + " available job(s) are ahead of it.",
                    List.of()));
            blocked = true;
        }
        if (f.fair() && f.otherPartitions() > 0) {
            String others = f.otherPartitions() >= WaitReads.CAP ? WaitReads.CAP + " or more"
                    : String.valueOf(f.otherPartitions());
            reasons.add(new Reason("fair", "Fair queue: claims take turns over the partitions with available jobs,"
                    + " and " + others + " other partition(s) have some.", List.of()));
        }
        if (!blocked) {
            List<String> free = new ArrayList<>();
            for (Map.Entry<String, Integer> n : new TreeMap<>(nodes).entrySet()) {
                long room = n.getValue() - f.executingByNode().getOrDefault(n.getKey(), 0L);
                if (room > 0) {
                    free.add(n.getKey() + " (" + room + " free)");
                }
            }
            reasons.add(new Reason("claimable", "Nothing holds it back: it should be claimed now"
                    + (f.ahead() > 0 ? ", after the " + ahead + " available job(s) ahead of it" : "")
                    + ". Node(s) with free slots for queue '" + f.job().queue() + "': " + String.join(", ", free) + ".",
                    List.of()));
        }
    }
}
