package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Singleton;

import org.jboss.jandex.Index;
import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.ReactiveJobMiddleware;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.arc.processor.BuiltinScope;
import io.smallrye.mutiny.Uni;

/**
 * The order of middleware, decided at build time from the index alone.
 */
class MiddlewareScannerTest {

    private final MiddlewareScanner scanner;

    MiddlewareScannerTest() throws IOException {
        Index index = Index.of(Blocking.class, Reactive.class, Zeta10.class, Alpha10.class, First.class,
                Unprioritised.class, AlsoUnprioritised.class, AbstractScoped.class, Both.class, ReactiveGlobal.class,
                Audit.class, Tenant.class, Unused.class, AuditedWorker.class, Job.class);
        scanner = new MiddlewareScanner(index, BuiltinScope::isDeclaredOn);
    }

    @Test
    void globalMiddlewareRunByPriorityThenThoseWithoutThenByClassName() {
        assertThat(scanner.globals(false)).containsExactly(name(First.class), name(Alpha10.class),
                name(Zeta10.class), name(AlsoUnprioritised.class), name(Both.class), name(Unprioritised.class));
    }

    @Test
    void reactiveWorkersGetOnlyReactiveGlobals() {
        assertThat(scanner.globals(true)).containsExactly(name(ReactiveGlobal.class), name(Both.class));
    }

    @Test
    void aWorkersChainIsTheGlobalsThenItsOwnInTheListedOrder() throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> chain = scanner.chain(Index.of(AuditedWorker.class).getClassByName(AuditedWorker.class)
                .declaredAnnotation(Job.class), false, problems::add);
        assertThat(problems).isEmpty();
        List<String> expected = new ArrayList<>(scanner.globals(false));
        expected.add(name(Tenant.class));
        expected.add(name(Audit.class));
        assertThat(chain).isEqualTo(expected);
        assertThat(scanner.listed()).containsExactly(name(Audit.class), name(Tenant.class));
    }

    @Test
    void aMiddlewareThatIsNeitherABeanNorListedIsReportedUnused() throws IOException {
        scanner.chain(Index.of(AuditedWorker.class).getClassByName(AuditedWorker.class).declaredAnnotation(Job.class),
                false, p -> {
                });
        assertThat(scanner.unused()).containsExactly(name(Unused.class));
    }

    private static String name(Class<?> c) {
        return c.getName();
    }

    abstract static class Blocking implements JobMiddleware {
        @Override
        public JobResult around(JobContext job, Next next) throws Exception {
            return next.proceed();
        }
    }

    abstract static class Reactive implements ReactiveJobMiddleware {
        @Override
        public Uni<JobResult> around(JobContext job, ReactiveNext next) {
            return next.proceed();
        }
    }

    @Singleton
    @Priority(10)
    static class Zeta10 extends Blocking {
    }

    @ApplicationScoped
    @Priority(10)
    static class Alpha10 extends Blocking {
    }

    @Dependent
    @Priority(-5)
    static class First extends Blocking {
    }

    @Singleton
    static class Unprioritised extends Blocking {
    }

    @Singleton
    static class AlsoUnprioritised extends Blocking {
    }

    @Singleton
    abstract static class AbstractScoped extends Blocking {
    }

    @Singleton
    static class Both extends Blocking implements ReactiveJobMiddleware {
        @Override
        public Uni<JobResult> around(JobContext job, ReactiveNext next) {
            return next.proceed();
        }
    }

    @Singleton
    @Priority(1000)
    static class ReactiveGlobal extends Reactive {
    }

    static class Audit extends Blocking {
    }

    static class Tenant extends Blocking {
    }

    static class Unused extends Blocking {
    }

    @Job(middleware = { Tenant.class, Audit.class })
    static class AuditedWorker implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
