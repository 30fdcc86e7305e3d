package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.Reencryption;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;

/**
 * The dashboard's re-encryption runs on this node: one at a time, each on a thread of its own (a pass over a large
 * table takes longer than a request should), its progress and last outcome shown on the encryption page. A run
 * stopped by a restart needs nothing: {@link Shigoto#reencrypt()} is resumable by construction.
 */
@Singleton
@Unremovable
public class ReencryptionRuns {

    private static final Logger LOG = Logger.getLogger(ReencryptionRuns.class);

    /**
     * The last run on this node.
     *
     * @param startedAt when it started
     * @param result what it did, {@code null} while it runs or when it failed
     * @param failure why it stopped, or {@code null}
     */
    public record Run(Instant startedAt, Reencryption result, String failure) {
        /** @return whether it is still running */
        public boolean running() {
            return result == null && failure == null;
        }
    }

    private final Shigoto shigoto;
    private final Clock clock;
    private final AtomicReference<Run> last = new AtomicReference<>();

    @Inject
    public ReencryptionRuns(Shigoto shigoto, @Identifier("shigoto") Clock clock) {
        this.shigoto = shigoto;
        this.clock = clock;
    }

    /** @return the last run on this node, or {@code null} when none has run since the start */
    public Run last() {
        return last.get();
    }

    /**
     * Starts a run in the background.
     *
     * @return {@code false} when one is already running on this node
     */
    public boolean start() {
        Run previous = last.get();
        Run started = new Run(clock.instant(), null, null);
        if (previous != null && previous.running() || !last.compareAndSet(previous, started)) {
            return false;
        }
        Thread thread = new Thread(() -> {
            try {
                last.set(new Run(started.startedAt(), shigoto.reencrypt(), null));
            } catch (RuntimeException e) {
                LOG.errorf(e, "re-encryption failed");
                last.set(new Run(started.startedAt(), null, e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }, "shigoto-reencrypt");
        thread.setDaemon(true);
        thread.start();
        return true;
    }
}
