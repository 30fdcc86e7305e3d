package io.quarkiverse.shigoto.bench.app;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

/**
 * What the benchmark workers report: how many ran, when a latency probe started, and when a sampled job of the
 * continuous scenarios started.
 */
@Singleton
public class BenchJobs {

    final LongAdder performed = new LongAdder();
    final ConcurrentHashMap<Long, Long> startedNanos = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Long, Long> sampleStartedNanos = new ConcurrentHashMap<>();

    /** Forgets a warm-up run. */
    void reset() {
        performed.reset();
        startedNanos.clear();
        sampleStartedNanos.clear();
    }
}
