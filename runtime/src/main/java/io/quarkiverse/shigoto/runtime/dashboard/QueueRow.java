package io.quarkiverse.shigoto.runtime.dashboard;

import io.quarkiverse.shigoto.QueueView;

/**
 * A queue as the overview shows it.
 *
 * @param view the queue's controls and nodes
 * @param available its available jobs ("1000+" when the count stopped at its cap)
 * @param scheduled its scheduled jobs
 * @param retryable its retryable jobs
 * @param executing its attempts running on live nodes at their last heartbeat
 * @param broadcast whether it is a broadcast queue (here, or on a live node that runs it)
 */
public record QueueRow(QueueView view, String available, String scheduled, String retryable, int executing,
        boolean broadcast) {
}
