package io.quarkiverse.shigoto;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ready-made retry delays for {@link JobWorker#backoff(int, JobError)}.
 */
public final class Backoff {

    /** The longest delay {@link #exponential(int)} answers: 30 minutes. */
    public static final Duration MAX_EXPONENTIAL = Duration.ofSeconds(1800);

    private Backoff() {
    }

    /**
     * The default delay: {@code min(attempt^4 + random(0..30), 1800)} seconds. The random part spreads retries of jobs
     * that failed together.
     *
     * @param attempt the attempt that failed, starting at 1
     * @return the delay
     */
    public static Duration exponential(int attempt) {
        return exponential(attempt, ThreadLocalRandom.current().nextInt(31));
    }

    static Duration exponential(int attempt, int jitterSeconds) {
        long a = Math.max(1, attempt);
        // a^4 overflows a long for large attempts; anything past 7 is over the cap anyway
        long base = a >= 7 ? MAX_EXPONENTIAL.getSeconds() : a * a * a * a;
        return Duration.ofSeconds(Math.min(base + jitterSeconds, MAX_EXPONENTIAL.getSeconds()));
    }

    /**
     * A delay that grows by {@code step} per attempt, capped at {@code max}.
     *
     * @param attempt the attempt that failed, starting at 1
     * @param step the delay added per attempt
     * @param max the longest delay
     * @return the delay
     */
    public static Duration linear(int attempt, Duration step, Duration max) {
        Duration d = step.multipliedBy(Math.max(1, attempt));
        return d.compareTo(max) > 0 ? max : d;
    }
}
