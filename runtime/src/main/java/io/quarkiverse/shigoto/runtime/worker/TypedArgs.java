package io.quarkiverse.shigoto.runtime.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.quarkiverse.shigoto.InvalidJobException;

/**
 * The args of typed workers (and results that are records or classes), written and read with the application's
 * {@code ObjectMapper}, so its Quarkus
 * customizers (modules, naming strategies) apply. Reading is strict whatever the mapper's settings: a property the
 * type does not have, a missing constructor property or a {@code null} for a primitive fails, naming the property and
 * its JSON path, because a job whose stored args no longer fit its worker (a renamed field, a row written by SQL or an
 * older release) must fail visibly rather than run with a half-filled object.
 */
public final class TypedArgs {

    private final ObjectMapper mapper;
    private final Map<String, ObjectReader> readers = new ConcurrentHashMap<>();

    public TypedArgs(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @return the args as a JSON object
     * @throws InvalidJobException naming the kind, and the property Jackson could not write
     */
    public String write(Object args, String kind) {
        String json;
        try {
            json = json(args);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("args of job kind '" + kind + "' (" + args.getClass().getName()
                    + ") cannot be written as JSON: " + e.getMessage(), e.getCause());
        }
        if (!json.startsWith("{")) {
            throw new InvalidJobException("args of job kind '" + kind + "' must be written as a JSON object, but "
                    + args.getClass().getName() + " is written as " + (json.length() > 40 ? json.substring(0, 40)
                            + "..." : json));
        }
        return json;
    }

    /**
     * @param type the worker's args class
     * @return the args read from their stored JSON
     * @throws IllegalArgumentException naming the kind, the type, the property and its JSON path
     */
    public Object read(String json, Class<?> type, String kind) {
        try {
            return reader(type).readValue(json);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("args of job kind '" + kind + "' do not fit " + type.getName() + ": "
                    + describe(e), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("args of job kind '" + kind + "' are not JSON " + type.getName()
                    + " can read: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @return a worker's result that is not a plain JSON value (a record, a class), as JSON
     * @throws IllegalArgumentException naming the class and the property Jackson could not write
     */
    public String writeResult(Object result) {
        try {
            return json(result);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(result.getClass().getName() + ": " + e.getMessage(), e.getCause());
        }
    }

    /** @throws IllegalArgumentException saying what Jackson could not write, or that the JSON holds a NUL */
    private String json(Object value) {
        String json;
        try {
            json = mapper.writeValueAsString(value);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(describe(e), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        if (json.contains("\\u0000")) {
            throw new IllegalArgumentException("it contains the NUL character (U+0000), which PostgreSQL cannot store");
        }
        return json;
    }

    /**
     * @return a dependency's stored result read as {@code type}, strictly
     * @throws IllegalArgumentException naming the dependency, the type, the property and its JSON path
     */
    public Object readResult(String json, Class<?> type, long dependencyId) {
        try {
            return reader(type).readValue(json);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("the result of job " + dependencyId + " does not fit " + type.getName()
                    + ": " + describe(e), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the result of job " + dependencyId + " is not JSON " + type.getName()
                    + " can read: " + e.getOriginalMessage(), e);
        }
    }

    private ObjectReader reader(Class<?> type) {
        return readers.computeIfAbsent(type.getName(), n -> mapper.readerFor(type)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES));
    }

    /** @return the problem with its property and JSON path ({@code property 'currency' at $.lines[2].currency}) */
    static String describe(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.isEmpty()) {
            return e.getOriginalMessage();
        }
        StringBuilder at = new StringBuilder("$");
        String property = null;
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                at.append('.').append(r.getFieldName());
                property = r.getFieldName();
            } else if (r.getIndex() >= 0) {
                at.append('[').append(r.getIndex()).append(']');
            }
        }
        return (property != null ? "property '" + property + "' at " : "at ") + at + ": " + e.getOriginalMessage();
    }
}
