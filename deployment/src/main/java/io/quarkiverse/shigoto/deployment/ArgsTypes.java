package io.quarkiverse.shigoto.deployment;

import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;
import org.jboss.jandex.TypeVariable;

/**
 * Reads the args type of a worker from its declaration ({@code implements TypedWorker<InvoiceArgs>}, directly, through
 * a superclass or through an interface of its own, also a generic one the worker binds:
 * {@code extends BaseWorker<InvoiceArgs>}) and checks that Jackson can read it back: a record, or a concrete
 * class with a no-argument or {@code @JsonCreator} constructor, found in the index (so it can be registered for
 * reflection in a native image).
 */
final class ArgsTypes {

    private final IndexView index;

    ArgsTypes(IndexView index) {
        this.index = index;
    }

    /**
     * @param typed {@link ShigotoDotNames#TYPED_WORKER} or {@link ShigotoDotNames#TYPED_REACTIVE_WORKER}
     * @return the args class name, or {@code null} for a worker of map args (or when a problem was reported)
     */
    String argsType(ClassInfo worker, DotName typed, Consumer<String> problem) {
        Type declared = declared(worker, typed, Map.of(), 0);
        if (declared == null) {
            problem.accept("cannot tell the args type: implement " + typed.withoutPackagePrefix()
                    + "<YourArgs> with a concrete class, or Worker/ReactiveWorker for map args");
            return null;
        }
        if (declared.kind() != Type.Kind.TYPE_VARIABLE && declared.name().equals(ShigotoDotNames.MAP)) {
            // Worker, ReactiveWorker, or TypedWorker<Map<...>>: args as a map
            return null;
        }
        if (declared.kind() != Type.Kind.CLASS) {
            problem.accept("its args type " + declared + " must be a class or a record, not "
                    + (declared.kind() == Type.Kind.TYPE_VARIABLE ? "a type variable" : "a " + declared.kind()));
            return null;
        }
        String name = declared.name().toString();
        if (name.startsWith("java.")) {
            problem.accept("its args type " + name + " is not a record or a class of the application: the args are a"
                    + " JSON object, so wrap the values in a record");
            return null;
        }
        check(name, problem);
        return name;
    }

    /**
     * @param bindings the type arguments the subclass gave this class's type parameters, by name
     * @return the type argument of {@code typed} in the class's hierarchy (type variables bound by a subclass
     *         resolved: {@code class SendInvoice extends BaseWorker<InvoiceArgs>}), {@code MAP} for Worker, or null
     */
    private Type declared(ClassInfo c, DotName typed, Map<String, Type> bindings, int depth) {
        if (c == null || depth > 20) {
            return null;
        }
        for (Type t : c.interfaceTypes()) {
            if (t.name().equals(ShigotoDotNames.WORKER) || t.name().equals(ShigotoDotNames.REACTIVE_WORKER)) {
                return Type.create(ShigotoDotNames.MAP, Type.Kind.CLASS);
            }
            if (t.name().equals(typed)) {
                return t.kind() == Type.Kind.PARAMETERIZED_TYPE
                        ? bound(t.asParameterizedType().arguments().get(0), bindings)
                        : null;
            }
            Type viaInterface = declared(index.getClassByName(t.name()), typed, bindings(t, bindings), depth + 1);
            if (viaInterface != null) {
                return viaInterface;
            }
        }
        Type parent = c.superClassType();
        return parent == null ? null
                : declared(index.getClassByName(parent.name()), typed, bindings(parent, bindings), depth + 1);
    }

    /** @return the bindings of the type parameters of {@code supertype}'s class, as {@code supertype} gives them */
    private Map<String, Type> bindings(Type supertype, Map<String, Type> outer) {
        Map<String, Type> bindings = new HashMap<>();
        ClassInfo c = index.getClassByName(supertype.name());
        if (c == null || supertype.kind() != Type.Kind.PARAMETERIZED_TYPE) {
            return bindings;
        }
        List<TypeVariable> parameters = c.typeParameters();
        List<Type> arguments = supertype.asParameterizedType().arguments();
        for (int i = 0; i < Math.min(parameters.size(), arguments.size()); i++) {
            bindings.put(parameters.get(i).identifier(), bound(arguments.get(i), outer));
        }
        return bindings;
    }

    private static Type bound(Type type, Map<String, Type> bindings) {
        if (type.kind() == Type.Kind.TYPE_VARIABLE) {
            Type bound = bindings.get(type.asTypeVariable().identifier());
            return bound != null ? bound : type;
        }
        return type;
    }

    private void check(String name, Consumer<String> problem) {
        ClassInfo args = index.getClassByName(DotName.createSimple(name));
        if (args == null) {
            problem.accept("its args type " + name + " is not in the Jandex index: put it in the application, or"
                    + " index its jar (quarkus.index-dependency)");
            return;
        }
        if (args.isInterface() || args.isEnum() || Modifier.isAbstract(args.flags())) {
            problem.accept("its args type " + name + " must be a record or a concrete class, not "
                    + (args.isInterface() ? "an interface" : args.isEnum() ? "an enum" : "an abstract class"));
            return;
        }
        if (args.nestingType() == ClassInfo.NestingType.INNER && !Modifier.isStatic(args.flags())) {
            problem.accept("its args type " + name + " must be top-level or a static nested class: Jackson cannot"
                    + " create an inner class");
            return;
        }
        if (args.isRecord()) {
            return;
        }
        boolean creatable = false;
        for (MethodInfo m : args.constructors()) {
            if ((m.parametersCount() == 0 && !Modifier.isPrivate(m.flags()))
                    || m.hasDeclaredAnnotation(ShigotoDotNames.JSON_CREATOR)) {
                creatable = true;
            }
        }
        if (!creatable) {
            problem.accept("its args type " + name + " needs a no-argument constructor or a @JsonCreator one, or"
                    + " must be a record, for its JSON to be read back");
        }
    }
}
