package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.shigoto.CronView;
import io.quarkiverse.shigoto.Shigoto;
import io.vertx.ext.web.RoutingContext;

/** The cron entries with their schedule, last and next run. */
final class CronRoute extends DashboardRoute {

    CronRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) {
        Instant now = data.clock().instant();
        List<CronRow> rows = new ArrayList<>();
        for (CronView v : shigoto.cronEntries()) {
            rows.add(CronRow.of(v, now));
        }
        return DashboardPages.cron(base, forms(rc), "", rows).render();
    }
}
