package io.quarkiverse.shigoto.deployment;

import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.builder.item.MultiBuildItem;

/**
 * One validated {@code @Job} worker.
 */
public final class WorkerBuildItem extends MultiBuildItem {

    private final WorkerDefinition definition;

    public WorkerBuildItem(WorkerDefinition definition) {
        this.definition = definition;
    }

    public WorkerDefinition definition() {
        return definition;
    }
}
