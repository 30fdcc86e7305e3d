package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.List;
import java.util.function.BiConsumer;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets only callers with one of the configured roles reach any dashboard route: pages, actions, the API and the live
 * stream. It runs before the dashboard's body parser, so a refused post is never read, and it answers the refusal
 * itself instead of failing the request: a failed request would reach other extensions' failure handlers, which
 * cannot cope with an HTTP/2 request whose body is already read (a 500 instead of the 401 or 403).
 * <p>
 * An anonymous caller is handed to Quarkus security's own failure handler, which sends the challenge of the
 * configured authentication mechanism (a 401 with {@code WWW-Authenticate}, or a redirect to a login page); an
 * authenticated caller without a role gets a 403.
 */
final class DashboardGuard implements Handler<RoutingContext> {

    private final List<String> roles;

    DashboardGuard(List<String> roles) {
        this.roles = List.copyOf(roles);
    }

    @Override
    public void handle(RoutingContext rc) {
        Uni<SecurityIdentity> identity = QuarkusHttpUser.getSecurityIdentity(rc, null);
        if (identity == null) {
            unauthenticated(rc);
            return;
        }
        Context context = Vertx.currentContext();
        // a lazily authenticated identity may arrive on a worker thread: go on where the request started
        identity.subscribe().with(i -> onContext(context, () -> decide(rc, i)),
                failure -> onContext(context, () -> unauthenticated(rc)));
    }

    private void decide(RoutingContext rc, SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            unauthenticated(rc);
            return;
        }
        for (String role : roles) {
            if (identity.hasRole(role)) {
                rc.next();
                return;
            }
        }
        rc.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=UTF-8")
                .putHeader("Cache-Control", "no-store").end("this user may not use the shigoto dashboard");
    }

    private static void unauthenticated(RoutingContext rc) {
        BiConsumer<RoutingContext, Throwable> security = rc.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER);
        if (security != null) {
            security.accept(rc, new AuthenticationFailedException());
        } else {
            rc.response().setStatusCode(401).putHeader("Cache-Control", "no-store").end();
        }
    }

    private static void onContext(Context context, Runnable step) {
        if (context == null || context == Vertx.currentContext()) {
            step.run();
        } else {
            context.runOnContext(v -> step.run());
        }
    }
}
