package io.quarkiverse.shigoto.testing;

/**
 * Options of {@link ShigotoTesting#drainQueue(String, DrainOption...)}, best imported statically:
 * {@code drainQueue("mail", withScheduled(), withRecursion())}.
 */
public enum DrainOption {

    /** Also runs the queue's scheduled and retryable jobs that are not due yet, as if they were. */
    WITH_SCHEDULED,
    /** Keeps draining until the queue has nothing left to run, so jobs the drained jobs insert run too. */
    WITH_RECURSION;

    /** @return {@link #WITH_SCHEDULED} */
    public static DrainOption withScheduled() {
        return WITH_SCHEDULED;
    }

    /** @return {@link #WITH_RECURSION} */
    public static DrainOption withRecursion() {
        return WITH_RECURSION;
    }
}
