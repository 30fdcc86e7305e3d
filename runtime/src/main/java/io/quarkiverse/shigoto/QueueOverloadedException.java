package io.quarkiverse.shigoto;

/**
 * An insert refused because its queue sheds load and the job's priority is below the queue's
 * {@code shedding.reject-below-priority}: nothing was stored. Insert it later, with a higher priority, or into another
 * queue. See {@code docs/load-shedding.md}.
 */
public class QueueOverloadedException extends ShigotoException {

    private static final long serialVersionUID = 1L;

    private final String queue;
    private final int priority;
    private final int floor;

    public QueueOverloadedException(String queue, int priority, int floor) {
        super("queue '" + queue + "' is overloaded and sheds load: jobs of a priority below " + floor
                + " are refused while it does, and this one has priority " + priority);
        this.queue = queue;
        this.priority = priority;
        this.floor = floor;
    }

    /** @return the overloaded queue */
    public String queue() {
        return queue;
    }

    /** @return the refused job's priority */
    public int priority() {
        return priority;
    }

    /** @return the lowest priority the queue accepts while it sheds */
    public int floor() {
        return floor;
    }
}
