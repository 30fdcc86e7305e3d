package io.quarkiverse.shigoto.deployment;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.runtime.worker.ShigotoRecorder;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.arc.deployment.BeanDefiningAnnotationBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.arc.processor.BuiltinScope;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Discovers and validates {@code @Job} workers, and hands their table to the runtime.
 */
class JobProcessor {

    @BuildStep
    BeanDefiningAnnotationBuildItem jobsAreBeans() {
        return new BeanDefiningAnnotationBuildItem(ShigotoDotNames.JOB, BuiltinScope.SINGLETON.getName());
    }

    @BuildStep
    UnremovableBeanBuildItem workersStay() {
        return UnremovableBeanBuildItem.beanTypes(ShigotoDotNames.JOB_WORKER);
    }

    @BuildStep
    void discover(CombinedIndexBuildItem index, BuildProducer<WorkerBuildItem> workers) {
        WorkerScanner scanner = new WorkerScanner(index.getIndex());
        List<WorkerDefinition> found = scanner.scan();
        if (!scanner.problems().isEmpty()) {
            throw new ConfigurationException("Invalid shigoto @Job workers (" + scanner.problems().size()
                    + " problems):\n  - " + String.join("\n  - ", scanner.problems()));
        }
        found.forEach(d -> workers.produce(new WorkerBuildItem(d)));
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
