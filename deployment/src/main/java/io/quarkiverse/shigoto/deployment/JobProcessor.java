package io.quarkiverse.shigoto.deployment;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.worker.ShigotoRecorder;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.BeanDefiningAnnotationBuildItem;
import io.quarkus.arc.deployment.CustomScopeAnnotationsBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.arc.processor.BuiltinScope;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveHierarchyBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Discovers and validates {@code @Job} workers and their middleware, and hands their table to the runtime.
 */
class JobProcessor {

    private static final Logger LOG = Logger.getLogger(JobProcessor.class);

    @BuildStep
    BeanDefiningAnnotationBuildItem jobsAreBeans() {
        return new BeanDefiningAnnotationBuildItem(ShigotoDotNames.JOB, BuiltinScope.SINGLETON.getName());
    }

    @BuildStep
    UnremovableBeanBuildItem workersStay() {
        // global middleware are found by the runtime, never injected: without this the container would drop them
        return UnremovableBeanBuildItem.beanTypes(ShigotoDotNames.JOB_WORKER, ShigotoDotNames.JOB_MIDDLEWARE,
                ShigotoDotNames.REACTIVE_JOB_MIDDLEWARE);
    }

    @BuildStep
    void discover(CombinedIndexBuildItem index, CustomScopeAnnotationsBuildItem scopes,
            BuildProducer<WorkerBuildItem> workers, BuildProducer<AdditionalBeanBuildItem> beans) {
        MiddlewareScanner middleware = new MiddlewareScanner(index.getIndex(), scopes::isScopeDeclaredOn);
        WorkerScanner scanner = new WorkerScanner(index.getIndex(), middleware);
        List<WorkerDefinition> found = scanner.scan();
        if (!scanner.problems().isEmpty()) {
            throw new ConfigurationException("Invalid shigoto @Job workers (" + scanner.problems().size()
                    + " problems):\n  - " + String.join("\n  - ", scanner.problems()));
        }
        found.forEach(d -> workers.produce(new WorkerBuildItem(d)));
        scanner.defaultKinds().forEach((c, kind) -> LOG.warnf("%s has no @Job(kind): its jobs are stored under the"
                + " kind '%s', its simple class name, so renaming the class strands the jobs already stored (no worker"
                + " answers their kind any more). Set @Job(kind = \"%s\") to keep the kind when the class is renamed;"
                + " that also silences this warning", c, kind, kind));
        scanner.dependentWorkers().forEach(c -> LOG.warnf("%s is @Dependent, but shigoto creates one instance of a"
                + " worker and calls it for every job of its kind, as a singleton, also for jobs running at once:"
                + " declare it @Singleton or @ApplicationScoped (the default) and keep per-job state out of its"
                + " fields", c));
        if (!middleware.listed().isEmpty()) {
            beans.produce(AdditionalBeanBuildItem.builder().addBeanClasses(middleware.listed())
                    .setDefaultScope(BuiltinScope.SINGLETON.getName()).setUnremovable().build());
        }
        middleware.unused().forEach(c -> LOG.warnf("%s implements a shigoto middleware interface but never runs: it is"
                + " neither a CDI bean (global middleware) nor listed on a @Job(middleware = ...)", c));
    }

    /** Jackson reads typed args by reflection: in a native image their classes (and what they hold) must be kept. */
    @BuildStep
    void argsTypesForReflection(List<WorkerBuildItem> workers, BuildProducer<ReflectiveHierarchyBuildItem> reflective) {
        for (WorkerBuildItem w : workers) {
            if (w.definition().typed()) {
                reflective.produce(ReflectiveHierarchyBuildItem.builder(w.definition().argsType())
                        .source("args of shigoto worker " + w.definition().beanClass()).build());
            }
        }
    }

    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    SyntheticBeanBuildItem catalog(ShigotoRecorder recorder, List<WorkerBuildItem> workers) {
        List<WorkerDefinition> definitions = new ArrayList<>(workers.size());
        workers.forEach(w -> definitions.add(w.definition()));
        return SyntheticBeanBuildItem.configure(WorkerCatalog.class).scope(Singleton.class).unremovable()
                .supplier(recorder.catalog(definitions)).done();
    }
}
