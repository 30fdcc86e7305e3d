package io.quarkiverse.shigoto;

/**
 * What happens to a job when a job it depends on ends discarded or cancelled (or is deleted before it completed).
 */
public enum DependencyFailure {
    /** the dependent is cancelled too, with an error entry naming the dependency (the default) */
    CANCEL,
    /** the dependent runs anyway, once its other dependencies completed */
    RUN,
    /**
     * the dependent waits, {@code pending}, for the failed dependency to be retried and complete (a person decides:
     * retry the dependency, or cancel the dependent); a dependency deleted before it completed cancels it, as
     * nothing can retry that one
     */
    HOLD
}
