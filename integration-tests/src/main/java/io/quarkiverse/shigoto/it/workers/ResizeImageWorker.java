package io.quarkiverse.shigoto.it.workers;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.TypedReactiveWorker;
import io.smallrye.mutiny.Uni;

/** A reactive worker of typed args (a plain class): answers the image and width it received. */
@Job(kind = "resize-image", maxAttempts = 1)
public class ResizeImageWorker implements TypedReactiveWorker<ResizeArgs> {

    @Override
    public Uni<JobResult> perform(ResizeArgs args) {
        return Uni.createFrom().item(JobResult.ok(args.getImage() + "@" + args.getWidth()));
    }
}
