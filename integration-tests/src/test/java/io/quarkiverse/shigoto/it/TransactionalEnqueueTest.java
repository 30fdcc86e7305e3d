package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A job inserted in the caller's transaction is stored if and only if the caller's own writes are: over JDBC with
 * JTA, and over Hibernate Reactive.
 */
@QuarkusTest
class TransactionalEnqueueTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Shigoto shigoto;

    @Test
    void aJtaTransactionCommitsTheOrderAndItsJobTogether() throws Exception {
        assertCommitted("jdbc");
    }

    @Test
    void aJtaRollbackDiscardsTheOrderAndItsJob() throws Exception {
        assertRolledBack("jdbc");
    }

    @Test
    void aJtaTransactionThatSwallowedASqlErrorFailsAtCommitInsteadOfLosingItsJobsSilently() throws Exception {
        assertSwallowedErrorFailsTheCommit("jdbc-swallowed");
    }

    @Test
    void aHibernateReactiveTransactionThatSwallowedASqlErrorFailsAtCommit() throws Exception {
        assertSwallowedErrorFailsTheCommit("reactive-swallowed");
    }

    @Test
    void aHibernateReactiveTransactionCommitsTheOrderAndItsJobTogether() throws Exception {
        assertCommitted("reactive");
    }

    @Test
    void aHibernateReactiveRollbackDiscardsTheOrderAndItsJob() throws Exception {
        assertRolledBack("reactive");
    }

    @Test
    void aWithTransactionMethodCommitsTheOrderAndItsJobTogether() throws Exception {
        assertCommitted("reactive-annotated");
    }

    @Test
    void aWithTransactionMethodRollsBackTheOrderAndItsJobTogether() throws Exception {
        assertRolledBack("reactive-annotated");
    }

    @Test
    void severalJobsInOneHibernateReactiveTransactionKeepEveryOption() {
        String item = "item-" + UUID.randomUUID();
        List<Long> ids = given().queryParam("item", item).post("/orders/reactive-batch").then().statusCode(200)
                .extract().jsonPath().getList(".", Long.class);
        assertThat(ids).hasSize(3);
        JobView first = shigoto.job(ids.get(0)).orElseThrow();
        assertThat(first.args()).isEqualTo(Map.of("item", item, "n", 1));
        assertThat(first.tags()).containsExactly("a\"b", "c");
        JobView second = shigoto.job(ids.get(1)).orElseThrow();
        assertThat(second.args()).containsEntry("n", 2);
        assertThat(second.queue()).isEqualTo("parked-reactive");
        assertThat(second.priority()).isEqualTo(7);
        assertThat(second.maxAttempts()).isEqualTo(9);
        assertThat(second.partitionKey()).isEqualTo("tenant-\t1");
        assertThat(second.meta()).isEqualTo(Map.of("m", true));
        JobView third = shigoto.job(ids.get(2)).orElseThrow();
        assertThat(third.args()).containsEntry("n", 3);
        assertThat(third.state()).isEqualTo(JobState.SCHEDULED);
        Jobs.awaitState(shigoto, ids.get(0), JobState.COMPLETED);
    }

    @Test
    void uniqueJobsAndDependenciesWorkInsideAHibernateReactiveTransaction() {
        String item = "item-" + UUID.randomUUID();
        JsonPath answer = given().queryParam("item", item).post("/orders/reactive-unique-chain").then()
                .statusCode(200).extract().jsonPath();
        long first = answer.getLong("first");
        assertThat(answer.getLong("second")).isEqualTo(first);
        assertThat(answer.getBoolean("conflict")).isTrue();
        assertThat(answer.getString("dependentState")).isEqualTo("PENDING");
        long dependent = answer.getLong("dependent");
        assertThat(shigoto.dependencies(dependent)).extracting(JobView::id).containsExactly(first);
        shigoto.cancel(first);
        Jobs.awaitState(shigoto, dependent, JobState.CANCELLED);
    }

    private void assertCommitted(String path) throws Exception {
        String item = "item-" + UUID.randomUUID();
        JsonPath placed = given().queryParam("item", item).post("/orders/" + path).then().statusCode(200).extract()
                .jsonPath();
        long orderId = placed.getLong("orderId");
        long jobId = placed.getLong("jobId");
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM demo_orders WHERE id = ? AND item = ?", orderId,
                item)).isEqualTo(1);
        assertThat(shigoto.job(jobId).orElseThrow().args()).containsEntry("item", item);
        Jobs.awaitState(shigoto, jobId, JobState.COMPLETED);
    }

    private void assertSwallowedErrorFailsTheCommit(String path) throws Exception {
        String item = "item-" + UUID.randomUUID();
        given().queryParam("item", item).post("/orders/" + path).then().statusCode(500);
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM demo_orders WHERE item = ?", item)).isZero();
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE args ->> 'item' = ?", item))
                .isZero();
    }

    private void assertRolledBack(String path) throws Exception {
        String item = "item-" + UUID.randomUUID();
        given().queryParam("item", item).queryParam("fail", true).post("/orders/" + path).then().statusCode(500);
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM demo_orders WHERE item = ?", item)).isZero();
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE args ->> 'item' = ?", item))
                .isZero();
    }

    @Test
    void theReactiveClientInsertsBatchesAndWorkflowsOnItsOwnAndRefusesToInsertThemInsideAReactiveTransaction() {
        String item = "groups-" + java.util.UUID.randomUUID();
        JsonPath answer = given().queryParam("item", item).post("/reactive-groups").then().statusCode(200)
                .extract().jsonPath();
        assertThat(answer.getInt("batchTotal")).isEqualTo(1);
        assertThat(answer.getInt("steps")).isEqualTo(2);
        assertThat(shigoto.batch(answer.getLong("batch"))).isPresent();
        assertThat(shigoto.workflow(answer.getLong("workflow")).orElseThrow().steps().get(1).after())
                .containsExactly("first");

        String refused = given().queryParam("item", item + "-tx").post("/reactive-groups/in-transaction").then()
                .statusCode(200).extract().asString();
        assertThat(refused).isEqualTo("refused: insertBatch cannot join a Hibernate Reactive transaction yet, and"
                + " would commit on its own whatever the transaction does: call it outside the transaction, or use"
                + " the blocking Shigoto in a JTA transaction");
        assertThat(shigoto.jobs(io.quarkiverse.shigoto.JobFilter.all().args(java.util.Map.of("item", item + "-tx")),
                0, 10)).isEmpty();
    }
}
