package io.quarkiverse.shigoto.runtime.queue;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;

import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Dependencies;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

/**
 * The {@link JobContext} of the attempt running in the current request context; the executor fills it in right
 * after activating the context.
 */
@RequestScoped
public class CurrentJob implements JobContext {

    private RunningAttempt attempt;
    private Dependencies dependencies;
    private Map<String, Object> meta;
    private Map<Long, Object> dependencyResults;

    void set(RunningAttempt attempt, Dependencies dependencies) {
        this.attempt = attempt;
        this.dependencies = dependencies;
    }

    private RunningAttempt running() {
        if (attempt == null) {
            throw new IllegalStateException("JobContext is only available while a shigoto worker runs");
        }
        return attempt;
    }

    private ClaimedJob job() {
        return running().job();
    }

    @Override
    public long id() {
        return job().id();
    }

    @Override
    public String kind() {
        return job().kind();
    }

    @Override
    public String queue() {
        return job().queue();
    }

    @Override
    public int priority() {
        return job().priority();
    }

    @Override
    public int attempt() {
        return job().attempt();
    }

    @Override
    public int maxAttempts() {
        return job().maxAttempts();
    }

    @Override
    public List<String> tags() {
        return job().tags();
    }

    @Override
    public Map<String, Object> meta() {
        if (meta == null) {
            try {
                meta = JsonCodec.readObject(job().metaJson());
            } catch (IllegalArgumentException e) {
                meta = Map.of();
            }
        }
        return meta;
    }

    @Override
    public String partitionKey() {
        return job().partitionKey();
    }

    @Override
    public Instant insertedAt() {
        return job().insertedAt();
    }

    @Override
    public Instant scheduledAt() {
        return job().scheduledAt();
    }

    @Override
    public String node() {
        return running().node();
    }

    @Override
    public boolean isCancelled() {
        return running().isCancelled();
    }

    @Override
    public void reportProgress(int percent) {
        running().reportProgress(percent);
    }

    @Override
    public Map<Long, Object> dependencyResults() {
        if (dependencyResults == null) {
            long id = id();
            Map<Long, Object> results = new LinkedHashMap<>();
            try {
                dependencies.results(id).forEach((parent, json) -> results.put(parent, JsonCodec.readValue(json)));
            } catch (SQLException e) {
                throw new ShigotoException("could not read the dependency results of job " + id + ": "
                        + e.getMessage(), e);
            }
            dependencyResults = Collections.unmodifiableMap(results);
        }
        return dependencyResults;
    }
}
