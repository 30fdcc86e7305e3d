package io.quarkiverse.shigoto.runtime.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.UniqueOptions;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

class UniqueSpecTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:07:00Z");

    private static byte[] key(UniqueSpec spec, String kind, String queue, Map<String, Object> args, Instant at) {
        return spec.key(kind, queue, args, JsonCodec.writeValue(args, "args"), at);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void theKeyIgnoresArgsKeyOrderAndNumberSpelling() {
        UniqueSpec spec = UniqueSpec.of(UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS));
        assertThat(key(spec, "k", "q", map("a", 1, "b", map("y", 2.50, "x", "s")), NOW))
                .isEqualTo(key(spec, "k", "q", map("b", map("x", "s", "y", 2.5), "a", 1.0), NOW));
    }

    @Test
    void theKeyDependsOnlyOnTheChosenFields() {
        UniqueSpec byWorker = UniqueSpec.of(UniqueOptions.by(Unique.Key.WORKER));
        assertThat(key(byWorker, "k", "q1", map("a", 1), NOW)).isEqualTo(key(byWorker, "k", "q2", map("a", 2), NOW));
        assertThat(key(byWorker, "k", "q", map(), NOW)).isNotEqualTo(key(byWorker, "other", "q", map(), NOW));
        UniqueSpec byQueue = UniqueSpec.of(UniqueOptions.by(Unique.Key.QUEUE));
        assertThat(key(byQueue, "k1", "q", map(), NOW)).isEqualTo(key(byQueue, "k2", "q", map(), NOW));
        assertThat(key(byQueue, "k", "q1", map(), NOW)).isNotEqualTo(key(byQueue, "k", "q2", map(), NOW));
    }

    @Test
    void argsKeysPickASubsetOfTheArgs() {
        UniqueSpec spec = UniqueSpec.of(UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS).argsKeys("account"));
        assertThat(key(spec, "k", "q", map("account", "a", "page", 1), NOW))
                .isEqualTo(key(spec, "k", "q", map("page", 2, "account", "a"), NOW));
        assertThat(key(spec, "k", "q", map("account", "a"), NOW)).isNotEqualTo(key(spec, "k", "q", map("account", "b"), NOW));
    }

    @Test
    void aPeriodCutsTimeIntoWindows() {
        UniqueSpec hourly = UniqueSpec.of(UniqueOptions.by(Unique.Key.WORKER).period(Duration.ofHours(1)));
        assertThat(key(hourly, "k", "q", map(), NOW)).isEqualTo(key(hourly, "k", "q", map(), NOW.plusSeconds(60)));
        assertThat(key(hourly, "k", "q", map(), NOW)).isNotEqualTo(key(hourly, "k", "q", map(), NOW.plusSeconds(3600)));
        UniqueSpec forever = UniqueSpec.of(UniqueOptions.by(Unique.Key.WORKER));
        assertThat(key(forever, "k", "q", map(), NOW)).isEqualTo(key(forever, "k", "q", map(), NOW.plusSeconds(86400 * 400L)));
    }

    @Test
    void theKeyIsASha256HashWithoutTheArgsText() {
        UniqueSpec spec = UniqueSpec.of(UniqueOptions.by(Unique.Key.ARGS));
        byte[] key = key(spec, "k", "q", map("secret", "hunter2"), NOW);
        assertThat(key).hasSize(32);
        assertThat(new String(key, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
    }

    @Test
    void theOptionsColumnMatchesTheBitsTheSqlReads() {
        // INSERT_UNIQUE_JSON and shigoto_state_bit hard-code these numbers
        assertThat(UniqueSpec.stateBit(JobState.PENDING)).isEqualTo(1);
        assertThat(UniqueSpec.stateBit(JobState.AVAILABLE)).isEqualTo(4);
        assertThat(UniqueSpec.stateBit(JobState.CANCELLED)).isEqualTo(128);
        UniqueSpec all = UniqueSpec.of(UniqueOptions.by(Unique.Key.WORKER).states(JobState.AVAILABLE, JobState.EXECUTING)
                .replace(Unique.Replace.values()).debounce(Duration.ofSeconds(1)));
        // pending joins available: 1 | 4 | 8
        assertThat(all.optionsColumn()).isEqualTo(13 | 256 | 512 | 1024 | 2048 | 4096 | 8192 | 16384);
        UniqueSpec defaults = UniqueSpec.of(UniqueOptions.by(Unique.Key.WORKER));
        assertThat(defaults.optionsColumn()).isEqualTo(1 | 2 | 4 | 8 | 16);
    }

    @Test
    void everyStoredBitHasItsOwnPinnedValueWhateverTheEnumOrder() {
        // stored in unique_options and read by migration 2's shigoto_state_bit: these numbers never move
        Map<JobState, Integer> states = Map.of(JobState.PENDING, 1, JobState.SCHEDULED, 2, JobState.AVAILABLE, 4,
                JobState.EXECUTING, 8, JobState.RETRYABLE, 16, JobState.COMPLETED, 32, JobState.DISCARDED, 64,
                JobState.CANCELLED, 128);
        assertThat(states).hasSize(JobState.values().length);
        states.forEach((state, bit) -> assertThat(UniqueSpec.stateBit(state)).as("bit of %s", state).isEqualTo(bit));
        // shifted by 8 into unique_options, where the unique insert's SQL reads them
        Map<Unique.Replace, Integer> replace = Map.of(Unique.Replace.ARGS, 1, Unique.Replace.PRIORITY, 2,
                Unique.Replace.MAX_ATTEMPTS, 4, Unique.Replace.SCHEDULED_AT, 8, Unique.Replace.TAGS, 16,
                Unique.Replace.META, 32);
        assertThat(replace).hasSize(Unique.Replace.values().length);
        replace.forEach((field, bit) -> assertThat(UniqueSpec.replaceBit(field)).as("bit of %s", field).isEqualTo(bit));
        assertThat(UniqueSpec.DEBOUNCE_BIT).isEqualTo(16384);
        // recorded in the build of every @Unique worker
        Map<Unique.Key, Integer> keys = Map.of(Unique.Key.WORKER, 1, Unique.Key.QUEUE, 2, Unique.Key.ARGS, 4);
        assertThat(keys).hasSize(Unique.Key.values().length);
        keys.forEach((key, bit) -> assertThat(UniqueSpec.keyBit(key)).as("bit of %s", key).isEqualTo(bit));
    }

    record Payment(long account, double amount, String currency) {
    }

    @Test
    void typedArgsHashLikeTheSameArgsAsAMap() {
        // the insert path of a typed worker: Jackson's JSON, and the map read back from it for argsKeys
        String typedJson = new TypedArgs(new ObjectMapper()).write(new Payment(7, 1.0, "EUR"), "k");
        Map<String, Object> typedMap = JsonCodec.readObject(typedJson);
        Map<String, Object> asMap = map("currency", "EUR", "amount", 1, "account", 7L);
        UniqueSpec byArgs = UniqueSpec.of(UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS));
        assertThat(byArgs.key("k", "q", typedMap, typedJson, NOW)).isEqualTo(key(byArgs, "k", "q", asMap, NOW));
        UniqueSpec byAccount = UniqueSpec.of(UniqueOptions.by(Unique.Key.ARGS).argsKeys("account"));
        assertThat(byAccount.key("k", "q", typedMap, typedJson, NOW))
                .isEqualTo(key(byAccount, "k", "q", map("account", 7, "other", true), NOW));
    }

    @Test
    void noneTurnsUniquenessOff() {
        assertThat(UniqueSpec.of(UniqueOptions.none())).isNull();
    }

    @Test
    void statesMustBeConsistentWithHowJobsMove() {
        assertThat(UniqueSpec.statesProblem(UniqueOptions.DEFAULT_STATES)).isNull();
        assertThat(UniqueSpec.statesProblem(java.util.Set.of(JobState.AVAILABLE))).isNull();
        assertThat(UniqueSpec.statesProblem(java.util.Set.of(JobState.AVAILABLE, JobState.EXECUTING, JobState.COMPLETED)))
                .isNull();
        assertThat(UniqueSpec.statesProblem(java.util.Set.of(JobState.EXECUTING))).contains("EXECUTING needs AVAILABLE");
        assertThat(UniqueSpec.statesProblem(java.util.Set.of(JobState.AVAILABLE, JobState.SCHEDULED)))
                .contains("SCHEDULED needs EXECUTING");
        assertThat(UniqueSpec.statesProblem(java.util.Set.of(JobState.AVAILABLE, JobState.EXECUTING, JobState.CANCELLED)))
                .contains("CANCELLED needs every unfinished state");
        assertThat(UniqueSpec.normalised(java.util.Set.of(JobState.AVAILABLE))).containsExactlyInAnyOrder(
                JobState.PENDING, JobState.AVAILABLE);
    }
}
