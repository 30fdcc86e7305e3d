package io.quarkiverse.shigoto.runtime.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.inject.Any;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.ReactiveJobMiddleware;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.store.KindLimit;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;

/**
 * The dispatch table built at build time: kind to worker options, and the worker and middleware beans behind them.
 * Beans are found through the container's metadata by class name, never by reflection.
 */
public final class WorkerCatalog {

    // hash maps: the executor looks a kind up for every job it runs; the sorted views are built once
    private final Map<String, WorkerDefinition> byKind = new HashMap<>();
    private final Map<String, WorkerDefinition> byClass = new HashMap<>();
    private final Map<String, JobWorker> instances = new ConcurrentHashMap<>();
    private final Map<String, MiddlewareChain> chains = new ConcurrentHashMap<>();
    // by class name: one instance of each middleware, even a @Dependent one, shared by every chain it is in
    private final Map<String, Object> middleware = new ConcurrentHashMap<>();
    private final List<WorkerDefinition> sorted;
    private final Set<String> kinds;
    private final Set<String> queues;
    private volatile List<KindLimit> limits;
    // kind to circuit breaker: the workers' annotations, then this deployment's configuration (useBreakers)
    private volatile Map<String, BreakerSpec> breakers;
    private final Map<String, Class<?>> argsClasses = new ConcurrentHashMap<>();
    private volatile TypedArgs typedArgs;
    private volatile KeyRing keys = KeyRing.NONE;

    public WorkerCatalog(List<WorkerDefinition> definitions) {
        Map<String, WorkerDefinition> sortedByKind = new TreeMap<>();
        Set<String> sortedQueues = new TreeSet<>();
        for (WorkerDefinition d : definitions) {
            byKind.put(d.kind(), d);
            byClass.put(d.beanClass(), d);
            sortedByKind.put(d.kind(), d);
            sortedQueues.add(d.queue());
        }
        this.sorted = List.copyOf(sortedByKind.values());
        this.kinds = Collections.unmodifiableSet(new TreeSet<>(sortedByKind.keySet()));
        this.queues = Collections.unmodifiableSet(sortedQueues);
        Map<String, BreakerSpec> annotated = new HashMap<>();
        for (WorkerDefinition d : sorted) {
            if (d.breaker() != null) {
                annotated.put(d.kind(), d.breaker());
            }
        }
        this.breakers = Map.copyOf(annotated);
        this.limits = limits(sorted, breakers);
    }

    private static List<KindLimit> limits(List<WorkerDefinition> sorted, Map<String, BreakerSpec> breakers) {
        return sorted.stream().filter(d -> limited(d, breakers))
                .map(d -> new KindLimit(d.kind(), d.concurrency(), d.rateLimit(), d.ratePerMillis())).toList();
    }

    private static boolean limited(WorkerDefinition w, Map<String, BreakerSpec> breakers) {
        return w.concurrency() > 0 || w.rateLimit() > 0 || breakers.containsKey(w.kind());
    }

    /**
     * Sets the circuit breakers of this deployment, once the application starts: the workers' annotations changed
     * by {@code quarkus.shigoto.circuit-breakers.*}.
     *
     * @param breakers kind to breaker, for every kind that has one
     */
    public void useBreakers(Map<String, BreakerSpec> breakers) {
        this.breakers = Map.copyOf(breakers);
        this.limits = limits(sorted, this.breakers);
    }

    /** @return the kind's circuit breaker, or {@code null} when it has none */
    public BreakerSpec breaker(String kind) {
        return breakers.get(kind);
    }

    /** @return whether any kind has a circuit breaker */
    public boolean hasBreakers() {
        return !breakers.isEmpty();
    }

    /**
     * @return whether jobs of the worker's kind are claimed under a limit (and so carry a limit key): a concurrency or
     *         rate limit, or a circuit breaker, which the limited claim checks
     */
    public boolean limited(WorkerDefinition w) {
        return limited(w, breakers);
    }

    /**
     * Whether a queue takes an insert now: a queue that sheds load refuses priorities below its floor.
     */
    @FunctionalInterface
    public interface Admission {
        /** Takes every insert. */
        Admission ALL = (queue, priority) -> {
        };

        /** @throws io.quarkiverse.shigoto.QueueOverloadedException when the queue does not take the job now */
        void admit(String queue, int priority);
    }

    private volatile Admission admission = Admission.ALL;

    /** Sets who admits inserts, once the application starts (until then, every insert is taken). */
    public void useAdmission(Admission admission) {
        this.admission = admission;
    }

    /** @return who admits inserts */
    public Admission admission() {
        return admission;
    }

