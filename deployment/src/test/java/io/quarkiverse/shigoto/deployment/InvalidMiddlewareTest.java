package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.ReactiveJobMiddleware;
import io.quarkiverse.shigoto.ReactiveWorker;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;

/**
 * Every mistake in {@code @Job(middleware = ...)} is reported in the one build failure, naming the worker.
 */
class InvalidMiddlewareTest {

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Noop.class, ReactiveNoop.class, Passing.class,
                    ReactivePassing.class, NotAMiddleware.class, Audit.class, Trace.class, Global.class,
                    AbstractMiddleware.class, ListsNeither.class, ReactiveListsBlocking.class,
                    BlockingListsReactive.class, ListsTwice.class, ListsGlobal.class, ListsAbstract.class,
                    Valid.class, ReactiveValid.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .assertException(t -> assertThat(WorkerProblems.of(t)).containsExactly(
                    problem(BlockingListsReactive.class, Trace.class, "is a ReactiveJobMiddleware and cannot wrap a"
                            + " blocking Worker: implement JobMiddleware"),
                    problem(ListsAbstract.class, AbstractMiddleware.class,
                            "must be a concrete class, not an interface or an abstract class"),
                    problem(ListsGlobal.class, Global.class, "is a CDI bean and so already a global middleware of"
                            + " every worker: remove it from @Job(middleware), or remove its scope annotation to make"
                            + " it per-worker"),
                    problem(ListsNeither.class, NotAMiddleware.class,
                            "must implement io.quarkiverse.shigoto.JobMiddleware or ReactiveJobMiddleware"),
                    problem(ListsTwice.class, Audit.class, "is listed more than once"),
                    problem(ReactiveListsBlocking.class, Audit.class, "is a blocking JobMiddleware and cannot wrap a"
                            + " ReactiveWorker: implement ReactiveJobMiddleware")));

    @Test
    void everyMiddlewareProblemIsReportedWithItsWorker() {
        fail("the build must fail");
    }

    private static String problem(Class<?> worker, Class<?> middleware, String problem) {
        return worker.getName() + ": middleware " + middleware.getName() + " " + problem;
    }

    public abstract static class Noop implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }

    public abstract static class ReactiveNoop implements ReactiveWorker {
        @Override
        public Uni<JobResult> perform(Map<String, Object> args) {
            return Uni.createFrom().item(JobResult.ok());
        }
    }

    public abstract static class Passing implements JobMiddleware {
        @Override
        public JobResult around(JobContext job, Next next) throws Exception {
            return next.proceed();
        }
    }

    public abstract static class ReactivePassing implements ReactiveJobMiddleware {
        @Override
        public Uni<JobResult> around(JobContext job, ReactiveNext next) {
            return next.proceed();
        }
    }

    public static class NotAMiddleware {
    }

    public static class Audit extends Passing {
    }

    public static class Trace extends ReactivePassing {
    }

    @ApplicationScoped
    public static class Global extends Passing {
    }

    public abstract static class AbstractMiddleware extends Passing {
    }

    @Job(middleware = NotAMiddleware.class)
    public static class ListsNeither extends Noop {
    }

    @Job(middleware = Audit.class)
    public static class ReactiveListsBlocking extends ReactiveNoop {
    }

    @Job(middleware = Trace.class)
    public static class BlockingListsReactive extends Noop {
    }

    @Job(middleware = { Audit.class, Audit.class, Audit.class })
    public static class ListsTwice extends Noop {
    }

    @Job(middleware = Global.class)
    public static class ListsGlobal extends Noop {
    }

    @Job(middleware = AbstractMiddleware.class)
    public static class ListsAbstract extends Noop {
    }

    @Job(middleware = Audit.class)
    public static class Valid extends Noop {
    }

    @Job(middleware = Trace.class)
    public static class ReactiveValid extends ReactiveNoop {
    }
}
