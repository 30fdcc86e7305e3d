package io.quarkiverse.shigoto.runtime.worker;

import java.util.List;
import java.util.function.Supplier;

import io.quarkus.runtime.annotations.Recorder;

/**
 * Hands the build-time worker table to the runtime.
 */
@Recorder
public class ShigotoRecorder {

    public Supplier<WorkerCatalog> catalog(List<WorkerDefinition> definitions) {
        return () -> new WorkerCatalog(definitions);
    }
}
