package io.quarkiverse.shigoto.runtime.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule().addSerializer(RawJson.class, new RawJson.Serializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> OBJECTS = new TypeReference<>() {
    };

    private JsonCodec() {
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
     * Checks that a value is made of JSON values only, so what is stored is exactly what the worker reads back, and
     * no bean is serialised by reflection (which a native image would not support).
     *
     * @param value the value
     * @param path where the value sits, for the message ({@code args.user.id})
     * @throws IllegalArgumentException naming the path and the offending type
     */
    public static void requireJsonValue(Object value, String path) {
        if (value instanceof String s && s.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException(path + " contains the NUL character (U+0000), which PostgreSQL cannot"
                    + " store in jsonb");
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double || value instanceof Float || value instanceof Short
                || value instanceof Byte || value instanceof BigDecimal || value instanceof BigInteger) {
            if (value instanceof Double d && (d.isNaN() || d.isInfinite())
                    || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
                throw new IllegalArgumentException(path + " is " + value + ", which JSON cannot represent");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(path + " has a non-string key " + e.getKey());
                }
                if (key.indexOf('\u0000') >= 0) {
                    throw new IllegalArgumentException(path + " has a key with the NUL character (U+0000), which"
                            + " PostgreSQL cannot store in jsonb");
                }
                requireJsonValue(e.getValue(), path + "." + key);
            }
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                requireJsonValue(item, path + "[" + i++ + "]");
            }
            return;
        }
        throw new IllegalArgumentException(path + " is a " + value.getClass().getName()
                + ", which is not a JSON value: use String, Number, Boolean, List, Map or null");
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
        return write(m);
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
                errors.add(new JobError(attempt instanceof Number n ? n.intValue() : 0,
                        at == null ? null : Instant.parse(at.toString()), (String) m.get("type"),
                        (String) m.get("message"), (String) m.get("stacktrace")));
            }
            return List.copyOf(errors);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }
}
