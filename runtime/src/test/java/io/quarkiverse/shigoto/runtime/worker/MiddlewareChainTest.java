package io.quarkiverse.shigoto.runtime.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.ReactiveJobMiddleware;
import io.quarkiverse.shigoto.ReactiveWorker;
import io.quarkiverse.shigoto.Worker;
import io.smallrye.mutiny.Uni;

class MiddlewareChainTest {

    private final List<String> steps = new ArrayList<>();

    private final Worker worker = args -> {
        steps.add("perform");
        return JobResult.ok("performed");
    };

    private final ReactiveWorker reactiveWorker = args -> Uni.createFrom().item(() -> {
        steps.add("perform");
        return JobResult.ok("performed");
    });

    private JobMiddleware tracing(String name) {
        return (job, next) -> {
            steps.add("> " + name);
            JobResult result = next.proceed();
            steps.add("< " + name);
            return result;
        };
    }

    private ReactiveJobMiddleware reactiveTracing(String name) {
        return (job, next) -> {
            steps.add("> " + name);
            return next.proceed().invoke(() -> steps.add("< " + name));
        };
    }

    private static MiddlewareChain chain(Object... middleware) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < middleware.length; i++) {
            names.add("org.acme.M" + i);
        }
        return new MiddlewareChain(List.of(middleware), names);
    }

    @Test
    void middlewareRunOutermostFirstAroundPerform() throws Exception {
        JobResult result = chain(tracing("a"), tracing("b")).perform(null, worker, Map.of());
        assertThat(result.value()).isEqualTo("performed");
        assertThat(steps).containsExactly("> a", "> b", "perform", "< b", "< a");
    }

    @Test
    void aMiddlewareThatAnswersWithoutProceedingShortCircuitsTheRest() throws Exception {
        JobMiddleware maintenance = (job, next) -> JobResult.snooze(Duration.ofMinutes(5));
        JobResult result = chain(tracing("a"), maintenance, tracing("c")).perform(null, worker, Map.of());
        assertThat(result.outcome()).isEqualTo(JobResult.Outcome.SNOOZE);
        assertThat(steps).containsExactly("> a", "< a");
    }

    @Test
    void aNullFromBelowReadsAsOkToTheMiddlewareAbove() throws Exception {
        Worker nullWorker = args -> null;
        JobMiddleware nullMiddleware = (job, next) -> {
            next.proceed();
            return null;
        };
        List<JobResult> seen = new ArrayList<>();
        JobMiddleware outer = (job, next) -> {
            JobResult r = next.proceed();
            seen.add(r);
            return r;
        };
        chain(outer, nullMiddleware).perform(null, nullWorker, Map.of());
        assertThat(seen).containsExactly(JobResult.ok());
    }

    @Test
    void anExceptionOfAMiddlewareReachesTheCaller() {
        JobMiddleware failing = (job, next) -> {
            throw new IllegalArgumentException("no tenant");
        };
        assertThatThrownBy(() -> chain(tracing("a"), failing).perform(null, worker, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no tenant");
        assertThat(steps).containsExactly("> a");
    }

    @Test
    void proceedingTwiceFailsNamingTheMiddlewareAndPerformRunsOnce() {
        JobMiddleware twice = (job, next) -> {
            next.proceed();
            return next.proceed();
        };
        assertThatThrownBy(() -> chain(tracing("a"), twice).perform(null, worker, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("middleware org.acme.M1 called next.proceed() more than once in one attempt; the worker"
                        + " runs at most once per attempt");
        assertThat(steps).containsExactly("> a", "perform");
    }

    @Test
    void reactiveMiddlewareRunOutermostFirstAroundPerform() {
        JobResult result = chain(reactiveTracing("a"), reactiveTracing("b"))
                .performReactive(null, reactiveWorker, Map.of()).await().indefinitely();
        assertThat(result.value()).isEqualTo("performed");
        assertThat(steps).containsExactly("> a", "> b", "perform", "< b", "< a");
    }

    @Test
    void aReactiveMiddlewareCanShortCircuit() {
        ReactiveJobMiddleware maintenance = (job, next) -> Uni.createFrom().item(JobResult.snooze(60));
        JobResult result = chain(reactiveTracing("a"), maintenance).performReactive(null, reactiveWorker, Map.of())
                .await().indefinitely();
        assertThat(result.outcome()).isEqualTo(JobResult.Outcome.SNOOZE);
        assertThat(steps).containsExactly("> a", "< a");
    }

    @Test
    void nothingRunsUntilTheReactiveNextIsSubscribed() {
        ReactiveJobMiddleware dropping = (job, next) -> {
            next.proceed();
            return Uni.createFrom().item(JobResult.ok());
        };
        chain(dropping).performReactive(null, reactiveWorker, Map.of()).await().indefinitely();
        assertThat(steps).isEmpty();
    }

    @Test
    void resubscribingTheReactiveNextFailsInsteadOfRunningPerformAgain() {
        ReactiveJobMiddleware retrying = (job, next) -> next.proceed()
                .chain(r -> Uni.createFrom().failure(new RuntimeException("boom")))
                .onFailure().retry().atMost(1).replaceWith(JobResult.ok());
        assertThatThrownBy(() -> chain(retrying).performReactive(null, reactiveWorker, Map.of()).await().indefinitely())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("middleware org.acme.M0 subscribed to next.proceed() more than once");
        assertThat(steps).containsExactly("perform");
    }

    @Test
    void aNullUniFromBelowReadsAsOk() {
        ReactiveWorker nullWorker = args -> null;
        JobResult result = chain(reactiveTracing("a")).performReactive(null, nullWorker, Map.of()).await()
                .indefinitely();
        assertThat(result).isEqualTo(JobResult.ok());
    }
}
