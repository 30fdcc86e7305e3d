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
import io.quarkiverse.shigoto.runtime.worker.TypedArgs;

/**
 * The {@link JobContext} of the attempt running in the current request context; the executor fills it in right
 * after activating the context.
 */
@RequestScoped
public class CurrentJob implements JobContext {

    private RunningAttempt attempt;
    private AttemptSink.DependencyResults dependencies;
    private TypedArgs json;
    private Map<String, Object> meta;
    private Map<String, Object> argsMap;
    private Map<Long, Object> dependencyResults;
    private Map<String, Object> stepResults;
    private List<Dependencies.Result> stored;

    /** @param json reads typed dependency results (the application's {@code ObjectMapper}) */
    void set(RunningAttempt attempt, AttemptSink.DependencyResults dependencies, TypedArgs json) {
        this.attempt = attempt;
        this.dependencies = dependencies;
        this.json = json;
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
    @SuppressWarnings("unchecked")
    public Map<String, Object> args() {
        if (argsMap == null) {
            Object args = running().args();
            argsMap = args instanceof Map<?, ?> map ? (Map<String, Object>) map : JsonCodec.readObject(job().argsJson());
        }
        return argsMap;
    }

    @Override
    public <T> T args(Class<T> type) {
        if (type == null) {
            throw new IllegalArgumentException("the type to read the args as must not be null");
        }
        Object args = running().args();
        if (type.isInstance(args)) {
            return type.cast(args);
        }
        if (type == Map.class) {
            return type.cast(args());
        }
        return type.cast(json.read(job().argsJson(), type, job().kind()));
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
            Map<Long, Object> results = new LinkedHashMap<>();
            for (Dependencies.Result r : stored()) {
                results.put(r.id(), r.json() == null ? null : JsonCodec.readValue(r.json()));
            }
            dependencyResults = Collections.unmodifiableMap(results);
        }
        return dependencyResults;
    }

    @Override
    public <T> T dependencyResult(long dependencyId, Class<T> type) {
        requireType(type, "a dependency result");
        for (Dependencies.Result r : stored()) {
            if (r.id() == dependencyId) {
                return r.json() == null ? null : type.cast(json.readResult(r.json(), type, dependencyId));
            }
        }
        return null;
    }

    @Override
    public Map<String, Object> stepResults() {
        if (stepResults == null) {
            Map<String, Object> results = new LinkedHashMap<>();
            for (Dependencies.Result r : stored()) {
                if (r.step() != null) {
                    results.put(r.step(), r.json() == null ? null : JsonCodec.readValue(r.json()));
                }
            }
            stepResults = Collections.unmodifiableMap(results);
        }
        return stepResults;
    }

    @Override
    public <T> T stepResult(String step, Class<T> type) {
        requireType(type, "a step result");
        if (step == null) {
            throw new IllegalArgumentException("the step to read the result of must not be null");
        }
        for (Dependencies.Result r : stored()) {
            if (step.equals(r.step())) {
                return r.json() == null ? null : type.cast(json.readResult(r.json(), type, r.id()));
            }
        }
        throw new IllegalArgumentException("job " + id() + " does not come after a step named '" + step
                + "'; the steps it comes after: " + stored().stream().map(Dependencies.Result::step)
                        .filter(s -> s != null).toList());
    }

    private static void requireType(Class<?> type, String what) {
        if (type == null) {
            throw new IllegalArgumentException("the type to read " + what + " as must not be null");
        }
    }

    /** @return the stored results of the job's dependencies, read once per attempt */
    private List<Dependencies.Result> stored() {
        if (stored == null) {
            long id = id();
            try {
                stored = List.copyOf(dependencies.results(id));
            } catch (SQLException e) {
                throw new ShigotoException("could not read the dependency results of job " + id + ": "
                        + e.getMessage(), e);
            }
        }
        return stored;
    }

}
