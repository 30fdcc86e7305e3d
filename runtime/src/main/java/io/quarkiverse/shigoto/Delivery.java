package io.quarkiverse.shigoto;

/**
 * One node's part of a job of a broadcast queue ({@code quarkus.shigoto.queues."q".broadcast=true}): every node that
 * runs the queue and was live when the job was fanned out performs it once, as a job of its own, which this answers
 * as stored. Its state, attempts and errors are that node's; it retries with the worker's backoff on that node only.
 * A delivery of a node that left the cluster before performing it is {@link JobState#CANCELLED} with a
 * {@code node-left} error, which its broadcast counts as done. See {@code docs/broadcast-queues.md}.
 *
 * @param node the node that performs it
 * @param job the delivery's own job (its id is not the broadcast's)
 */
public record Delivery(String node, JobView job) {
}
