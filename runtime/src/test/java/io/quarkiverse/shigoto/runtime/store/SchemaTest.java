package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaTest {

    @ParameterizedTest
    @ValueSource(strings = { "public", "jobs", "_private", "tenant_42", "a" })
    void lowerCaseLettersDigitsAndUnderscoresMakeASchema(String name) {
        Schema schema = Schema.of(name);
        assertThat(schema.name()).isEqualTo(name);
        assertThat(schema).hasToString(name);
    }

    @Test
    void aSchemaNameHasAtMostSixtyThreeCharacters() {
        assertThat(Schema.of("s".repeat(63)).name()).hasSize(63);
        assertRejected("s".repeat(64));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Public", "JOBS", "\"jobs\"", "jobs\"; DROP TABLE x; --", "jobs;", "my-schema",
            "my schema", "1jobs", "jobs.sub", "caf\u00e9" })
    void anyOtherNameIsRejected(String name) {
        assertRejected(name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void aMissingNameIsRejected(String name) {
        assertRejected(name);
    }

    @Test
    void renderReplacesEverySchemaToken() {
        assertThat(Schema.of("jobs").render("SELECT * FROM {schema}.shigoto_jobs JOIN {schema}.b USING (id)"))
                .isEqualTo("SELECT * FROM jobs.shigoto_jobs JOIN jobs.b USING (id)");
        assertThat(Schema.of("jobs").render("SELECT 1")).isEqualTo("SELECT 1");
    }

    @Test
    void theInsertChannelIsNamedAfterTheSchema() {
        assertThat(Schema.of("jobs").insertChannel()).isEqualTo("shigoto_insert_jobs");
    }

    private static void assertRejected(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> Schema.of(name))
                .withMessage("quarkus.shigoto.schema '" + name
                        + "' is not a plain PostgreSQL identifier: use lower-case letters, digits and _, at most 63");
    }
}
