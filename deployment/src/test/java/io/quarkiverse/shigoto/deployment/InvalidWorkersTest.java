package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.CircuitBreaker;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.RateLimit;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * One build with many invalid workers fails once, naming every problem with its class.
 */
class InvalidWorkersTest {

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Noop.class, FirstShared.class, SecondShared.class,
                    NotAWorker.class, AbstractWorker.class, MalformedTimeout.class, ZeroTimeout.class, NoAttempts.class,
                    TooUrgent.class, BlankTag.class, KindWithSpace.class, NegativeConcurrency.class, ZeroRateLimit.class,
                    MalformedRateWindow.class, ZeroRateWindow.class, RateLimitWithoutJob.class, Valid.class,
                    BadUniquePeriod.class, StrayUnique.class, ArgsKeysWithoutArgs.class, ZeroDebounce.class,
                    CompletedWithoutExecuting.class, BadBreaker.class, StrayBreaker.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .assertException(t -> assertThat(WorkerProblems.of(t)).containsExactlyInAnyOrder(
                    "job kind 'shared' is claimed by 2 classes: " + FirstShared.class.getName() + ", "
                            + SecondShared.class.getName()
                            + "; kinds must be unique (give all but one of them another @Job(kind = ...))",
                    problem(NotAWorker.class, "a @Job class must implement io.quarkiverse.shigoto.Worker or ReactiveWorker"
                            + " (args as a map), or TypedWorker or TypedReactiveWorker (args of a type of its own)"),
                    problem(AbstractWorker.class, "a @Job class must not be abstract"),
                    problem(MalformedTimeout.class, "invalid timeout: '5 minutes' is not a duration: use a number with"
                            + " a unit (250ms, 30s, 5m, 2h, 1d) or ISO-8601 such as PT5M"),
                    problem(ZeroTimeout.class, "timeout must be positive, was '0s'"),
                    problem(NoAttempts.class, "maxAttempts must be at least 1, was 0"),
                    problem(TooUrgent.class, "priority must be between -100 and 100, was 500"),
                    problem(BlankTag.class, "tags must not be blank"),
                    problem(KindWithSpace.class, "kind may only contain letters, digits and . _ : - (was 'send mail')"),
                    problem(NegativeConcurrency.class, "concurrency must be 0 (no limit) or more, was -1"),
                    problem(ZeroRateLimit.class, "@RateLimit limit must be at least 1, was 0"),
                    problem(MalformedRateWindow.class, "invalid @RateLimit per: 'a minute' is not a duration: use a"
                            + " number with a unit (250ms, 30s, 5m, 2h, 1d) or ISO-8601 such as PT5M"),
                    problem(ZeroRateWindow.class, "@RateLimit per must be positive, was '0s'"),
                    problem(RateLimitWithoutJob.class, "@RateLimit needs @Job on the same class"),
                    problem(BadUniquePeriod.class, "invalid @Unique period: 'soon' is not a duration: use a number with"
                            + " a unit (250ms, 30s, 5m, 2h, 1d) or ISO-8601 such as PT5M"),
                    problem(StrayUnique.class, "@Unique is only allowed on a @Job class"),
                    problem(ArgsKeysWithoutArgs.class, "@Unique argsKeys only apply with Unique.Key.ARGS in keys"),
                    problem(ZeroDebounce.class, "@Unique debounce must be positive, was '0s'"),
                    problem(CompletedWithoutExecuting.class, "@Unique states [AVAILABLE, COMPLETED]: COMPLETED needs"
                            + " EXECUTING too (a job gets there from executing)"),
                    problem(BadBreaker.class, "@CircuitBreaker requestVolumeThreshold must be at least 1, was 0"),
                    problem(BadBreaker.class, "@CircuitBreaker failureRatio must be above 0 and at most 1, was 1.5"),
                    problem(BadBreaker.class, "invalid @CircuitBreaker delay: 'soon' is not a duration: use a number"
                            + " with a unit (250ms, 30s, 5m, 2h, 1d) or ISO-8601 such as PT5M"),
                    problem(BadBreaker.class, "@CircuitBreaker successThreshold must be at least 1, was 0"),
                    problem(StrayBreaker.class, "@CircuitBreaker needs @Job on the same class")));

    @Test
    void everyProblemIsReportedInOneBuildFailure() {
        fail("the build must fail");
    }

    private static String problem(Class<?> worker, String problem) {
        return worker.getName() + ": " + problem;
    }

    public abstract static class Noop implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }

    @Job(kind = "shared")
    public static class FirstShared extends Noop {
    }

    @Job(kind = "shared")
    public static class SecondShared extends Noop {
    }

    @Job
    public static class NotAWorker {
    }

    @Job
    public abstract static class AbstractWorker extends Noop {
    }

    @Job(timeout = "5 minutes")
    public static class MalformedTimeout extends Noop {
    }

    @Job(timeout = "0s")
    public static class ZeroTimeout extends Noop {
    }

    @Job(maxAttempts = 0)
    public static class NoAttempts extends Noop {
    }

    @Job(priority = 500)
    public static class TooUrgent extends Noop {
    }

    @Job(tags = { "mail", " " })
    public static class BlankTag extends Noop {
    }

    @Job(kind = "send mail")
    public static class KindWithSpace extends Noop {
    }

    @Job(concurrency = -1)
    public static class NegativeConcurrency extends Noop {
    }

    @Job
    @RateLimit(limit = 0, per = "1s")
    public static class ZeroRateLimit extends Noop {
    }

    @Job
    @RateLimit(limit = 5, per = "a minute")
    public static class MalformedRateWindow extends Noop {
    }

    @Job
    @RateLimit(limit = 5, per = "0s")
    public static class ZeroRateWindow extends Noop {
    }

    @RateLimit(limit = 5, per = "1s")
    public static class RateLimitWithoutJob extends Noop {
    }

    @Job(queue = "mail", priority = 100, maxAttempts = 1, timeout = "250ms", tags = "mail", concurrency = 3)
    @RateLimit(limit = 10, per = "1m")
    @Unique(period = "5m")
    public static class Valid extends Noop {
    }

    @Job
    @Unique(period = "soon")
    public static class BadUniquePeriod extends Noop {
    }

    @Job
    @CircuitBreaker(requestVolumeThreshold = 0, failureRatio = 1.5, delay = "soon", successThreshold = 0)
    public static class BadBreaker extends Noop {
    }

    @CircuitBreaker
    public static class StrayBreaker extends Noop {
    }

    @Unique
    public static class StrayUnique extends Noop {
    }

    @Job
    @Unique(keys = Unique.Key.WORKER, argsKeys = "account")
    public static class ArgsKeysWithoutArgs extends Noop {
    }

    @Job
    @Unique(debounce = "0s")
    public static class ZeroDebounce extends Noop {
    }

    @Job
    @Unique(states = { JobState.AVAILABLE, JobState.COMPLETED })
    public static class CompletedWithoutExecuting extends Noop {
    }
}
