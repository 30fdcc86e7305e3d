package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class JobSelectionTest {

    private static final Schema SCHEMA = Schema.of("public");

    private static JobSelection states(String... states) {
        return new JobSelection(null, List.of("mail"), List.of(), List.of(states), List.of(), null, null);
    }

    @Test
    void statesAreWrittenAsLiteralsOtherValuesAreBound() {
        assertThat(states("available", "retryable").render("SELECT 1 WHERE true{where}", SCHEMA))
                .isEqualTo("SELECT 1 WHERE true AND kind = ANY(?::text[]) AND state IN ('available', 'retryable')");
    }

    @Test
    void executingJobsAreSelectedThroughTheirNode() {
        assertThat(states("executing").render("{where}", SCHEMA))
                .endsWith("AND state IN ('executing') AND attempted_by IS NOT NULL");
        assertThat(states("executing", "available").render("{where}", SCHEMA)).doesNotContain("attempted_by");
    }

    @Test
    void aStateThatIsNoStateNeverReachesTheStatement() {
        assertThatThrownBy(() -> states("available') OR (true").render("{where}", SCHEMA))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
