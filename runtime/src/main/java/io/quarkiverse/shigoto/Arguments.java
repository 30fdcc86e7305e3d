package io.quarkiverse.shigoto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks of the collections and arrays the public API takes. Elements are looked at one by one, never with
 * {@code contains(null)}, which the immutable collections of {@code List.of} and {@code Set.of} answer with a
 * {@code NullPointerException}.
 */
final class Arguments {

    private Arguments() {
    }

    /**
     * @param values a caller's collection, of any kind
     * @param what what the values are, for messages ({@code "dependsOn"})
     * @return the values in iteration order, in a new list
     * @throws InvalidJobException when the collection is or holds {@code null}
     */
    static <T> List<T> elements(Collection<? extends T> values, String what) {
        if (values == null) {
            throw new InvalidJobException(what + " must not be null");
        }
        List<T> list = new ArrayList<>(values.size());
        for (T v : values) {
            if (v == null) {
                throw new InvalidJobException(what + " must not contain null");
            }
            list.add(v);
        }
        return list;
    }

    /**
     * @param values a caller's array (or varargs)
     * @param what what the values are, for messages
     * @return the values in order, in a new list
     * @throws InvalidJobException when the array is or holds {@code null}
     */
    static <T> List<T> elements(T[] values, String what) {
        if (values == null) {
            throw new InvalidJobException(what + " must not be null");
        }
        return elements(Arrays.asList(values), what);
    }

    /**
     * @param map a map given where a typed value may be (an args object), of unknown key type
     * @return the same entries with their keys as strings
     * @throws InvalidJobException when a key is {@code null} or not a string
     */
    static Map<String, Object> stringKeys(Map<?, ?> map, String what) {
        Map<String, Object> copy = new LinkedHashMap<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new InvalidJobException(what + " keys must be strings, but key " + e.getKey() + " is "
                        + (e.getKey() == null ? "null" : "a " + e.getKey().getClass().getName()));
            }
            copy.put(key, e.getValue());
        }
        return copy;
    }
}
