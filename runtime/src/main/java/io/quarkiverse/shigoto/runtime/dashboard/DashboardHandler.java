package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.ShigotoRuntime;
import io.quarkiverse.shigoto.runtime.store.StateCount;
import io.quarkus.arc.Arc;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Renders the overview page. Registered as a blocking route: it reads the database.
 */
public final class DashboardHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(DashboardHandler.class);

    private final String base;

    public DashboardHandler(String base) {
        this.base = base;
    }

    @Override
    public void handle(RoutingContext rc) {
        try {
            ShigotoRuntime runtime = Arc.container().instance(ShigotoRuntime.class).get();
            Shigoto shigoto = Arc.container().instance(Shigoto.class).get();
            List<StateCount> states = runtime.store().dashboard().stateCounts();
            String html = DashboardPages.overview(base, states, shigoto.queues()).render();
            rc.response().putHeader("Content-Type", "text/html; charset=UTF-8")
                    .putHeader("Cache-Control", "no-store").end(html);
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "the shigoto dashboard could not render %s", rc.request().path());
            rc.fail(500, e);
        }
    }
}
