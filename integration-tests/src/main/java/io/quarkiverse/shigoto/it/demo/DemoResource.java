package io.quarkiverse.shigoto.it.demo;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;

/**
 * A small HTTP face for the demo: enqueue jobs of any known kind and read them back.
 */
@Path("/demo/jobs")
public class DemoResource {

    @Inject
    Shigoto shigoto;

    @POST
    public List<Long> enqueue(@QueryParam("kind") @DefaultValue("echo") String kind,
            @QueryParam("count") @DefaultValue("1") int count) {
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < Math.min(count, 10_000); i++) {
            requests.add(JobRequest.of(kind).arg("i", i));
        }
        return shigoto.insertAll(requests).stream().map(JobView::id).toList();
    }

    @GET
    @Path("/{id}")
    public JobView job(@PathParam("id") long id) {
        return shigoto.job(id).orElseThrow(() -> new NotFoundException("no job " + id));
    }
}
