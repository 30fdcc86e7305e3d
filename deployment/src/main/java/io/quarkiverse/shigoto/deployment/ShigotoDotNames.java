package io.quarkiverse.shigoto.deployment;

import org.jboss.jandex.DotName;

import io.quarkiverse.shigoto.CircuitBreaker;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.RateLimit;
import io.quarkiverse.shigoto.ReactiveJobMiddleware;
import io.quarkiverse.shigoto.ReactiveWorker;
import io.quarkiverse.shigoto.TypedReactiveWorker;
import io.quarkiverse.shigoto.TypedWorker;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.Worker;

/**
 * The names the build steps look for in the index.
 */
final class ShigotoDotNames {

    static final DotName JOB = DotName.createSimple(Job.class);
    static final DotName UNIQUE = DotName.createSimple(Unique.class);
    static final DotName JOB_WORKER = DotName.createSimple(JobWorker.class);
    static final DotName WORKER = DotName.createSimple(Worker.class);
    static final DotName REACTIVE_WORKER = DotName.createSimple(ReactiveWorker.class);
    static final DotName TYPED_WORKER = DotName.createSimple(TypedWorker.class);
    static final DotName TYPED_REACTIVE_WORKER = DotName.createSimple(TypedReactiveWorker.class);
    static final DotName MAP = DotName.createSimple(java.util.Map.class);
    static final DotName JSON_CREATOR = DotName.createSimple("com.fasterxml.jackson.annotation.JsonCreator");
    static final DotName JOB_MIDDLEWARE = DotName.createSimple(JobMiddleware.class);
    static final DotName REACTIVE_JOB_MIDDLEWARE = DotName.createSimple(ReactiveJobMiddleware.class);
    static final DotName PRIORITY = DotName.createSimple("jakarta.annotation.Priority");
    static final DotName DEPENDENT = DotName.createSimple("jakarta.enterprise.context.Dependent");
    static final DotName RATE_LIMIT = DotName.createSimple(RateLimit.class);
    static final DotName CIRCUIT_BREAKER = DotName.createSimple(CircuitBreaker.class);

    private ShigotoDotNames() {
    }
}
