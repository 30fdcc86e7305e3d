package io.quarkiverse.shigoto.runtime.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.quarkiverse.shigoto.JobError;

/**
 * JSON for args, meta, results and error entries. A private mapper, so an application's customised
 * {@code ObjectMapper} can never change what is stored. Only maps, lists and scalars are read back, which needs no
 * reflection in a native image.
 * <p>
 * Over 300 lines: besides reading and writing, it holds the canonical form unique keys hash, the flat writer of the
 * insert path, and the handling of what PostgreSQL cannot store in text (the NUL character).
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule().addSerializer(RawJson.class, new RawJson.Serializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    /** The deepest nesting written; Jackson's default read limit, so what is written reads back. */
    static final int MAX_DEPTH = 1000;
    private static final TypeReference<List<Object>> LIST = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> OBJECTS = new TypeReference<>() {
    };

    private JsonCodec() {
    }

    /**
     * @param value a value read from JSON (maps, lists, scalars)
     * @return it as indented JSON, for people to read
     */
    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /**
     * @param json a JSON value
     * @return the same value in one canonical spelling: object keys sorted, numbers without trailing zeros or
     *         exponent, no whitespace; equal JSON values give equal text
     * @throws IllegalArgumentException when the text is not JSON
     */
    public static String canonical(String json) {
        try {
            StringBuilder out = new StringBuilder(json.length());
            canonical(MAPPER.readTree(json), out);
            return out.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void canonical(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(names.get(i), out);
                out.append(':');
                canonical(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                canonical(node.get(i), out);
            }
            out.append(']');
        } else if (node.isNumber()) {
            BigDecimal d = node.decimalValue().stripTrailingZeros();
            out.append(d.signum() == 0 ? "0" : d.toPlainString());
        } else if (node.isTextual()) {
            string(node.textValue(), out);
        } else {
            out.append(node.toString());
        }
    }

    /**
     * @param value a JSON-serializable value
     * @return its JSON text
     * @throws IllegalArgumentException when the value cannot be written as JSON
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /**
     * Writes a value made of JSON values only ({@code String}, {@code Number}, {@code Boolean}, {@code Map} with
     * string keys, {@code Collection}, {@code null}) in one pass that also validates it. Faster than a general mapper
     * for the small maps jobs carry, and it never falls back to reflection.
     *
     * @param value the value
     * @param path where the value sits, for messages ({@code args})
     * @return its JSON text
     * @throws IllegalArgumentException naming the path of the offending value and why
     */
    public static String writeValue(Object value, String path) {
        StringBuilder out = new StringBuilder(64);
        if (value instanceof Map<?, ?> map && writeFlat(map, out)) {
            return out.toString();
        }
        out.setLength(0);
        ArrayDeque<Object> where = new ArrayDeque<>();
        try {
            write(value, out, where, new ArrayList<>());
        } catch (NotJson e) {
            StringBuilder at = new StringBuilder(path);
            for (Iterator<Object> it = where.descendingIterator(); it.hasNext();) {
                Object step = it.next();
                at.append(step instanceof Integer i ? "[" + i + "]" : "." + step);
            }
            throw new IllegalArgumentException(at + e.getMessage());
        }
        return out.toString();
    }

    /**
     * The common case of job arguments, a map of scalars, without the bookkeeping of nesting: no path, no open
     * containers (a map of scalars cannot hold itself).
     *
     * @return whether the map was written; {@code false} at the first value that is not a plain scalar (a container,
     *         or anything invalid), for the general writer to take over from the start and name the problem
     */
    private static boolean writeFlat(Map<?, ?> map, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key) || key.indexOf('\u0000') >= 0) {
                return false;
            }
            Object value = e.getValue();
            if (!first) {
                out.append(',');
            }
            first = false;
            string(key, out);
            out.append(':');
            if (value == null) {
                out.append("null");
            } else if (value instanceof String text && text.indexOf('\u0000') < 0) {
                string(text, out);
            } else if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
                out.append(value);
            } else {
                return false;
            }
        }
        out.append('}');
        return true;
    }

    /**
     * @param open the maps and collections being written around this value, outermost first: a value that is one of
     *        them contains itself and would never end
     */
    private static void write(Object value, StringBuilder out, ArrayDeque<Object> where, List<Object> open) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            if (s.indexOf('\u0000') >= 0) {
                throw new NotJson(" contains the NUL character (U+0000), which PostgreSQL cannot store in jsonb");
            }
            string(s, out);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger
                || value instanceof BigDecimal) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NotJson(" is " + value + ", which JSON cannot represent");
            }
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            enter(map, open);
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new NotJson(" has a non-string key " + e.getKey()
                            + (e.getKey() == null ? "" : " (" + e.getKey().getClass().getName() + ")"));
                }
                if (key.indexOf('\u0000') >= 0) {
                    throw new NotJson(" has a key with the NUL character (U+0000), which PostgreSQL cannot store in"
                            + " jsonb");
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(key, out);
                out.append(':');
                where.push(key);
                write(e.getValue(), out, where, open);
                where.pop();
            }
            out.append('}');
            open.remove(open.size() - 1);
        } else if (value instanceof Collection<?> list) {
            enter(list, open);
            out.append('[');
            int i = 0;
            for (Object item : list) {
                if (i > 0) {
                    out.append(',');
                }
                where.push(i++);
                write(item, out, where, open);
                where.pop();
            }
            out.append(']');
            open.remove(open.size() - 1);
        } else {
            throw new NotJson(" is a " + value.getClass().getName()
                    + ", which is not a JSON value: use String, Number, Boolean, List, Map or null");
        }
    }

    /**
     * Steps into a map or collection. Identity, not equality: two equal maps side by side are fine, a map inside
     * itself is not. The depth bound is the one the reader enforces, so nothing is stored that cannot be read back.
     */
    private static void enter(Object container, List<Object> open) {
        for (Object o : open) {
            if (o == container) {
                throw new NotJson(" contains itself: a map or collection that holds itself cannot be written as JSON");
            }
        }
        if (open.size() >= MAX_DEPTH) {
            throw new NotJson(" nests maps and collections deeper than " + MAX_DEPTH + " levels");
        }
        open.add(container);
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Why a value is not JSON; the caller prefixes the path. */
    private static final class NotJson extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotJson(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param json JSON text that must hold an object
     * @return the object with string keys
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    public static Map<String, Object> readObject(String json) {
        if (json == null) {
            return Map.of();
        }
        if (json.equals("{}")) {
            // the args of most jobs without arguments: no parser needed
            return new LinkedHashMap<>();
        }
        String t = json.stripLeading();
        if (!t.startsWith("{")) {
            String found = t.isEmpty() ? "nothing" : t.length() > 40 ? t.substring(0, 40) + "..." : t;
            throw new IllegalArgumentException("expected a JSON object, found " + found);
        }
        try {
            return MAPPER.readValue(json, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /**
     * @param json JSON text holding an array, or {@code null}
     * @return its elements (maps, lists, strings, numbers, booleans), empty for {@code null}
     * @throws IllegalArgumentException when the text is not a JSON array
     */
    public static List<Object> readList(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return MAPPER.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /**
     * For a callback that must run even for a job whose args no longer read ({@code onDiscard}).
     *
     * @return the JSON object as a map, or an empty map when it is not one
     */
    public static Map<String, Object> readObjectOrEmpty(String json) {
        try {
            return readObject(json);
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    /**
     * @param json any JSON text, or {@code null}
     * @return the value as maps, lists and scalars, or {@code null}
     */
    public static Object readValue(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /**
     * @param error an error entry
     * @return its stored JSON object
     */
    public static String writeError(JobError error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", error.attempt());
        m.put("at", error.at().toString());
        m.put("type", storable(error.type()));
        m.put("message", storable(error.message()));
        if (error.stacktrace() != null) {
            m.put("stacktrace", storable(error.stacktrace()));
        }
        if (error.node() != null) {
            m.put("node", error.node());
        }
        if (error.startedAt() != null) {
            m.put("startedAt", error.startedAt().toString());
        }
        return write(m);
    }

    /** An attempt's start is shown, never acted on: an entry whose start does not read is shown without it. */
    private static Instant startedAt(Object value) {
        try {
            return value instanceof String text ? Instant.parse(text) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Error texts come from anywhere (exception messages): replace what jsonb refuses instead of failing. */
    private static String storable(String text) {
        return text == null ? null : text.replace('\u0000', '\uFFFD');
    }

    /**
     * @param json the stored errors array
     * @return the entries, oldest first
     */
    public static List<JobError> readErrors(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<Map<String, Object>> raw = MAPPER.readValue(json, OBJECTS);
            List<JobError> errors = new ArrayList<>(raw.size());
            for (Map<String, Object> m : raw) {
                Object at = m.get("at");
                Object attempt = m.get("attempt");
                Object started = m.get("startedAt");
                errors.add(new JobError(attempt instanceof Number n ? n.intValue() : 0,
                        at == null ? null : Instant.parse(at.toString()), (String) m.get("type"),
                        (String) m.get("message"), (String) m.get("stacktrace"),
                        m.get("node") instanceof String node ? node : null,
                        startedAt(started)));
            }
            return List.copyOf(errors);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }
}
