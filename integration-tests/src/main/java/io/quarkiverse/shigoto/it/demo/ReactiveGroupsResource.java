package io.quarkiverse.shigoto.it.demo;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import io.quarkiverse.shigoto.BatchRequest;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.ReactiveShigoto;
import io.quarkiverse.shigoto.Workflow;
import io.quarkiverse.shigoto.it.workers.EchoWorker;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Batches and workflows through the reactive client, for the tests: outside and inside a reactive transaction. */
@Path("/reactive-groups")
public class ReactiveGroupsResource {

    @Inject
    ReactiveShigoto reactiveShigoto;

    /** A batch and a workflow inserted outside any transaction, read back; answers their ids and what was read. */
    @POST
    public Uni<Map<String, Object>> insert(@QueryParam("item") String item) {
        return reactiveShigoto.insertBatch(BatchRequest.of(JobRequest.of(EchoWorker.class).arg("item", item)
                .queue("parked-reactive")).name("reactive " + item))
                .chain(batch -> reactiveShigoto.insertWorkflow(Workflow.named("reactive " + item)
                        .add("first", JobRequest.of(EchoWorker.class).arg("item", item).queue("parked-reactive"))
                        .add("second", JobRequest.of(EchoWorker.class).arg("item", item).queue("parked-reactive"),
                                Workflow.after("first")))
                        .chain(flow -> reactiveShigoto.batch(batch.id())
                                .chain(readBatch -> reactiveShigoto.workflow(flow.id())
                                        .map(readFlow -> Map.<String, Object> of("batch", batch.id(),
                                                "batchTotal", readBatch.orElseThrow().total(), "workflow", flow.id(),
                                                "steps", readFlow.orElseThrow().steps().size())))));
    }

    /** A batch inserted inside a Hibernate Reactive transaction: refused; answers the refusal. */
    @POST
    @Path("/in-transaction")
    public Uni<String> inTransaction(@QueryParam("item") String item) {
        return Panache.withTransaction(() -> reactiveShigoto.insertBatch(BatchRequest.of(JobRequest.of(
                EchoWorker.class).arg("item", item).queue("parked-reactive"))).map(b -> "inserted " + b.id()))
                .onFailure().recoverWithItem(e -> "refused: " + e.getMessage());
    }
}
