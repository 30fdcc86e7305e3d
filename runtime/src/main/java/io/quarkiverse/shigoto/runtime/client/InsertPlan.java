package io.quarkiverse.shigoto.runtime.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.store.Dependencies;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.store.NewJob;

/**
 * How a batch of jobs (initial states already decided) is stored, whatever the client: plain jobs through the bulk
 * statements, unique ones through the conflict-aware one, sorted by key. A key repeated within the batch is stored
 * once; the later requests answer the first one's job as a conflict (one statement may not touch a row twice).
 */
final class InsertPlan {

    private final List<NewJob> jobs;
    private final List<Integer> plain = new ArrayList<>();
    private final List<Integer> unique = new ArrayList<>();
    private final int[] sameAs;
    /** No unique job at all, the usual batch: the bulk statements take the jobs as they are. */
    private final boolean allPlain;

    InsertPlan(List<NewJob> jobs) {
        this.jobs = jobs;
        this.allPlain = jobs.stream().noneMatch(NewJob::unique);
        this.sameAs = new int[allPlain ? 0 : jobs.size()];
        if (allPlain) {
            return;
        }
        Map<String, Integer> firstOfKey = new HashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            sameAs[i] = -1;
            NewJob j = jobs.get(i);
            if (!j.unique()) {
                plain.add(i);
                continue;
            }
            Integer first = firstOfKey.putIfAbsent(HexFormat.of().formatHex(j.uniqueKey()), i);
            if (first == null) {
                unique.add(i);
            } else {
                sameAs[i] = first;
            }
        }
        // the unique statement takes the index lock of each key in this order: the same global order in every
        // transaction, so two batches over the same keys wait for each other instead of deadlocking
        unique.sort((a, b) -> Arrays.compareUnsigned(jobs.get(a).uniqueKey(), jobs.get(b).uniqueKey()));
    }

    /** @return the jobs for the bulk statements */
    List<NewJob> plainJobs() {
        return allPlain ? jobs : pick(plain);
    }

    /** @return the unique jobs with distinct keys, for the conflict-aware statement */
    List<NewJob> uniqueJobs() {
        return pick(unique);
    }

    /**
     * @param plainViews what the bulk statements stored, in {@link #plainJobs()} order
     * @param uniqueViews what the unique statement answered, in {@link #uniqueJobs()} order
     * @return a job per request, in request order
     */
    List<JobView> views(List<JobView> plainViews, List<JobView> uniqueViews) {
        if (allPlain) {
            return Collections.unmodifiableList(plainViews);
        }
        JobView[] views = new JobView[jobs.size()];
        for (int k = 0; k < plain.size(); k++) {
            views[plain.get(k)] = plainViews.get(k);
        }
        for (int k = 0; k < unique.size(); k++) {
            views[unique.get(k)] = uniqueViews.get(k);
        }
        for (int i = 0; i < views.length; i++) {
            if (sameAs[i] >= 0) {
                views[i] = conflict(views[sameAs[i]]);
            }
        }
        return List.of(views);
    }

    /** @return the dependency edges of the jobs that were stored (not of conflicts), as JSON, or {@code null} */
    String edgesJson(List<JobView> views) {
        List<Map<String, Object>> edges = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            NewJob j = jobs.get(i);
            if (j.hasDependencies() && !views.get(i).conflict()) {
                Dependencies.addEdges(edges, views.get(i).id(), j);
            }
        }
        return edges.isEmpty() ? null : JsonCodec.write(edges);
    }

    /** @return the queues that got a job available now */
    static Set<String> newAvailable(List<JobView> views) {
        Set<String> queues = new LinkedHashSet<>();
        for (JobView v : views) {
            if (!v.conflict() && v.state() == JobState.AVAILABLE) {
                queues.add(v.queue());
            }
        }
        return queues;
    }

    private static JobView conflict(JobView v) {
        return new JobView(v.id(), v.kind(), v.queue(), v.state(), v.priority(), v.args(), v.meta(), v.tags(),
                v.attempt(), v.maxAttempts(), v.errors(), v.result(), v.partitionKey(), v.insertedAt(),
                v.scheduledAt(), v.attemptedAt(), v.attemptedBy(), v.finishedAt(), v.progress(), true);
    }

    private List<NewJob> pick(List<Integer> indexes) {
        List<NewJob> picked = new ArrayList<>(indexes.size());
        indexes.forEach(i -> picked.add(jobs.get(i)));
        return picked;
    }
}
