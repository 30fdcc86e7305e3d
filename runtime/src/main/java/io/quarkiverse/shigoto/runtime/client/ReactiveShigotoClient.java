package io.quarkiverse.shigoto.runtime.client;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.ReactiveShigoto;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.ShigotoRuntime;
import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The reactive client. Inside a Hibernate Reactive transaction it inserts through that transaction; everywhere else
 * it runs the blocking client on a worker thread, so it never blocks the event loop.
 */
@Singleton
public class ReactiveShigotoClient implements ReactiveShigoto {

    private final ShigotoRuntime runtime;
    private final Shigoto blocking;
    private final Instance<ReactiveTransactionJoin> join;

    @Inject
    public ReactiveShigotoClient(ShigotoRuntime runtime, Shigoto blocking, Instance<ReactiveTransactionJoin> join) {
        this.runtime = runtime;
        this.blocking = blocking;
        this.join = join;
    }

    @Override
    public Uni<JobView> insert(JobRequest request) {
        return insertAll(List.of(request)).map(views -> views.get(0));
    }

    @Override
    public Uni<List<JobView>> insertAll(List<JobRequest> requests) {
        return Uni.createFrom().deferred(() -> {
            if (requests.isEmpty()) {
                return Uni.createFrom().item(List.<JobView> of());
            }
            if (join.isResolvable()) {
                Instant now = runtime.clock().instant();
                List<NewJob> jobs = JobRequests.resolve(runtime.catalog(), requests, now);
                Uni<long[]> joined = join.get().insertInCurrentTransaction(jobs, now,
                        () -> runtime.insertNotifier().queuesToNotify(JobRequests.queues(jobs)));
                if (joined != null) {
                    return joined.map(ids -> JobRequests.views(jobs, ids, now));
                }
            }
            return offloaded(() -> blocking.insertAll(requests));
        });
    }

    @Override
    public Uni<Optional<JobView>> job(long id) {
        return offloaded(() -> blocking.job(id));
    }

    private static <T> Uni<T> offloaded(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
