package io.quarkiverse.shigoto.it.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.ReactiveShigoto;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.UniqueOptions;
import io.quarkiverse.shigoto.it.workers.EchoWorker;
import io.quarkiverse.shigoto.it.workers.RateLimitedWorker;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Places an order and enqueues its job in one transaction, over JDBC/JTA or Hibernate Reactive. {@code fail=true}
 * throws after both writes, so the transaction rolls back.
 */
@Path("/orders")
public class OrderResource {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Shigoto shigoto;

    @Inject
    ReactiveShigoto reactiveShigoto;

    /** The order and its job, as answered to the caller. */
    public record Placed(long orderId, long jobId) {
    }

    @POST
    @Path("/jdbc")
    @Transactional
    public Placed jdbc(@QueryParam("item") String item, @QueryParam("fail") boolean fail) throws SQLException {
        long orderId;
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("INSERT INTO demo_orders (item) VALUES (?) RETURNING id")) {
            st.setString(1, item);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                orderId = rs.getLong(1);
            }
        }
        JobView job = shigoto.insert(JobRequest.of(EchoWorker.class).args(Map.of("orderId", orderId, "item", item)));
        if (fail) {
            throw new IllegalStateException("failing after both writes, to roll back");
        }
        return new Placed(orderId, job.id());
    }

    /**
     * Places the order and its job, then runs a statement that fails and swallows its exception: PostgreSQL has
     * aborted the transaction, so its commit can only roll back, the order and the job with it.
     */
    @POST
    @Path("/jdbc-swallowed")
    @Transactional
    public Placed jdbcSwallowed(@QueryParam("item") String item) throws SQLException {
        Placed placed = jdbc(item, false);
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement("SELECT 1 / 0")) {
            st.executeQuery();
        } catch (SQLException swallowed) {
            // the mistake under test: the method goes on as if nothing happened
        }
        return placed;
    }

    @POST
    @Path("/reactive")
    public Uni<Placed> reactive(@QueryParam("item") String item, @QueryParam("fail") boolean fail) {
        return Panache.withTransaction(() -> placeReactively(item, fail));
    }

    @POST
    @Path("/reactive-annotated")
    @WithTransaction
    public Uni<Placed> reactiveAnnotated(@QueryParam("item") String item, @QueryParam("fail") boolean fail) {
        return placeReactively(item, fail);
    }

    /** {@link #jdbcSwallowed} over Hibernate Reactive. */
    @POST
    @Path("/reactive-swallowed")
    public Uni<Placed> reactiveSwallowed(@QueryParam("item") String item) {
        return Panache.withTransaction(() -> placeReactively(item, false)
                .call(placed -> Panache.getSession()
                        .chain(s -> s.createNativeQuery("SELECT 1 / 0").getSingleResultOrNull())
                        .onFailure().recoverWithNull()));
    }

    /** Several jobs in one Hibernate Reactive transaction, with every option that travels in the JSON form. */
    @POST
    @Path("/reactive-batch")
    public Uni<List<Long>> reactiveBatch(@QueryParam("item") String item) {
        return Panache.withTransaction(() -> reactiveShigoto.insertAll(List.of(
                JobRequest.of(EchoWorker.class).args(Map.of("item", item, "n", 1)).tags("a\"b", "c"),
                JobRequest.of(EchoWorker.class).args(Map.of("item", item, "n", 2)).queue("parked-reactive")
                        .priority(7).maxAttempts(9).partitionKey("tenant-\t1").meta(Map.of("m", true)),
                JobRequest.of(EchoWorker.class).args(Map.of("item", item, "n", 3))
                        .scheduleIn(java.time.Duration.ofHours(1)))))
                .map(jobs -> jobs.stream().map(JobView::id).toList());
    }

    /**
     * Unique jobs and a dependency in one Hibernate Reactive transaction: a unique job inserted twice (the second
     * answers the first), then a job depending on it. Answers the three ids, the second's conflict flag and the
     * dependent's state as inserted.
     */
    @POST
    @Path("/reactive-unique-chain")
    public Uni<Map<String, Object>> reactiveUniqueChain(@QueryParam("item") String item) {
        UniqueOptions unique = UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS);
        return Panache.withTransaction(() -> reactiveShigoto
                .insertAll(List.of(JobRequest.of(EchoWorker.class).arg("item", item).queue("parked-reactive")
                        .unique(unique)))
                .chain(first -> reactiveShigoto.insert(JobRequest.of(EchoWorker.class).arg("item", item)
                        .queue("parked-reactive").unique(unique))
                        .chain(second -> reactiveShigoto.insert(JobRequest.of(EchoWorker.class)
                                .arg("item", item + "-next").dependsOn(first.get(0).id()))
                                .map(dependent -> Map.<String, Object> of("first", first.get(0).id(), "second",
                                        second.id(), "conflict", second.conflict(), "dependent", dependent.id(),
                                        "dependentState", dependent.state().name())))));
    }

    /** A plain and a rate-limited job in one Hibernate Reactive transaction, on a queue no node runs. */
    @POST
    @Path("/reactive-limited")
    public Uni<List<Long>> reactiveLimited() {
        return Panache.withTransaction(() -> reactiveShigoto.insertAll(List.of(
                JobRequest.of(EchoWorker.class).queue("parked-limits"),
                JobRequest.of(RateLimitedWorker.class).queue("parked-limits"))))
                .map(jobs -> jobs.stream().map(JobView::id).toList());
    }

    private Uni<Placed> placeReactively(String item, boolean fail) {
        DemoOrder order = new DemoOrder();
        order.item = item;
        return order.<DemoOrder> persistAndFlush()
                .chain(saved -> reactiveShigoto.insert(JobRequest.of(EchoWorker.class)
                        .args(Map.of("orderId", saved.id, "item", item))))
                .map(job -> {
                    if (fail) {
                        throw new IllegalStateException("failing after both writes, to roll back");
                    }
                    return new Placed(order.id, job.id());
                });
    }
}
