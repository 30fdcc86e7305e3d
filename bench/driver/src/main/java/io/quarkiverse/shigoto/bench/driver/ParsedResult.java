package io.quarkiverse.shigoto.bench.driver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code RESULT key=value ...} line read back from a system's output; values stay text, empty when absent.
 */
record ParsedResult(Map<String, String> fields) {

    static ParsedResult parse(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : line.substring("RESULT ".length()).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return new ParsedResult(fields);
    }

    static ParsedResult absent(String scenario, String system, long n, String note) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("scenario", scenario);
        fields.put("system", system);
        fields.put("n", Long.toString(n));
        fields.put("note", note.replace(' ', '_'));
        return new ParsedResult(fields);
    }

    String get(String key) {
        return fields.getOrDefault(key, "");
    }

    Double number(String key) {
        String v = get(key);
        return v.isEmpty() ? null : Double.valueOf(v);
    }

    String scenario() {
        return get("scenario");
    }

    String system() {
        return get("system");
    }
}
