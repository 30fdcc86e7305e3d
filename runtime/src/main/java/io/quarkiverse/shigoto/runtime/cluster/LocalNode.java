package io.quarkiverse.shigoto.runtime.cluster;

import java.time.Instant;

import io.quarkiverse.shigoto.runtime.queue.QueueProducer;

/**
 * What the engine running in this JVM does when a signal reaches it, from another node through {@link NodeSignals} or
 * from this node's own client: the receiving side of every cross-node message.
 */
public interface LocalNode {

    /** Wakes this node's producer of the queue, if it runs the queue. */
    void wake(String queue);

    /** Stops the attempts of these jobs that run here (they were cancelled); the others are ignored. */
    void interrupt(long[] ids);

    /** Reads the persisted queue controls (pause, concurrency) again and applies them. */
    void refreshControls();

    /** Tells the stager a job falls due at {@code at}, so it looks then rather than at its next sweep. */
    void dueAt(Instant at);

    /** @return this node's producer of the queue, or {@code null} when it does not run the queue */
    QueueProducer producer(String queue);
}
