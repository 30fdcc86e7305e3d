package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.Shigoto;
import io.quarkus.arc.Arc;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * One page of the dashboard. Pages read the database, so their routes are blocking; a page answers HTML, a 404 for
 * what does not exist, and a 500 (logged) for anything else.
 */
abstract class DashboardRoute implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(DashboardRoute.class);

    /** What a page could not find (a job id that names no job). */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    protected final String base;
    protected final DashboardAccess access;

    DashboardRoute(String base, DashboardAccess access) {
        this.base = base;
        this.access = access;
    }

    /** @return the page's HTML */
    abstract String render(RoutingContext rc, DashboardData data, Shigoto shigoto) throws SQLException;

    /**
     * @param params the stream's parameters ({@code watch=job&id=5})
     * @param key the same as {@link LiveRoute#watchKey} reads them ({@code job:5})
     * @return the query of the page's live event stream, with the fingerprint of what it shows now
     */
    static String live(DashboardData data, String params, String key) throws SQLException {
        return LiveRoute.query(params, fingerprint(data, key));
    }

    /** @return the fingerprint of what a page watching {@code key} shows ({@code batch:5}, {@code job:5}, ...) */
    static String fingerprint(DashboardData data, String key) throws SQLException {
        if (key.startsWith("batch:")) {
            return data.store().batches().fingerprint(Long.parseLong(key.substring("batch:".length())));
        }
        return data.store().dashboard().fingerprint(key);
    }

    /** @return the path's {@code id}, which names a {@code what} ("job", "batch", ...) */
    static long pathId(RoutingContext rc, String what) {
        String raw = rc.pathParam("id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new NotFound("'" + Excerpt.of(String.valueOf(raw)).text() + "' is not a " + what + " id");
        }
    }

    /** @return what the page needs to offer actions: the CSRF token, or {@code null} in read-only mode */
    Forms forms(RoutingContext rc) {
        return new Forms(access.readOnly() ? null : access.token(rc), rc.request().getParam("flash"),
                Forms.notice(rc.request().getParam("notice")));
    }

    @Override
    public final void handle(RoutingContext rc) {
        try {
            String html = render(rc, Arc.container().instance(DashboardData.class).get(),
                    Arc.container().instance(Shigoto.class).get());
            rc.response().putHeader("Content-Type", "text/html; charset=UTF-8").putHeader("Cache-Control", "no-store")
                    .end(html);
        } catch (NotFound e) {
            rc.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=UTF-8")
                    .end(e.getMessage());
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "the shigoto dashboard could not render %s", rc.request().path());
            rc.fail(500, e);
        }
    }
}
