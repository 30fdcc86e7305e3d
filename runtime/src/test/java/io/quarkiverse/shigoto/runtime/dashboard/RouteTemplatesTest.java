package io.quarkiverse.shigoto.runtime.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTemplatesTest {

    @Test
    void idsNamesAndOtherValuesBecomeParameters() {
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/api/jobs/42")).isEqualTo("/shigoto/api/jobs/{id}");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/api/jobs/abc/retry"))
                .isEqualTo("/shigoto/api/jobs/{id}/retry");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/jobs/7")).isEqualTo("/shigoto/jobs/{id}");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/jobs/confirm")).isEqualTo("/shigoto/jobs/confirm");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/queues/emails")).isEqualTo("/shigoto/queues/{name}");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/api/queues/jobs/pause"))
                .isEqualTo("/shigoto/api/queues/{name}/pause");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/api/queues/emails/frobnicate"))
                .isEqualTo("/shigoto/api/queues/{name}/{value}");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/actions/selected-cancel"))
                .isEqualTo("/shigoto/actions/selected-cancel");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/actions/x1")).isEqualTo("/shigoto/actions/{action}");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/static/shigoto.css")).isEqualTo("/shigoto/static/{name}");
    }

    @Test
    void fixedPathsStayAndDeepPathsFold() {
        assertThat(RouteTemplates.of("/shigoto", "/shigoto")).isEqualTo("/shigoto");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/")).isEqualTo("/shigoto");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/api/events")).isEqualTo("/shigoto/api/events");
        assertThat(RouteTemplates.of("/shigoto", "/shigoto/a/b/c/d/e/f"))
                .isEqualTo("/shigoto/{value}/{value}/{value}/{value}/{rest}");
        assertThat(RouteTemplates.of("/shigoto", "/shigotox/jobs")).isNull();
        assertThat(RouteTemplates.of("/shigoto", "/q/metrics")).isNull();
    }
}
