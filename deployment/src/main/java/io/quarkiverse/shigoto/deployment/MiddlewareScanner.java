package io.quarkiverse.shigoto.deployment;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.Type;

/**
 * Reads the middleware of the index: the global ones, in the order they run, and the list each {@code @Job} names.
 * <p>
 * A global middleware is a CDI bean implementing {@code JobMiddleware} or {@code ReactiveJobMiddleware}; the build
 * recognises one by its scope annotation (built-in or custom), as that is what makes such a class a bean before the
 * container exists. A per-worker middleware is a class without one, which the build then makes a bean itself. So a
 * class is one or the other, never both, and listing a global one on {@code @Job} is an error rather than a second run.
 */
final class MiddlewareScanner {

    /** A global middleware and what orders it. */
    record Global(String className, Integer priority) {
    }

    /**
     * The order of global middleware, outermost first: {@code @Priority} ascending, those without one after those
     * with, ties by class name so that every build orders them the same.
     */
    static final Comparator<Global> ORDER = Comparator
            .comparing(Global::priority, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Global::className);

    private final IndexView index;
    private final Predicate<ClassInfo> declaresScope;
    private final Set<DotName> blocking;
    private final Set<DotName> reactive;
    private final List<String> globalBlocking;
    private final List<String> globalReactive;
    private final Set<String> listed = new TreeSet<>();

    /**
     * @param index the application's index
     * @param declaresScope whether a class declares a scope annotation, and so is a bean of its own
     */
    MiddlewareScanner(IndexView index, Predicate<ClassInfo> declaresScope) {
        this.index = index;
        this.declaresScope = declaresScope;
        this.blocking = names(index.getAllKnownImplementations(ShigotoDotNames.JOB_MIDDLEWARE));
        this.reactive = names(index.getAllKnownImplementations(ShigotoDotNames.REACTIVE_JOB_MIDDLEWARE));
        this.globalBlocking = globals(index.getAllKnownImplementations(ShigotoDotNames.JOB_MIDDLEWARE));
        this.globalReactive = globals(index.getAllKnownImplementations(ShigotoDotNames.REACTIVE_JOB_MIDDLEWARE));
    }

    /**
     * @param reactiveWorker the kind of worker
     * @return the class names of the global middleware wrapping every worker of that kind, outermost first
     */
    List<String> globals(boolean reactiveWorker) {
        return reactiveWorker ? globalReactive : globalBlocking;
    }

    /** @return the valid per-worker middleware classes named by any {@code @Job}, sorted: the build makes them beans */
    Set<String> listed() {
        return listed;
    }

    /** @return concrete middleware classes that are neither global nor listed on any {@code @Job}, sorted */
    Set<String> unused() {
        Set<String> unused = new TreeSet<>();
        for (DotName name : union(blocking, reactive)) {
            ClassInfo c = index.getClassByName(name);
            String className = name.toString();
            if (isConcrete(c) && !declaresScope.test(c) && !listed.contains(className)) {
                unused.add(className);
            }
        }
        return unused;
    }

    /**
     * Reads and checks the middleware a worker lists.
     *
     * @param job the worker's {@code @Job}
     * @param reactiveWorker whether the worker is reactive; {@code null} when it is not exactly one kind (already a
     *        problem of its own), which skips the kind checks
     * @param problem receives each problem, without the worker's name
     * @return the worker's whole chain, outermost first: the global middleware of its kind, then its own
     */
    List<String> chain(AnnotationInstance job, Boolean reactiveWorker, Consumer<String> problem) {
        AnnotationValue value = job.value("middleware");
        Type[] types = value == null ? new Type[0] : value.asClassArray();
        Set<String> own = new LinkedHashSet<>();
        Set<String> reported = new HashSet<>();
        for (Type type : types) {
            String className = type.name().toString();
            if (!own.add(className)) {
                if (reported.add(className)) {
                    problem.accept("middleware " + className + " is listed more than once");
                }
                continue;
            }
            String p = check(type.name(), reactiveWorker);
            if (p != null) {
                problem.accept("middleware " + className + " " + p);
            } else if (reactiveWorker != null) {
                listed.add(className);
            }
        }
        if (reactiveWorker == null) {
            return List.of();
        }
        List<String> chain = new ArrayList<>(globals(reactiveWorker));
        chain.addAll(own);
        return List.copyOf(chain);
    }

    private String check(DotName name, Boolean reactiveWorker) {
        ClassInfo c = index.getClassByName(name);
        if (c == null) {
            return "is not in the index: add it to the application or index the dependency holding it";
        }
        boolean isBlocking = blocking.contains(name);
        boolean isReactive = reactive.contains(name);
        if (!isConcrete(c)) {
            return "must be a concrete class, not an interface or an abstract class";
        }
        if (!isBlocking && !isReactive) {
            return "must implement io.quarkiverse.shigoto.JobMiddleware or ReactiveJobMiddleware";
        }
        if (Boolean.TRUE.equals(reactiveWorker) && !isReactive) {
            return "is a blocking JobMiddleware and cannot wrap a ReactiveWorker: implement ReactiveJobMiddleware";
        }
        if (Boolean.FALSE.equals(reactiveWorker) && !isBlocking) {
            return "is a ReactiveJobMiddleware and cannot wrap a blocking Worker: implement JobMiddleware";
        }
        if (declaresScope.test(c)) {
            return "is a CDI bean and so already a global middleware of every worker: remove it from"
                    + " @Job(middleware), or remove its scope annotation to make it per-worker";
        }
        if (c.nestingType() == ClassInfo.NestingType.INNER && !Modifier.isStatic(c.flags())) {
            return "must be top-level or a static nested class";
        }
        return null;
    }

    private List<String> globals(Collection<ClassInfo> implementations) {
        List<Global> found = new ArrayList<>();
        for (ClassInfo c : implementations) {
            if (isConcrete(c) && declaresScope.test(c)) {
                AnnotationInstance priority = c.declaredAnnotation(ShigotoDotNames.PRIORITY);
                found.add(new Global(c.name().toString(), priority == null ? null : priority.value().asInt()));
            }
        }
        found.sort(ORDER);
        return found.stream().map(Global::className).toList();
    }

    private static boolean isConcrete(ClassInfo c) {
        return c != null && !c.isInterface() && !c.isAnnotation() && !Modifier.isAbstract(c.flags());
    }

    private static Set<DotName> names(Collection<ClassInfo> classes) {
        return classes.stream().map(ClassInfo::name).collect(Collectors.toSet());
    }

    private static Set<DotName> union(Set<DotName> a, Set<DotName> b) {
        Set<DotName> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
