package io.quarkiverse.shigoto;

import java.time.Duration;

/**
 * CDI event: a queue began to shed load, shed one more priority, or stopped (see {@code docs/load-shedding.md}),
 * fired on the leader that decided it, once the change is stored.
 *
 * @param queue the queue
 * @param node the leader that decided
 * @param shedding whether the queue sheds now
 * @param shedBelow the priority below which its jobs are deferred, or {@code null} for none (it stopped, or only
 *        one priority waits)
 * @param waited how long its oldest claimable job had waited when it was decided
 */
public record QueueShedding(String queue, String node, boolean shedding, Integer shedBelow, Duration waited)
        implements
            QueueEvent {
}
