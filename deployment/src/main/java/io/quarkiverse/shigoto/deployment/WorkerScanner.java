package io.quarkiverse.shigoto.deployment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.Names;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.UniqueOptions;
import io.quarkiverse.shigoto.runtime.config.DurationText;
import io.quarkiverse.shigoto.runtime.maintenance.CronSchedule;
import io.quarkiverse.shigoto.runtime.worker.BreakerSpec;
import io.quarkiverse.shigoto.runtime.worker.UniqueSpec;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;

/**
 * Reads every {@code @Job} class of the index into a {@link WorkerDefinition}, collecting every problem instead of
 * stopping at the first, so one failed build names all of them.
 */
final class WorkerScanner {

    private final IndexView index;
    private final MiddlewareScanner middleware;
    private final ArgsTypes args;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> defaultKinds = new TreeMap<>();
    private final Set<String> dependentWorkers = new TreeSet<>();

    WorkerScanner(IndexView index, MiddlewareScanner middleware) {
        this.index = index;
        this.middleware = middleware;
        this.args = new ArgsTypes(index);
    }

    /** @return the problems found, one line each, naming the class, sorted so builds are reproducible */
    List<String> problems() {
        List<String> sorted = new ArrayList<>(problems);
        sorted.sort(null);
        return sorted;
    }

    /** @return by class name, the workers whose kind defaults to their simple class name, with that kind */
    Map<String, String> defaultKinds() {
        return defaultKinds;
    }

    /** @return the names of the worker classes declared {@code @Dependent}, which run as singletons all the same */
    Set<String> dependentWorkers() {
        return dependentWorkers;
    }

