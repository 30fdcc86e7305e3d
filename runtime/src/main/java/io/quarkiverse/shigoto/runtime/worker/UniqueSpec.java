package io.quarkiverse.shigoto.runtime.worker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.UniqueOptions;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

/**
 * Resolved unique options as bit masks, recorded at build time for {@code @Unique} workers and built per insert from
 * {@link UniqueOptions}. It computes the job's key and the {@code unique_options} column.
 * <p>
 * Every bit has an explicit value here ({@link #keyBit}, {@link #stateBit}, {@link #replaceBit}, {@link #DEBOUNCE_BIT}),
 * never an enum ordinal: the column's bits are stored with the jobs and read by SQL ({@code shigoto_state_bit}, the
 * unique insert), and the key bits are recorded in the build, so reordering or extending a public enum must not move
 * them. {@code UniqueSpecTest} pins every value.
 *
 * @param keys bits of {@link #keyBit(Unique.Key)}
 * @param argsKeys the args keys that count, empty for all
 * @param states bits of the blocking states, as {@link #stateBit(JobState)}
 * @param periodSeconds the window length, 0 for forever
 * @param replace bits of {@link #replaceBit(Unique.Replace)}, before their shift into the column
 * @param debounceMillis the debounce delay, 0 for none
 */
public record UniqueSpec(int keys, List<String> argsKeys, int states, long periodSeconds, int replace,
        long debounceMillis) {

    /** The first bit of the replace options in the {@code unique_options} column (below it: the states). */
    static final int REPLACE_SHIFT = 8;
    /** The debounce bit of the {@code unique_options} column, above the six replace bits. */
    public static final int DEBOUNCE_BIT = 1 << 14;

    /** @return the spec of per-insert options, or {@code null} when they turn uniqueness off */
    public static UniqueSpec of(UniqueOptions options) {
        if (!options.enabled()) {
            return null;
        }
        String problem = statesProblem(options.states());
        if (problem != null) {
            throw new InvalidJobException("unique states " + options.states() + ": " + problem);
        }
        int keys = 0;
        for (Unique.Key k : options.keys()) {
            keys |= keyBit(k);
        }
        int replace = 0;
        for (Unique.Replace r : options.replace()) {
            replace |= replaceBit(r);
        }
        return new UniqueSpec(keys, options.argsKeys(), states(normalised(options.states())),
                options.period() == null ? 0 : options.period().getSeconds(), replace,
                options.debounce() == null ? 0 : options.debounce().toMillis());
    }

    /**
     * Checks that no automatic move of a job can enter a blocking state from a state that is not blocking, which
     * would find the key held by another job in the middle of a claim or a completion: executing jobs come from
     * available ones; jobs that were executing (retryable, snoozed, completed, discarded) can block only if executing
     * ones do; a cancellation can come from any unfinished state. (A due scheduled or retryable job whose key is
     * held when it becomes available is cancelled as a duplicate by the stager, see JobStore.STAGE.)
     *
     * @return {@code null} when the states are consistent, otherwise what is missing
     */
    public static String statesProblem(Set<JobState> states) {
        if (states.isEmpty()) {
            return "name at least one state";
        }
        if (states.contains(JobState.EXECUTING) && !states.contains(JobState.AVAILABLE)) {
            return "EXECUTING needs AVAILABLE too (an executing job was available just before)";
        }
        for (JobState s : EnumSet.of(JobState.SCHEDULED, JobState.RETRYABLE, JobState.COMPLETED,
                JobState.DISCARDED)) {
            if (states.contains(s) && !states.contains(JobState.EXECUTING)) {
                return s + " needs EXECUTING too (a job gets there from executing)";
            }
        }
        if (states.contains(JobState.CANCELLED) && !states.containsAll(UniqueOptions.DEFAULT_STATES)) {
            return "CANCELLED needs every unfinished state too (a job can be cancelled from any of them)";
        }
        return null;
    }

    /**
     * @return the states with PENDING added when AVAILABLE or SCHEDULED block: a job waiting for its dependencies is
     *         as much a waiting job as a scheduled one, and it moves to those states by itself
     */
    public static Set<JobState> normalised(Set<JobState> states) {
        if (states.contains(JobState.PENDING)
                || !(states.contains(JobState.AVAILABLE) || states.contains(JobState.SCHEDULED))) {
            return states;
        }
        Set<JobState> with = EnumSet.copyOf(states);
        with.add(JobState.PENDING);
        return with;
    }

    /** @return the mask of a set of states */
    public static int states(Set<JobState> states) {
        int mask = 0;
        for (JobState s : states) {
            mask |= stateBit(s);
        }
        return mask;
    }

    /** @return the bit of a state; the same as the SQL function {@code shigoto_state_bit} (migration 2) */
    public static int stateBit(JobState state) {
        return switch (state) {
            case PENDING -> 1;
            case SCHEDULED -> 1 << 1;
            case AVAILABLE -> 1 << 2;
            case EXECUTING -> 1 << 3;
            case RETRYABLE -> 1 << 4;
            case COMPLETED -> 1 << 5;
            case DISCARDED -> 1 << 6;
            case CANCELLED -> 1 << 7;
        };
    }

    /** @return the bit of a key field in {@link #keys()} */
    public static int keyBit(Unique.Key key) {
        return switch (key) {
            case WORKER -> 1;
            case QUEUE -> 1 << 1;
            case ARGS -> 1 << 2;
        };
    }

    /**
     * @return the bit of a replaced field in {@link #replace()}; shifted by {@link #REPLACE_SHIFT} in the column, where
     *         the unique insert's SQL reads it
     */
    public static int replaceBit(Unique.Replace field) {
        return switch (field) {
            case ARGS -> 1;
            case PRIORITY -> 1 << 1;
            case MAX_ATTEMPTS -> 1 << 2;
            case SCHEDULED_AT -> 1 << 3;
            case TAGS -> 1 << 4;
            case META -> 1 << 5;
        };
    }

    /** @return whether a field is part of the key */
    public boolean has(Unique.Key key) {
        return (keys & keyBit(key)) != 0;
    }

    /** @return whether a conflicting insert replaces a field */
    public boolean replaces(Unique.Replace field) {
        return (replace & replaceBit(field)) != 0;
    }

    /** @return the debounce delay, or {@code null} */
    public Duration debounce() {
        return debounceMillis == 0 ? null : Duration.ofMillis(debounceMillis);
    }

    /** @return the value of the {@code unique_options} column: blocking states, replace bits, debounce bit */
    public int optionsColumn() {
        return states | (replace << REPLACE_SHIFT) | (debounceMillis > 0 ? DEBOUNCE_BIT : 0);
    }

    /**
     * The job's key: SHA-256 over the chosen fields, args as canonical JSON (sorted keys, normalised numbers), so
     * neither key order nor {@code 1} vs {@code 1.0} makes two jobs different, and no plaintext is stored.
     *
     * @param argsJson the job's args, as written for storage
     * @param now the insert time, which picks the period window
     */
    public byte[] key(String kind, String queue, Map<String, Object> args, String argsJson, Instant now) {
        return key(kind, queue, args, argsJson, now, null);
    }

    /**
     * The job's key, as {@link #key(String, String, Map, String, Instant)}; for a job whose args are stored encrypted,
     * an HMAC-SHA256 with the hash key instead of a bare SHA-256, which could be brute-forced from guessed args.
     *
     * @param keyed the keys of an encrypted job whose key covers its args, or {@code null}
     * @throws io.quarkiverse.shigoto.runtime.crypto.EncryptionException when the job is encrypted and no hash key is
     *         configured
     */
    public byte[] key(String kind, String queue, Map<String, Object> args, String argsJson, Instant now,
            KeyRing keyed) {
        StringBuilder text = new StringBuilder(64);
        if (has(Unique.Key.WORKER)) {
            text.append("kind=").append(kind).append('\n');
        }
        if (has(Unique.Key.QUEUE)) {
            text.append("queue=").append(queue).append('\n');
        }
        if (has(Unique.Key.ARGS)) {
            String json = argsJson;
            if (!argsKeys.isEmpty()) {
                Map<String, Object> chosen = new LinkedHashMap<>();
                for (String k : argsKeys) {
                    if (args.containsKey(k)) {
                        chosen.put(k, args.get(k));
                    }
                }
                json = JsonCodec.writeValue(chosen, "args");
            }
            text.append("args=").append(JsonCodec.canonical(json)).append('\n');
        }
        if (periodSeconds > 0) {
            text.append("window=").append(Math.floorDiv(now.getEpochSecond(), periodSeconds)).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (keyed != null && has(Unique.Key.ARGS)) {
            return keyed.hash(kind, bytes);
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
