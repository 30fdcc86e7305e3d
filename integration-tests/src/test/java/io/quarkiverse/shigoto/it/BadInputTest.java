package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.ReactiveShigoto;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Invalid requests fail with an error naming the problem and store nothing, even in a bulk insert where the other
 * requests are fine.
 */
@QuarkusTest
class BadInputTest {

    @Inject
    Shigoto shigoto;

    @Inject
    ReactiveShigoto reactiveShigoto;

    @Inject
    AgroalDataSource dataSource;

    private long stored(String queue) throws Exception {
        return JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE queue = ?", queue);
    }

    @Test
    void anUnknownKindIsRejectedAndNothingIsStored() throws Exception {
        assertThatThrownBy(() -> shigoto.insertAll(List.of(JobRequest.of("echo").queue("parked-bad1"),
                JobRequest.of("no-such-kind").queue("parked-bad1"))))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageStartingWith("unknown job kind 'no-such-kind': no @Job worker of this application has it")
                .hasMessageContaining("echo");
        assertThat(stored("parked-bad1")).isZero();
    }

    @Test
    void argsThatAreNotJsonValuesAreRejectedAndNothingIsStored() throws Exception {
        Map<String, Object> args = new HashMap<>();
        args.put("user", Map.of("thread", Thread.currentThread()));
        assertThatThrownBy(() -> shigoto.insertAll(List.of(JobRequest.of("echo").queue("parked-bad2"),
                JobRequest.of("echo").queue("parked-bad2").args(args))))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("args of job kind 'echo' cannot be written as JSON")
                .hasMessageContaining("args.user.thread is a java.lang.Thread");
        assertThat(stored("parked-bad2")).isZero();
    }

    @Test
    void argsOrMetaThatContainThemselvesAreRejectedAndNothingIsStored() throws Exception {
        Map<String, Object> self = new HashMap<>();
        self.put("self", self);
        Map<String, Object> deeper = new HashMap<>();
        deeper.put("items", List.of(Map.of("back", deeper)));
        assertThatThrownBy(() -> shigoto.insertAll(List.of(JobRequest.of("echo").queue("parked-bad-cycle"),
                JobRequest.of("echo").queue("parked-bad-cycle").args(self))))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("args of job kind 'echo' cannot be written as JSON")
                .hasMessageContaining("contains itself");
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of("echo").queue("parked-bad-cycle").meta(deeper)))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("meta of job kind 'echo' cannot be written as JSON")
                .hasMessageContaining("meta.items[0].back").hasMessageContaining("contains itself");
        assertThatThrownBy(() -> reactiveShigoto.insert(JobRequest.of("echo").queue("parked-bad-cycle").args(self))
                .await().indefinitely())
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("contains itself");
        assertThat(stored("parked-bad-cycle")).isZero();
    }

    @Test
    @SuppressWarnings({ "unchecked", "rawtypes" })
    void mapsWithNonStringKeysAreRejectedNamingTheKeyAndItsType() throws Exception {
        Map raw = new HashMap();
        raw.put(7L, "x");
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of("echo").queue("parked-bad-key").args(raw)))
                .isInstanceOf(InvalidJobException.class)
                .hasMessage("args keys must be strings, but key 7 is a java.lang.Long");
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of("echo").queue("parked-bad-key")
                .args(Map.of("nested", raw))))
                .isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("args.nested has a non-string key 7 (java.lang.Long)");
        assertThat(stored("parked-bad-key")).isZero();
    }

    @Test
    void aNullListOfRequestsIsRejected() {
        assertThatThrownBy(() -> shigoto.insertAll(null)).isInstanceOf(InvalidJobException.class)
                .hasMessage("job requests must not be null (use an empty list)");
        assertThatThrownBy(() -> reactiveShigoto.insertAll(null).await().indefinitely())
                .isInstanceOf(InvalidJobException.class);
    }

    @Test
    void aNonFiniteNumberIsRejected() {
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of("echo").arg("x", Double.NaN)))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("args.x is NaN");
    }

    @Test
    void optionsOutOfRangeAreRejectedWhenSet() {
        assertThatThrownBy(() -> JobRequest.of("echo").maxAttempts(0)).isInstanceOf(InvalidJobException.class)
                .hasMessage("maxAttempts must be at least 1, was 0");
        assertThatThrownBy(() -> JobRequest.of("echo").maxAttempts(-2)).isInstanceOf(InvalidJobException.class);
        assertThatThrownBy(() -> JobRequest.of("echo").priority(101)).isInstanceOf(InvalidJobException.class)
                .hasMessage("priority must be between -100 and 100, was 101");
        assertThatThrownBy(() -> JobRequest.of("echo").queue("no spaces")).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("queue may only contain");
        assertThatThrownBy(() -> JobRequest.of(" ")).isInstanceOf(InvalidJobException.class);
    }

    @Test
    void aClassThatIsNotAJobWorkerIsRejected() {
        assertThatThrownBy(() -> shigoto.insert(JobRequest.of(NotAJob.class))).isInstanceOf(InvalidJobException.class)
                .hasMessage(NotAJob.class.getName() + " is not a @Job worker of this application");
    }

    @Test
    void theReactiveClientFailsTheSameWay() {
        assertThatThrownBy(() -> reactiveShigoto.insert(JobRequest.of("no-such-kind")).await().indefinitely())
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("unknown job kind 'no-such-kind'");
    }

    static class NotAJob implements Worker {
        @Override
        public io.quarkiverse.shigoto.JobResult perform(Map<String, Object> args) {
            return io.quarkiverse.shigoto.JobResult.ok();
        }
    }
}
