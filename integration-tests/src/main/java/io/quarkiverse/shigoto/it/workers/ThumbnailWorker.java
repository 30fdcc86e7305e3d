package io.quarkiverse.shigoto.it.workers;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.TypedWorker;

/** Typed args in, a typed result out: the thumbnail of an image, as a record. */
@Job(kind = "thumbnail", maxAttempts = 1)
public class ThumbnailWorker implements TypedWorker<ResizeArgs> {

    @Override
    public JobResult perform(ResizeArgs args) {
        return JobResult.ok(new Thumbnail("thumbs/" + args.getImage(), args.getWidth()));
    }
}
