package io.quarkiverse.shigoto;

/** Where a batch is: taking members, waiting for them, or over. */
public enum BatchState {
    /** More members may join ({@link BatchRequest#open()}); it does not finish before it is sealed. */
    OPEN,
    /** Sealed, and some members have not finished yet. */
    RUNNING,
    /** Every member finished and the callbacks were inserted. */
    FINISHED
}
