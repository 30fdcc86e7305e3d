package io.quarkiverse.shigoto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobResult.Outcome;

class JobResultTest {

    @Test
    void okCompletesWithoutAValue() {
        JobResult ok = JobResult.ok();
        assertThat(ok.outcome()).isEqualTo(Outcome.OK);
        assertThat(ok.value()).isNull();
        assertThat(ok.reason()).isNull();
        assertThat(ok.snoozeDelay()).isNull();
    }

    @Test
    void okWithAValueKeepsTheValue() {
        JobResult ok = JobResult.ok(Map.of("sent", 3));
        assertThat(ok.outcome()).isEqualTo(Outcome.OK);
        assertThat(ok.value()).isEqualTo(Map.of("sent", 3));
    }

    @Test
    void okWithANullValueIsPlainOk() {
        assertThat(JobResult.ok(null)).isSameAs(JobResult.ok());
    }

    @Test
    void errorKeepsItsReason() {
        JobResult error = JobResult.error("mail server down");
        assertThat(error.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(error.reason()).isEqualTo("mail server down");
        assertThat(error.value()).isNull();
    }

    @Test
    void cancelKeepsItsReason() {
        JobResult cancel = JobResult.cancel("account deleted");
        assertThat(cancel.outcome()).isEqualTo(Outcome.CANCEL);
        assertThat(cancel.reason()).isEqualTo("account deleted");
    }

    @Test
    void errorAndCancelNeedAReason() {
        assertThatNullPointerException().isThrownBy(() -> JobResult.error(null)).withMessage("reason");
        assertThatNullPointerException().isThrownBy(() -> JobResult.cancel(null)).withMessage("reason");
    }

    @Test
    void snoozeKeepsItsDelay() {
        assertThat(JobResult.snooze(Duration.ofMinutes(2)).outcome()).isEqualTo(Outcome.SNOOZE);
        assertThat(JobResult.snooze(Duration.ofMinutes(2)).snoozeDelay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(JobResult.snooze(30).snoozeDelay()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void snoozeTakesZeroToTenYearsAsShigotoSnoozeDoes() {
        assertThat(JobResult.snooze(0).snoozeDelay()).isZero();
        assertThat(JobResult.snooze(JobResult.MAX_SNOOZE).snoozeDelay()).isEqualTo(Duration.ofDays(3650));
        assertThatIllegalArgumentException().isThrownBy(() -> JobResult.snooze(-5))
                .withMessage("snooze delay must not be negative, was PT-5S");
        assertThatIllegalArgumentException().isThrownBy(() -> JobResult.snooze(Duration.ofMillis(-1)));
        assertThatIllegalArgumentException().isThrownBy(() -> JobResult.snooze(JobResult.MAX_SNOOZE.plusSeconds(1)))
                .withMessage("snooze delay must be at most 3650 days, was PT87600H1S");
        assertThatNullPointerException().isThrownBy(() -> JobResult.snooze(null)).withMessage("delay");
    }

    @Test
    void toStringNamesTheOutcomeAndItsDetail() {
        assertThat(JobResult.ok()).hasToString("ok");
        assertThat(JobResult.ok(42)).hasToString("ok(42)");
        assertThat(JobResult.error("boom")).hasToString("error(boom)");
        assertThat(JobResult.cancel("stop")).hasToString("cancel(stop)");
        assertThat(JobResult.snooze(90)).hasToString("snooze(PT1M30S)");
    }
}
