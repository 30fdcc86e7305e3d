package io.quarkiverse.shigoto.it.workers;

/** The typed result of {@link ThumbnailWorker}, read back by {@link PublishWorker}. */
public record Thumbnail(String url, int width) {
}