    /** @return the valid workers, sorted by kind */
    List<WorkerDefinition> scan() {
        Set<DotName> blocking = names(index.getAllKnownImplementations(ShigotoDotNames.TYPED_WORKER));
        blocking.addAll(names(index.getAllKnownImplementations(ShigotoDotNames.WORKER)));
        Set<DotName> reactive = names(index.getAllKnownImplementations(ShigotoDotNames.TYPED_REACTIVE_WORKER));
        reactive.addAll(names(index.getAllKnownImplementations(ShigotoDotNames.REACTIVE_WORKER)));
        List<WorkerDefinition> workers = new ArrayList<>();
        for (AnnotationInstance job : index.getAnnotations(ShigotoDotNames.JOB)) {
            if (job.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            WorkerDefinition d = read(job.target().asClass(), job, blocking, reactive);
            if (d != null) {
                workers.add(d);
            }
        }
        rejectStrayRateLimits();
        rejectDuplicateKinds(workers);
        rejectStrayUnique();
        workers.sort(Comparator.comparing(WorkerDefinition::kind));
        return workers;
    }

    private WorkerDefinition read(ClassInfo c, AnnotationInstance job, Set<DotName> blocking, Set<DotName> reactive) {
        int before = problems.size();
        String name = c.name().toString();
        boolean isBlocking = blocking.contains(c.name());
        boolean isReactive = reactive.contains(c.name());
        if (c.isInterface() || c.isAnnotation()) {
            problem(name, "@Job must be placed on a class, not an interface");
            return null;
        }
        if (java.lang.reflect.Modifier.isAbstract(c.flags())) {
            problem(name, "a @Job class must not be abstract");
        }
        if (c.nestingType() == ClassInfo.NestingType.INNER && !java.lang.reflect.Modifier.isStatic(c.flags())) {
            problem(name, "a @Job class must be top-level or a static nested class");
        }
        String argsType = null;
        if (!isBlocking && !isReactive) {
            problem(name, "a @Job class must implement io.quarkiverse.shigoto.Worker or ReactiveWorker (args as a map),"
                    + " or TypedWorker or TypedReactiveWorker (args of a type of its own)");
        } else if (isBlocking && isReactive) {
            problem(name, "a @Job class must implement either Worker or ReactiveWorker, not both");
        } else {
            argsType = args.argsType(c, isReactive ? ShigotoDotNames.TYPED_REACTIVE_WORKER
                    : ShigotoDotNames.TYPED_WORKER, p -> problem(name, p));
        }
        if (c.declaredAnnotation(ShigotoDotNames.DEPENDENT) != null) {
            dependentWorkers.add(name);
        }
        String kind = string(job, "kind", "");
        if (kind.isEmpty()) {
            kind = c.simpleName();
            defaultKinds.put(name, kind);
        }
        check(name, "kind", Names.problem(kind));
        String queue = string(job, "queue", "default");
        check(name, "queue", Names.problem(queue));
        int priority = integer(job, "priority", 0);
        if (priority < Job.MIN_PRIORITY || priority > Job.MAX_PRIORITY) {
            problem(name, "priority must be between " + Job.MIN_PRIORITY + " and " + Job.MAX_PRIORITY + ", was "
                    + priority);
        }
        int maxAttempts = integer(job, "maxAttempts", 3);
        if (maxAttempts < 1) {
            problem(name, "maxAttempts must be at least 1, was " + maxAttempts);
        }
        long timeoutMillis = positiveMillis(name, "timeout", string(job, "timeout", "300s"));
        List<String> tags = tags(name, job);
        UniqueSpec unique = unique(name, c.declaredAnnotation(ShigotoDotNames.UNIQUE));
        List<String> chain = middleware.chain(job, isBlocking == isReactive ? null : isReactive, p -> problem(name, p));
        int concurrency = integer(job, "concurrency", 0);
        if (concurrency < 0) {
            problem(name, "concurrency must be 0 (no limit) or more, was " + concurrency);
        }
        AnnotationInstance rate = c.declaredAnnotation(ShigotoDotNames.RATE_LIMIT);
        int rateLimit = rate == null ? 0 : integer(rate, "limit", 0);
        long ratePerMillis = rate == null ? 0 : positiveMillis(name, "@RateLimit per", string(rate, "per", ""));
        if (rate != null && rateLimit < 1) {
            problem(name, "@RateLimit limit must be at least 1, was " + rateLimit);
        }
        BreakerSpec breaker = breaker(name, c.declaredAnnotation(ShigotoDotNames.CIRCUIT_BREAKER));
        String cron = string(job, "cron", "").trim();
        String cronTimezone = string(job, "cronTimezone", "").trim();
        checkCron(name, cron, cronTimezone);
        AnnotationValue encryptedValue = job.value("encrypted");
        boolean encrypted = encryptedValue != null && encryptedValue.asBoolean();
        if (problems.size() > before) {
            return null;
        }
        return new WorkerDefinition(kind, name, queue, priority, maxAttempts, timeoutMillis, tags, isReactive, unique,
                chain, concurrency, rateLimit, ratePerMillis, cron.isEmpty() ? null : cron,
                cronTimezone.isEmpty() ? null : cronTimezone, argsType, encrypted, breaker,
                bool(job, "encryptResult"));
    }

    private void checkCron(String className, String cron, String zone) {
        if (cron.isEmpty()) {
            if (!zone.isEmpty()) {
                problem(className, "cronTimezone needs a cron schedule");
            }
            return;
        }
        String problem = CronSchedule.problem(cron, zone);
        if (problem != null) {
            problem(className, "invalid cron '" + cron + "'" + (zone.isEmpty() ? "" : " in " + zone) + ": " + problem);
        }
    }

    /** Reads {@code @Unique}, or answers {@code null} when the class has none. */
    private UniqueSpec unique(String className, AnnotationInstance unique) {
        if (unique == null) {
            return null;
        }
        int keys = 0;
        AnnotationValue keysValue = unique.value("keys");
        String[] keyNames = keysValue == null ? new String[] { "WORKER", "ARGS" } : keysValue.asEnumArray();
        for (String k : keyNames) {
            keys |= UniqueSpec.keyBit(Unique.Key.valueOf(k));
        }
        if (keys == 0) {
            problem(className, "@Unique keys must name at least one of WORKER, QUEUE, ARGS");
        }
        AnnotationValue argsKeysValue = unique.value("argsKeys");
        List<String> argsKeys = argsKeysValue == null ? List.of() : List.of(argsKeysValue.asStringArray());
        if (!argsKeys.isEmpty() && (keys & UniqueSpec.keyBit(Unique.Key.ARGS)) == 0) {
            problem(className, "@Unique argsKeys only apply with Unique.Key.ARGS in keys");
        }
        if (argsKeys.stream().anyMatch(String::isEmpty)) {
            problem(className, "@Unique argsKeys must not be empty");
        }
        AnnotationValue statesValue = unique.value("states");
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        if (statesValue == null || statesValue.asEnumArray().length == 0) {
            states.addAll(UniqueOptions.DEFAULT_STATES);
        } else {
            for (String st : statesValue.asEnumArray()) {
                states.add(JobState.valueOf(st));
            }
        }
        String statesProblem = UniqueSpec.statesProblem(states);
        if (statesProblem != null) {
            problem(className, "@Unique states " + states + ": " + statesProblem);
        }
        long period = uniqueDuration(className, "period", string(unique, "period", "infinity"), "infinity");
        int replace = 0;
        AnnotationValue replaceValue = unique.value("replace");
        for (String r : replaceValue == null ? new String[0] : replaceValue.asEnumArray()) {
            replace |= UniqueSpec.replaceBit(Unique.Replace.valueOf(r));
        }
        long debounce = uniqueDuration(className, "debounce", string(unique, "debounce", ""), "");
        return new UniqueSpec(keys, argsKeys, UniqueSpec.states(UniqueSpec.normalised(states)), period / 1000, replace,
                debounce);
    }

    /** @return the duration in milliseconds, 0 for the {@code none} spelling, after checking it */
    private long uniqueDuration(String className, String what, String text, String none) {
        if (text.equals(none)) {
            return 0;
        }
        try {
            Duration d = DurationText.parse(text);
            if (d.isZero() || d.isNegative() || (what.equals("period") && d.getSeconds() < 1)) {
                problem(className, "@Unique " + what + " must be " + (what.equals("period") ? "at least 1s" : "positive")
                        + ", was '" + text + "'");
                return 0;
            }
            return d.toMillis();
        } catch (IllegalArgumentException e) {
            problem(className, "invalid @Unique " + what + ": " + e.getMessage());
            return 0;
        }
    }

    /** {@code @Unique} without {@code @Job} would be silently ignored: a build error instead. */
    void rejectStrayUnique() {
        for (AnnotationInstance u : index.getAnnotations(ShigotoDotNames.UNIQUE)) {
            if (u.target().kind() == AnnotationTarget.Kind.CLASS
                    && u.target().asClass().declaredAnnotation(ShigotoDotNames.JOB) == null) {
                problem(u.target().asClass().name().toString(), "@Unique is only allowed on a @Job class");
            }
        }
    }

    private long positiveMillis(String className, String what, String text) {
        try {
            Duration d = DurationText.parse(text);
            if (d.isZero() || d.isNegative() || d.toMillis() == 0) {
                problem(className, what + " must be positive, was '" + text + "'");
                return 0;
            }
            return d.toMillis();
        } catch (IllegalArgumentException e) {
            problem(className, "invalid " + what + ": " + e.getMessage());
            return 0;
        }
    }

    /** A rate limit or a circuit breaker on a class that is no worker would silently do nothing. */
    private void rejectStrayRateLimits() {
        for (AnnotationInstance rate : index.getAnnotations(ShigotoDotNames.RATE_LIMIT)) {
            if (rate.target().kind() == AnnotationTarget.Kind.CLASS
                    && rate.target().asClass().declaredAnnotation(ShigotoDotNames.JOB) == null) {
                problem(rate.target().asClass().name().toString(), "@RateLimit needs @Job on the same class");
            }
        }
        for (AnnotationInstance breaker : index.getAnnotations(ShigotoDotNames.CIRCUIT_BREAKER)) {
            if (breaker.target().kind() == AnnotationTarget.Kind.CLASS
                    && breaker.target().asClass().declaredAnnotation(ShigotoDotNames.JOB) == null) {
                problem(breaker.target().asClass().name().toString(), "@CircuitBreaker needs @Job on the same class");
            }
        }
    }

    private static boolean bool(AnnotationInstance annotation, String name) {
        AnnotationValue v = annotation.value(name);
        return v != null && v.asBoolean();
    }

    /** @return the worker's circuit breaker, or {@code null} without one (or with invalid values, reported) */
    private BreakerSpec breaker(String className, AnnotationInstance breaker) {
        if (breaker == null) {
            return null;
        }
        int before = problems.size();
        BreakerSpec defaults = BreakerSpec.DEFAULTS;
        int volume = integer(breaker, "requestVolumeThreshold", defaults.volume());
        if (volume < 1) {
            problem(className, "@CircuitBreaker requestVolumeThreshold must be at least 1, was " + volume);
        }
        AnnotationValue ratioValue = breaker.value("failureRatio");
        double ratio = ratioValue == null ? defaults.failureRatio() : ratioValue.asDouble();
        if (!(ratio > 0 && ratio <= 1)) {
            problem(className, "@CircuitBreaker failureRatio must be above 0 and at most 1, was " + ratio);
        }
        long delayMillis = positiveMillis(className, "@CircuitBreaker delay",
                string(breaker, "delay", defaults.delayMillis() + "ms"));
        int trials = integer(breaker, "successThreshold", defaults.trials());
        if (trials < 1) {
            problem(className, "@CircuitBreaker successThreshold must be at least 1, was " + trials);
        }
        return problems.size() > before ? null : new BreakerSpec(volume, ratio, delayMillis, trials);
    }

    private List<String> tags(String className, AnnotationInstance job) {
        AnnotationValue v = job.value("tags");
        List<String> tags = v == null ? List.of() : Arrays.asList(v.asStringArray());
        for (String tag : tags) {
            if (tag.isBlank()) {
                problem(className, "tags must not be blank");
            }
        }
        return List.copyOf(tags);
    }

    private void rejectDuplicateKinds(List<WorkerDefinition> workers) {
        Map<String, Set<String>> classesByKind = new TreeMap<>();
        for (WorkerDefinition w : workers) {
            classesByKind.computeIfAbsent(w.kind(), k -> new TreeSet<>()).add(w.beanClass());
        }
        // one problem per kind, naming every class that claims it
        classesByKind.forEach((kind, classes) -> {
            if (classes.size() > 1) {
                problems.add("job kind '" + kind + "' is claimed by " + classes.size() + " classes: "
                        + String.join(", ", classes) + "; kinds must be unique (give all but one of them another"
                        + " @Job(kind = ...))");
            }
        });
    }

    private void check(String className, String what, String problem) {
        if (problem != null) {
            problem(className, what + " " + problem);
        }
    }

    private void problem(String className, String message) {
        problems.add(className + ": " + message);
    }

    private static String string(AnnotationInstance a, String name, String defaultValue) {
        AnnotationValue v = a.value(name);
        return v == null ? defaultValue : v.asString();
    }

    private static int integer(AnnotationInstance a, String name, int defaultValue) {
        AnnotationValue v = a.value(name);
        return v == null ? defaultValue : v.asInt();
    }

    private static Set<DotName> names(java.util.Collection<ClassInfo> classes) {
        return classes.stream().map(ClassInfo::name).collect(Collectors.toCollection(java.util.HashSet::new));
    }
}
