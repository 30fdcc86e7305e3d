package io.quarkiverse.shigoto.runtime.cluster;

import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This JVM as a node of the cluster: its id and host, and the engine it runs now, if any. The node lifecycle sets
 * the engine when it starts one and clears it when it stops; the client reads it to tell its own producers about
 * inserts and cancellations without a round trip through the database.
 */
public final class ThisNode {

    private final String id;
    private final String host;
    private volatile LocalNode engine;

    /** @param id the configured node id, or {@code null} for one made of the host, the process id and a random part */
    public ThisNode(String id) {
        this.host = hostName();
        this.id = id != null ? id
                : host + "-" + ProcessHandle.current().pid() + "-"
                        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /** @return the node id, unique in the cluster */
    public String id() {
        return id;
    }

    /** @return the host name for the node table */
    public String host() {
        return host;
    }

    /** @return the engine running in this JVM, or {@code null} (insert-only, not started yet, stopped) */
    public LocalNode engine() {
        return engine;
    }

    /** Sets the engine running in this JVM; {@code null} once it stopped. */
    public void running(LocalNode engine) {
        this.engine = engine;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
