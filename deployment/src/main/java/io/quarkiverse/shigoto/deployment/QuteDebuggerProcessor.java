package io.quarkiverse.shigoto.deployment;

import java.util.Optional;

import org.jboss.logging.Logger;

import io.quarkus.arc.deployment.ExcludedTypeBuildItem;
import io.quarkus.deployment.IsLocalDevelopment;
import io.quarkus.deployment.annotations.BuildStep;

/**
 * Keeps dev mode starting when Qute's template debugger is not on the class path.
 * <p>
 * The runtime module depends on {@code quarkus-qute} without its dev-mode-only conditional dependency
 * {@code io.quarkus.qute:qute-debug}: that artifact is not published for every Quarkus version, and a dependency that
 * cannot be resolved stops {@code quarkus:dev} before anything starts. Qute still registers its debugger's engine
 * observer in dev mode, and that class cannot even be loaded without {@code qute-debug}; this step leaves the observer
 * out of the bean archive exactly when the debugger is absent, so an application that brings {@code qute-debug} itself
 * (by depending on {@code quarkus-qute} directly) keeps its template debugger.
 */
class QuteDebuggerProcessor {

    private static final Logger LOG = Logger.getLogger(QuteDebuggerProcessor.class);

    static final String OBSERVER = "io.quarkus.qute.runtime.debug.DebugQuteEngineObserver";
    static final String DEBUGGER = "io.quarkus.qute.debug.adapter.RegisterDebugServerAdapter";

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    Optional<ExcludedTypeBuildItem> leaveOutAbsentDebugger() {
        if (present(DEBUGGER)) {
            return Optional.empty();
        }
        LOG.debugf("Qute's template debugger (io.quarkus.qute:qute-debug) is not on the class path; %s is left out",
                OBSERVER);
        return Optional.of(new ExcludedTypeBuildItem(OBSERVER));
    }

    /** @return whether the application's class loader can see the class, without initialising it */
    static boolean present(String className) {
        try {
            Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
