package io.quarkiverse.shigoto.runtime;

import java.util.List;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.JobProgressed;
import io.quarkiverse.shigoto.runtime.store.JobControls.Progress;

/**
 * Fires shigoto's CDI events. A failing observer is logged, never allowed to break the engine.
 */
@Singleton
public class ShigotoEvents {

    private static final Logger LOG = Logger.getLogger(ShigotoEvents.class);

    private final Event<JobProgressed> progressed;

    @Inject
    public ShigotoEvents(Event<JobProgressed> progressed) {
        this.progressed = progressed;
    }

    /** Announces stored progress. */
    public void progressed(List<Progress> stored) {
        for (Progress p : stored) {
            fire(new JobProgressed(p.id(), p.percent()));
        }
    }

    /** Announces one stored progress. */
    public void progressed(long id, int percent) {
        fire(new JobProgressed(id, percent));
    }

    private void fire(JobProgressed event) {
        try {
            progressed.fire(event);
        } catch (RuntimeException e) {
            LOG.warnf(e, "an observer of %s failed", event);
        }
    }
}
