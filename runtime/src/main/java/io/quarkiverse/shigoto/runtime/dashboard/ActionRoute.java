package io.quarkiverse.shigoto.runtime.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkus.arc.Arc;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Every state change the dashboard offers, as form posts to {@code <base>/actions/<action>}. Each is checked for
 * read-only mode and the CSRF token (the caller's roles already were, by {@link DashboardGuard}), done through the
 * {@link Shigoto} client (so cluster-wide effects such as interrupting a running job happen as for any caller), then
 * answered with a redirect back to the page it came from carrying a message of what happened.
 */
final class ActionRoute implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(ActionRoute.class);
    /** The most jobs one selection may name; more is a job for a filter. */
    static final int MAX_SELECTED = 500;

    private final String base;
    private final DashboardAccess access;

    ActionRoute(String base, DashboardAccess access) {
        this.base = base;
        this.access = access;
    }

    @Override
    public void handle(RoutingContext rc) {
        if (rc.request().method() != HttpMethod.POST) {
            rc.response().putHeader("Allow", "POST");
            refuse(rc, 405, "dashboard actions are form posts");
            return;
        }
        if (access.readOnly()) {
            refuse(rc, 403, "the shigoto dashboard is read-only");
            return;
        }
        if (!access.genuine(rc)) {
            refuse(rc, 403, "missing or wrong CSRF token: reload the page and try again");
            return;
        }
        String message;
        try {
            message = perform(rc.pathParam("action"), rc.request(), Arc.container().instance(Shigoto.class).get());
        } catch (InvalidJobException | IllegalArgumentException e) {
            message = "Not done: " + e.getMessage();
        } catch (ShigotoException e) {
            LOG.errorf(e, "dashboard action %s failed", rc.pathParam("action"));
            message = "Failed: " + e.getMessage();
        }
        if (message == null) {
            refuse(rc, 404, "no such action");
            return;
        }
        String back = back(rc.request().getFormAttribute("return"));
        rc.response().setStatusCode(303).putHeader("Location", back + (back.contains("?") ? "&" : "?") + "flash="
                + URLEncoder.encode(message, StandardCharsets.UTF_8)).end();
    }

    /** @return what happened, or {@code null} for an unknown action */
    private static String perform(String action, HttpServerRequest form, Shigoto shigoto) {
        switch (action) {
            case "cancel":
                return done(shigoto.cancel(id(form)), "Cancelled job ", form);
            case "retry":
                return done(shigoto.retry(id(form)), "Retrying job ", form);
            case "snooze":
                Duration delay = Duration.ofSeconds(number(form, "seconds"));
                return done(shigoto.snooze(id(form), delay), "Snoozed for " + delay.toSeconds() + " s: job ", form);
            case "delete":
                return done(shigoto.delete(id(form)), "Deleted job ", form);
            case "bulk-cancel":
                return "Cancelled " + shigoto.cancelBy(BulkAction.filter(JobsFilter.from(form))) + " jobs";
            case "bulk-retry":
                return "Retrying " + shigoto.retryBy(BulkAction.filter(JobsFilter.from(form))) + " jobs";
            case "bulk-delete":
                return "Deleted " + shigoto.deleteBy(BulkAction.filter(JobsFilter.from(form))) + " jobs";
            case "selected-cancel":
                return "Cancelled " + each(form, shigoto::cancel) + " of the selected jobs";
            case "selected-retry":
                return "Retrying " + each(form, shigoto::retry) + " of the selected jobs";
            case "selected-delete":
                return "Deleted " + each(form, shigoto::delete) + " of the selected jobs";
            case "pause":
                shigoto.pauseQueue(form.getFormAttribute("queue"));
                return "Paused queue " + form.getFormAttribute("queue");
            case "resume":
                shigoto.resumeQueue(form.getFormAttribute("queue"));
                return "Resumed queue " + form.getFormAttribute("queue");
            case "scale":
                int concurrency = (int) number(form, "concurrency");
                shigoto.scaleQueue(form.getFormAttribute("queue"), concurrency);
                return "Queue " + form.getFormAttribute("queue") + " now runs " + concurrency + " at once per node";
            default:
                return null;
        }
    }

    /** @return on how many of the posted ids the action changed something */
    private static int each(HttpServerRequest form, java.util.function.LongPredicate action) {
        List<String> ids = form.formAttributes().getAll("id");
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no job selected");
        }
        if (ids.size() > MAX_SELECTED) {
            throw new IllegalArgumentException("at most " + MAX_SELECTED + " jobs can be selected; use the filter");
        }
        int changed = 0;
        for (String id : ids) {
            try {
                changed += action.test(Long.parseLong(id.trim())) ? 1 : 0;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("id must be a whole number, was '" + id + "'");
            }
        }
        return changed;
    }

    private static String done(boolean changed, String what, HttpServerRequest form) {
        return changed ? what + id(form) : "Nothing to do: job " + id(form) + " is not in a state that allows it";
    }

    private static long id(HttpServerRequest form) {
        return number(form, "id");
    }

    private static long number(HttpServerRequest form, String name) {
        String v = form.getFormAttribute(name);
        try {
            return Long.parseLong(v == null ? "" : v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + v + "'");
        }
    }

    /** @return the page to return to: one of the dashboard's own, never another site */
    private String back(String requested) {
        if (requested != null && requested.startsWith(base + "/") && !requested.startsWith(base + "//")
                || base.equals(requested)) {
            return requested;
        }
        return base.isEmpty() ? "/" : base;
    }

    private static void refuse(RoutingContext rc, int status, String why) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=UTF-8").end(why);
    }
}
