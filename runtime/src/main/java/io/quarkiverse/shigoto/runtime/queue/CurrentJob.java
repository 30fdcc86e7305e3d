package io.quarkiverse.shigoto.runtime.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;

import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

/**
 * The {@link JobContext} of the attempt running in the current request context; the executor fills it in right
 * after activating the context.
 */
@RequestScoped
public class CurrentJob implements JobContext {

    private ClaimedJob job;
    private String node;
    private Map<String, Object> meta;

    void set(ClaimedJob job, String node) {
        this.job = job;
        this.node = node;
    }

    private ClaimedJob job() {
        if (job == null) {
            throw new IllegalStateException("JobContext is only available while a shigoto worker runs");
        }
        return job;
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
        job();
        return node;
    }
}
