package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.List;

import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.runtime.store.StateCount;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The dashboard's pages, type-checked at build time against {@code templates/shigoto/}.
 */
@CheckedTemplate(basePath = "shigoto")
final class DashboardPages {

    private DashboardPages() {
    }

    /**
     * @param base the dashboard's absolute path, for links
     * @param states estimated job counts by state
     * @param queues every queue the cluster knows
     */
    static native TemplateInstance overview(String base, List<StateCount> states, List<QueueView> queues);
}
