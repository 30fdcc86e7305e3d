package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Statements of the store that the engine's tests reach only in rare moments, exercised directly on queues no node
 * runs.
 */
@QuarkusTest
class StoreTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void claimTakesTheBestJobsFirstAndUnclaimGivesThemBackUnchanged() throws Exception {
        JobStore store = runtime.store();
        List<JobRequest> requests = new ArrayList<>();
        for (int p : new int[] { 1, 5, 3, 5, 0 }) {
            requests.add(JobRequest.of("echo").queue("parked-store").priority(p));
        }
        List<Long> ids = shigoto.insertAll(requests).stream().map(JobView::id).toList();

        // the claiming node must be live, or the leader's rescuer (every 200 ms in tests) takes its jobs meanwhile
        try (Connection c = dataSource.getConnection()) {
            store.cluster().heartbeat(c, "test-node", "test-host", Instant.now(), "{}");
        }
        try {
            claimAndUnclaim(store, ids);
        } finally {
            store.cluster().removeNode("test-node");
        }
    }

    private void claimAndUnclaim(JobStore store, List<Long> ids) throws Exception {
        List<ClaimedJob> claimed = store.claim("parked-store", 3, "test-node", Instant.now());
        assertThat(claimed).extracting(ClaimedJob::id).containsExactly(ids.get(1), ids.get(3), ids.get(2));
        assertThat(claimed).allSatisfy(j -> assertThat(j.attempt()).isEqualTo(1));
        JobView executing = shigoto.job(ids.get(1)).orElseThrow();
        assertThat(executing.state()).isEqualTo(JobState.EXECUTING);
        assertThat(executing.attemptedBy()).isEqualTo("test-node");

        // a job that moved on meanwhile (here: cancelled by hand) is not given back
        JobRows.execute(dataSource, "UPDATE shigoto_jobs SET state = 'cancelled' WHERE id = ?", ids.get(2));
        assertThat(store.unclaim(claimed)).isEqualTo(2);

        JobView back = shigoto.job(ids.get(1)).orElseThrow();
        assertThat(back.state()).isEqualTo(JobState.AVAILABLE);
        assertThat(back.attempt()).isZero();
        assertThat(back.attemptedBy()).isNull();
        assertThat(back.attemptedAt()).isNull();
        assertThat(shigoto.job(ids.get(2)).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        // claimed again, they come back in the same order
        assertThat(store.claim("parked-store", 10, "test-node", Instant.now())).extracting(ClaimedJob::id)
                .containsExactly(ids.get(1), ids.get(3), ids.get(0), ids.get(4));
    }
}
