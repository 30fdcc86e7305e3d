package io.quarkiverse.shigoto.deployment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.runtime.config.DashboardConfig;
import io.quarkiverse.shigoto.runtime.devui.ShigotoJsonRpcService;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.IsLocalDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;

/**
 * The Dev UI card: every discovered {@code @Job} worker with its options; the queues with pause and resume, the cron
 * entries with "insert now", the newest failed jobs with retry and a form inserting a test job (over the Dev UI's
 * JSON-RPC channel, {@link ShigotoJsonRpcService}); and a link to the dashboard.
 */
class DevUiProcessor {

    @BuildStep(onlyIf = IsDevelopment.class)
    CardPageBuildItem card(List<WorkerBuildItem> workers, DashboardConfig dashboard, HttpRootPathBuildItem root) {
        List<WorkerDefinition> definitions = new ArrayList<>();
        workers.forEach(w -> definitions.add(w.definition()));
        CardPageBuildItem card = new CardPageBuildItem();
        card.addBuildTimeData("workers", rows(definitions));
        card.addPage(Page.tableDataPageBuilder("Workers").icon("font-awesome-solid:briefcase")
                .buildTimeDataKey("workers").staticLabel(String.valueOf(definitions.size())).showColumn("kind")
                .showColumn("class").showColumn("queue").showColumn("priority").showColumn("maxAttempts")
                .showColumn("timeout").showColumn("tags").showColumn("options"));
        card.addPage(Page.webComponentPageBuilder().title("Queues").icon("font-awesome-solid:layer-group")
                .componentLink("qwc-shigoto-queues.js"));
        card.addPage(Page.webComponentPageBuilder().title("Cron").icon("font-awesome-solid:clock")
                .componentLink("qwc-shigoto-cron.js"));
        card.addPage(Page.webComponentPageBuilder().title("Failed jobs").icon("font-awesome-solid:triangle-exclamation")
                .componentLink("qwc-shigoto-failed.js"));
        card.addPage(Page.webComponentPageBuilder().title("Insert a job").icon("font-awesome-solid:plus")
                .componentLink("qwc-shigoto-insert.js"));
        if (dashboard.enabled()) {
            String base = root.relativePath(dashboard.path());
            card.addPage(Page.externalPageBuilder("Dashboard").icon("font-awesome-solid:gauge").url(base, base)
                    .isHtmlContent().doNotEmbed());
        }
        return card;
    }

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    JsonRPCProvidersBuildItem actions() {
        return new JsonRPCProvidersBuildItem(ShigotoJsonRpcService.class);
    }

    /** @return one row per worker, in kind order, with every option a person needs to see */
    static List<Map<String, Object>> rows(List<WorkerDefinition> workers) {
        List<Map<String, Object>> rows = new ArrayList<>(workers.size());
        for (WorkerDefinition w : workers) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", w.kind());
            row.put("class", w.beanClass());
            row.put("queue", w.queue());
            row.put("priority", w.priority());
            row.put("maxAttempts", w.maxAttempts());
            row.put("timeout", Duration.ofMillis(w.timeoutMillis()).toString());
            row.put("tags", String.join(", ", w.tags()));
            row.put("options", options(w));
            rows.add(row);
        }
        return rows;
    }

    private static String options(WorkerDefinition w) {
        List<String> options = new ArrayList<>();
        if (w.reactive()) {
            options.add("reactive");
        }
        if (w.unique() != null) {
            options.add("unique");
        }
        if (w.concurrency() > 0) {
            options.add("concurrency " + w.concurrency());
        }
        if (w.rateLimit() > 0) {
            options.add("rate " + w.rateLimit() + " per " + Duration.ofMillis(w.ratePerMillis()));
        }
        if (w.cron() != null) {
            options.add("cron " + w.cron() + (w.cronTimezone() == null ? "" : " " + w.cronTimezone()));
        }
        if (!w.middleware().isEmpty()) {
            options.add("middleware " + String.join(", ", w.middleware()));
        }
        return String.join("; ", options);
    }
}
