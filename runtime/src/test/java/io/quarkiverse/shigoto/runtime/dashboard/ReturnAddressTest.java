package io.quarkiverse.shigoto.runtime.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReturnAddressTest {

    @Test
    void dotSegmentsAreResolvedBeforeThePrefixIsChecked() {
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/../q/metrics")).isEqualTo("/shigoto");
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/jobs/../../q/metrics")).isEqualTo("/shigoto");
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/./..")).isEqualTo("/shigoto");
        assertThat(ReturnAddress.within("/shigoto", "/../shigoto/jobs")).isEqualTo("/shigoto");
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/queues/../jobs")).isEqualTo("/shigoto/jobs");
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/jobs/.")).isEqualTo("/shigoto/jobs/");
    }

    @Test
    void encodedDotsAndSlashesCountAsWhatTheyDecodeTo() {
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/%2e%2e/q/metrics")).isEqualTo("/shigoto");
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/%2E%2e/q")).isEqualTo("/shigoto");
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/.%2e/q")).isEqualTo("/shigoto");
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/..%2fq")).isEqualTo("/shigoto");
        assertThat(ReturnAddress.within("/shigoto", "/shigoto%2f..%2fq")).isEqualTo("/shigoto");
        // decoded once and encoded again: a doubly encoded dot stays a literal "%2e" for the browser
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/%252e%252e/q")).isEqualTo("/shigoto/%252e%252e/q");
    }

    @Test
    void otherSitesSchemesBackslashesAndNeighbouringPathsFallBackToTheOverview() {
        for (String escape : new String[] { "https://evil.example/shigoto", "//evil.example/shigoto", "/shigoto//evil",
                "/shigoto\\..\\q", "/shigotoevil", "javascript:alert(1)", "shigoto/jobs", "/shigoto/jobs\n/x", "",
                "/shigoto/jobs?x=%zz" }) {
            assertThat(ReturnAddress.within("/shigoto", escape)).as(escape).isEqualTo("/shigoto");
        }
        assertThat(ReturnAddress.within("/shigoto", null)).isEqualTo("/shigoto");
    }

    @Test
    void aDashboardPageKeepsItsQuery() {
        assertThat(ReturnAddress.within("/shigoto", "/shigoto")).isEqualTo("/shigoto");
        assertThat(ReturnAddress.within("/shigoto", "/shigoto/jobs?tag=a%26b&state=completed"))
                .isEqualTo("/shigoto/jobs?tag=a%26b&state=completed");
        assertThat(ReturnAddress.within("/app/shigoto", "/app/shigoto/jobs/5")).isEqualTo("/app/shigoto/jobs/5");
        assertThat(ReturnAddress.within("/app/shigoto", "/shigoto/jobs/5")).isEqualTo("/app/shigoto");
    }
}
