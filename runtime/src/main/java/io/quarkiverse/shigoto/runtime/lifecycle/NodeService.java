package io.quarkiverse.shigoto.runtime.lifecycle;

/**
 * A part of a node that runs on its own between {@link #start()} and {@link #stop()}: its own thread or timer task,
 * its own settings (each validates them and names the property in its message). The engine starts and stops its
 * services in the order its {@code start} and {@code stop} document.
 * <p>
 * The two parts that hold work in flight, the queue producers and the completer, stop in phases instead (stop
 * claiming, wait for running attempts, give up on them, write the last outcomes), interleaved with the others by the
 * engine: the leader must give its lease up before it waits for its attempts.
 */
public interface NodeService {

    /** Starts the service's loop. */
    void start();

    /** Stops the loop at once; nothing of the service runs afterwards except a step already under way. */
    void stop();
}
