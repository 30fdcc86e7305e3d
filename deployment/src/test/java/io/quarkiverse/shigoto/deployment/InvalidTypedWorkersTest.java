package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.TypedReactiveWorker;
import io.quarkiverse.shigoto.TypedWorker;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;

/**
 * Workers whose args type Jackson could not read back fail the build, each problem naming its worker class; a worker
 * of a record, one of a plain class with a no-argument constructor and one binding a generic base class's type
 * parameter are fine.
 */
class InvalidTypedWorkersTest {

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Shape.class, Abstract.class, NoConstructor.class, Fine.class,
                    Plain.class, OfInterface.class, OfAbstract.class, OfNoConstructor.class, OfString.class,
                    RawTyped.class, Generic.class, OfRecord.class, OfPlain.class, Base.class, OfBase.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .assertException(t -> assertThat(WorkerProblems.of(t)).containsExactlyInAnyOrder(
                    problem(OfInterface.class, "its args type " + Shape.class.getName()
                            + " must be a record or a concrete class, not an interface"),
                    problem(OfAbstract.class, "its args type " + Abstract.class.getName()
                            + " must be a record or a concrete class, not an abstract class"),
                    problem(OfNoConstructor.class, "its args type " + NoConstructor.class.getName()
                            + " needs a no-argument constructor or a @JsonCreator one, or must be a record, for its JSON"
                            + " to be read back"),
                    problem(OfString.class, "its args type java.lang.String is not a record or a class of the"
                            + " application: the args are a JSON object, so wrap the values in a record"),
                    problem(RawTyped.class, "cannot tell the args type: implement TypedWorker<YourArgs> with a concrete"
                            + " class, or Worker/ReactiveWorker for map args"),
                    problem(Generic.class, "its args type T must be a class or a record, not a type variable")));

    private static String problem(Class<?> worker, String problem) {
        return WorkerProblems.line(worker, problem);
    }

    @Test
    void theBuildFailsListingEveryProblem() {
        // the assertion is in assertException
    }

    public interface Shape {
    }

    public abstract static class Abstract {
    }

    public static class NoConstructor {
        public NoConstructor(String value) {
        }
    }

    public record Fine(String name) {
    }

    public static class Plain {
        public String name;
    }

    @Job(kind = "of-interface")
    public static class OfInterface extends Base<Shape> {
    }

    @Job(kind = "of-abstract")
    public static class OfAbstract extends Base<Abstract> {
    }

    @Job(kind = "of-no-constructor")
    public static class OfNoConstructor implements TypedReactiveWorker<NoConstructor> {
        @Override
        public Uni<JobResult> perform(NoConstructor args) {
            return Uni.createFrom().item(JobResult.ok());
        }
    }

    @Job(kind = "of-string")
    public static class OfString extends Base<String> {
    }

    @Job(kind = "raw-typed")
    @SuppressWarnings("rawtypes")
    public static class RawTyped implements TypedWorker {
        @Override
        public JobResult perform(Object args) {
            return JobResult.ok();
        }
    }

    @Job(kind = "generic")
    public static class Generic<T> implements TypedWorker<T> {
        @Override
        public JobResult perform(T args) {
            return JobResult.ok();
        }
    }

    @Job(kind = "of-record")
    public static class OfRecord extends Base<Fine> {
    }

    @Job(kind = "of-plain")
    public static class OfPlain extends Base<Plain> {
    }

    public abstract static class Base<A> implements TypedWorker<A> {
        @Override
        public JobResult perform(A args) {
            return JobResult.ok();
        }
    }

    @Job(kind = "of-base")
    public static class OfBase extends Base<Fine> {
    }
}
