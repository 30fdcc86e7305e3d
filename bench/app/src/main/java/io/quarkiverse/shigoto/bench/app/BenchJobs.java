package io.quarkiverse.shigoto.bench.app;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

/**
 * What the benchmark workers report: how many ran, and when a latency probe started.
 */
@Singleton
public class BenchJobs {

    final LongAdder performed = new LongAdder();
    final ConcurrentHashMap<Long, Long> startedNanos = new ConcurrentHashMap<>();
}
