package io.quarkiverse.shigoto.runtime.dashboard;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a form the body parser refused (more fields than {@code quarkus.http.limits.max-form-fields}, a body too
 * large, a malformed encoding) with its {@code 4xx} and a message saying what was wrong. It is the client's mistake,
 * so it is logged at DEBUG, not as the server error Quarkus's default failure handler would log.
 */
final class FormFailures implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(FormFailures.class);

    @Override
    public void handle(RoutingContext rc) {
        int status = rc.statusCode();
        Throwable failure = rc.failure();
        boolean tooMany = failure instanceof HttpPostRequestDecoder.TooManyFormFieldsException;
        if (!tooMany && (status < 400 || status >= 500)) {
            rc.next();
            return;
        }
        LOG.debugf("refused a dashboard form post to %s: %s", rc.normalizedPath(), failure);
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        String why = tooMany ? "the form has more fields than the server accepts (quarkus.http.limits.max-form-fields):"
                + " select at most " + ActionRoute.MAX_SELECTED + " jobs, or act on a filter"
                : status == 413 ? "the form is larger than the server accepts" : "the form could not be read";
        rc.response().setStatusCode(tooMany ? 400 : status).putHeader("Content-Type", "text/plain; charset=UTF-8")
                .end(why);
    }
}
