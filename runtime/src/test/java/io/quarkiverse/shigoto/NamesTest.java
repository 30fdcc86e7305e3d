package io.quarkiverse.shigoto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = { "default", "Emails", "send_welcome.mail", "billing:invoice-2024", "a", "0" })
    void lettersDigitsAndDotUnderscoreColonDashAreValid(String name) {
        assertThat(Names.problem(name)).isNull();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void aMissingNameMustNotBeEmpty(String name) {
        assertThat(Names.problem(name)).isEqualTo("must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = { "send mail", " mail", "mail/queue", "mail;drop", "caf\u00e9", "a\"b", "tab\there" })
    void anyOtherCharacterIsInvalidAndNamed(String name) {
        assertThat(Names.problem(name)).isEqualTo("may only contain letters, digits and . _ : - (was '" + name + "')");
    }

    @Test
    void aNameMayHaveUpToOneHundredTwentyEightCharacters() {
        assertThat(Names.problem("k".repeat(Names.MAX_LENGTH))).isNull();
        assertThat(Names.problem("k".repeat(Names.MAX_LENGTH + 1)))
                .isEqualTo("must be at most 128 characters, has 129");
    }

    @Test
    void requireNameThrowsAnInvalidJobExceptionSayingWhatWasNamed() {
        assertThat(Names.requireName("emails", "queue")).isEqualTo("emails");
        assertThatThrownBy(() -> Names.requireName("e mails", "queue"))
                .isInstanceOf(InvalidJobException.class)
                .hasMessage("queue may only contain letters, digits and . _ : - (was 'e mails')");
    }
}
