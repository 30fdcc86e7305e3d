package io.quarkiverse.shigoto.runtime.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongPredicate;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobFilter;
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
    /**
     * The most jobs one selection may name; more is a job for a filter. Below Quarkus's default limit of 256 form
     * fields ({@code quarkus.http.limits.max-form-fields}), so that this limit, not the body parser's, explains itself.
     */
    static final int MAX_SELECTED = 200;

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
        Result result;
        try {
            result = perform(rc.pathParam("action"), rc.request(), Arc.container().instance(Shigoto.class).get());
        } catch (InvalidJobException | IllegalArgumentException e) {
            result = refused(e.getMessage());
        } catch (ShigotoException e) {
            LOG.errorf(e, "dashboard action %s failed", rc.pathParam("action"));
            result = new Result("Failed: " + e.getMessage(), Forms.FAILED);
        }
        if (result == null) {
            refuse(rc, 404, "no such action");
            return;
        }
        String back = ReturnAddress.within(base, rc.request().getFormAttribute("return"));
        rc.response().setStatusCode(303).putHeader("Location", back + (back.contains("?") ? "&" : "?") + "flash="
                + URLEncoder.encode(result.message(), StandardCharsets.UTF_8)
                + (result.notice() == null ? "" : "&notice=" + result.notice())).end();
    }

    /**
     * What an action did, for the page it returns to.
     *
     * @param message what happened
     * @param notice {@code null} when done, else a {@link Forms} notice
     */
    record Result(String message, String notice) {
    }

    /** @return a refusal: bad input, or a state that does not allow the action (what a 4xx says) */
    private static Result refused(String why) {
        return new Result("Not done: " + why, Forms.REFUSED);
    }

    /** @return what happened, or {@code null} for an unknown action */
    private static Result perform(String action, HttpServerRequest form, Shigoto shigoto) {
        switch (action) {
            case "cancel":
            case "retry":
            case "snooze":
            case "delete":
                return single(action, form, shigoto);
            case "bulk-cancel":
                return bulk("cancel", form, f -> "Cancelled " + shigoto.cancelBy(f) + " jobs");
            case "bulk-retry":
                return bulk("retry", form, f -> "Retrying " + shigoto.retryBy(f) + " jobs");
            case "bulk-delete":
                return bulk("delete", form, f -> "Deleted " + shigoto.deleteBy(f) + " jobs");
            case "selected-cancel":
                return each(form, shigoto::cancel, "Cancelled ", "cancel");
            case "selected-retry":
                return each(form, shigoto::retry, "Retrying ", "retry");
            case "selected-delete":
                return each(form, shigoto::delete, "Deleted ", "delete");
            case "pause":
                shigoto.pauseQueue(form.getFormAttribute("queue"));
                return new Result("Paused queue " + form.getFormAttribute("queue"), null);
            case "resume":
                shigoto.resumeQueue(form.getFormAttribute("queue"));
                return new Result("Resumed queue " + form.getFormAttribute("queue"), null);
            case "scale":
                int concurrency = Inputs.concurrency(form.getFormAttribute("concurrency"));
                shigoto.scaleQueue(form.getFormAttribute("queue"), concurrency);
                return new Result("Queue " + form.getFormAttribute("queue") + " now runs " + concurrency
                        + " at once per node", null);
            case "breaker-reset":
                String kind = Inputs.kind(form.getFormAttribute("kind"));
                return shigoto.resetCircuitBreaker(kind) ? new Result("Closed the circuit breaker of " + kind, null)
                        : refused("the circuit breaker of " + kind + " is closed already");
            case "reencrypt":
                return Arc.container().instance(ReencryptionRuns.class).get().start()
                        ? new Result("Re-encryption started: its progress is on this page", null)
                        : refused("a re-encryption is already running on this node");
            default:
                return null;
        }
    }

    private static Result single(String action, HttpServerRequest form, Shigoto shigoto) {
        long id = Inputs.id(form.getFormAttribute("id"));
        Duration delay = action.equals("snooze") ? Inputs.snooze(form.getFormAttribute("seconds")) : null;
        JobActions.Outcome outcome = JobActions.perform(shigoto, action, id, () -> delay);
        if (!outcome.done()) {
            return refused(outcome.refusal());
        }
        return new Result(switch (action) {
            case "cancel" -> "Cancelled job " + id;
            case "retry" -> "Retrying job " + id;
            case "snooze" -> "Snoozed for " + delay.toSeconds() + " s: job " + id;
            default -> "Deleted job " + id;
        }, null);
    }

    /** A filter naming a state the action does not change is refused rather than answered "0 jobs". */
    private static Result bulk(String action, HttpServerRequest form, Function<JobFilter, String> act) {
        JobsFilter filter = JobsFilter.from(form);
        JobFilter jobs = BulkAction.filter(filter);
        if (filter.state() != null && !JobActions.ALLOWED.get(action).contains(filter.state())) {
            return refused("the filter selects " + filter.state() + " jobs; " + action + " needs "
                    + JobActions.states(action) + " jobs");
        }
        return new Result(act.apply(jobs), null);
    }

    /** @return on how many of the posted ids the action changed something, and how many it refused */
    private static Result each(HttpServerRequest form, LongPredicate action, String done, String name) {
        List<String> ids = form.formAttributes().getAll("id");
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no job selected");
        }
        if (ids.size() > MAX_SELECTED) {
            throw new IllegalArgumentException("at most " + MAX_SELECTED + " jobs can be selected; use the filter");
        }
        List<Long> parsed = ids.stream().map(Inputs::id).toList();
        int changed = 0;
        for (long id : parsed) {
            changed += action.test(id) ? 1 : 0;
        }
        int refused = parsed.size() - changed;
        String message = done + changed + " of the selected jobs";
        if (refused == 0) {
            return new Result(message, null);
        }
        return new Result(message + "; refused " + refused + " (" + name + " needs a " + JobActions.states(name)
                + " job that exists)", Forms.REFUSED);
    }

    private static void refuse(RoutingContext rc, int status, String why) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=UTF-8").end(why);
    }
}