    /** Sets the encryption keys, once the application starts (until then, none). */
    public void useKeys(KeyRing keys) {
        this.keys = keys;
    }

    /** @return the encryption keys of {@code @Job(encrypted = true)} workers' args */
    public KeyRing keys() {
        return keys;
    }

    /** @return the limits of every limited kind, sorted by kind; empty when no worker has a limit */
    public List<KindLimit> limits() {
        return limits;
    }

    /** @return every worker, sorted by kind */
    public Iterable<WorkerDefinition> all() {
        return sorted;
    }

    /** @return every known kind, sorted */
    public Set<String> kinds() {
        return kinds;
    }

    /** @return the default queues of all workers, sorted */
    public Set<String> queues() {
        return queues;
    }

    /** @return the worker of a kind, if this application has one */
    public Optional<WorkerDefinition> byKind(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /**
     * @param kind a kind requested by an insert
     * @return its worker
     * @throws InvalidJobException naming the kind and the known ones
     */
    public WorkerDefinition requireKind(String kind) {
        WorkerDefinition d = byKind.get(kind);
        if (d == null) {
            throw new InvalidJobException("unknown job kind '" + kind + "': no @Job worker of this application has it"
                    + " (known kinds: " + String.join(", ", byKind.keySet()) + ")");
        }
        return d;
    }

    /**
     * @param workerClass a class given to {@code JobRequest.of(Class)}
     * @return its worker
     * @throws InvalidJobException when the class is not a discovered {@code @Job} worker
     */
    public WorkerDefinition requireClass(Class<?> workerClass) {
        WorkerDefinition d = byClass.get(workerClass.getName());
        if (d == null) {
            throw new InvalidJobException(workerClass.getName() + " is not a @Job worker of this application");
        }
        return d;
    }

    /** @return the codec of typed args, on the application's {@code ObjectMapper} (looked up on first use) */
    public TypedArgs typedArgs() {
        TypedArgs t = typedArgs;
        if (t == null) {
            t = typedArgs = new TypedArgs(Arc.container().instance(ObjectMapper.class).get());
        }
        return t;
    }

    /**
     * @param definition a typed worker ({@link WorkerDefinition#typed()})
     * @return the class its args are read as, loaded once; the build checked it exists
     */
    public Class<?> argsClass(WorkerDefinition definition) {
        return argsClasses.computeIfAbsent(definition.argsType(), WorkerCatalog::load);
    }

    private static Class<?> load(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, loader != null ? loader : WorkerCatalog.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the class " + name + " of a shigoto worker is missing", e);
        }
    }

    /**
     * @param definition a worker
     * @return its bean instance
     */
    public JobWorker instance(WorkerDefinition definition) {
        JobWorker worker = instances.get(definition.kind());
        if (worker == null) {
            worker = lookup(definition);
            instances.put(definition.kind(), worker);
        }
        return worker;
    }

    /**
     * @param definition a worker with middleware ({@link WorkerDefinition#middleware()} not empty)
     * @return its middleware chain, resolved on first use
     */
    public MiddlewareChain chain(WorkerDefinition definition) {
        MiddlewareChain chain = chains.get(definition.kind());
        if (chain == null) {
            chain = chains.computeIfAbsent(definition.kind(), kind -> resolve(definition));
        }
        return chain;
    }

    private MiddlewareChain resolve(WorkerDefinition definition) {
        Class<?> type = definition.reactive() ? ReactiveJobMiddleware.class : JobMiddleware.class;
        List<Object> resolved = new ArrayList<>(definition.middleware().size());
        for (String className : definition.middleware()) {
            resolved.add(middleware.computeIfAbsent(className, name -> lookup(type, name, "middleware")));
        }
        return new MiddlewareChain(resolved, definition.middleware());
    }

    /**
     * The worker's bean, selected by its own class: its bean types are parameterized ({@code JobWorker<InvoiceArgs>},
     * {@code JobWorker<Map<String, Object>>}), which CDI never matches to the raw {@code JobWorker}.
     */
    private static JobWorker lookup(WorkerDefinition definition) {
        InstanceHandle<?> handle = Arc.container().instance(load(definition.beanClass()), Any.Literal.INSTANCE);
        if (!handle.isAvailable()) {
            throw new IllegalStateException("no bean found for worker " + definition.beanClass());
        }
        return (JobWorker) handle.get();
    }

    private static <T> T lookup(Class<T> type, String beanClass, String what) {
        for (InstanceHandle<T> handle : Arc.container().select(type, Any.Literal.INSTANCE).handles()) {
            if (handle.getBean().getBeanClass().getName().equals(beanClass)) {
                return handle.get();
            }
        }
        throw new IllegalStateException("no bean found for " + what + " " + beanClass);
    }
}
