// Quoted in docs/testing.md between the snippet markers; DocsSnippetsTest keeps the two the same.
package io.quarkiverse.shigoto.it.docs;

// snippet:order-flow
import static io.quarkiverse.shigoto.testing.DrainOption.withRecursion;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.EchoWorker;
import io.quarkiverse.shigoto.testing.Drained;
import io.quarkiverse.shigoto.testing.ShigotoTesting;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ManualTesting.class)
class OrderFlowTest {

    @Inject
    ShigotoTesting testing;

    @Inject
    Shigoto shigoto;

    @Test
    void placingAnOrderEnqueuesItsJob() {
        String item = "pen-" + UUID.randomUUID();
        given().queryParam("item", item).post("/orders/jdbc").then().statusCode(200);

        JobView job = testing.assertEnqueued(JobFilter.all().worker(EchoWorker.class).args(Map.of("item", item)))
                .get(0);

        Drained drained = testing.drainQueue("default", withRecursion());
        assertThat(drained.completed()).isPositive();
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        testing.refuteEnqueued(JobFilter.all().worker(EchoWorker.class).args(Map.of("item", item)));
    }
}
// end:order-flow
