package io.quarkiverse.shigoto.runtime.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quarkiverse.shigoto.JobWorker;

/**
 * The values of a job's args that its worker's {@link JobWorker#redact} hides, and their removal from text shown or
 * logged about the job: error messages, stack traces, exceptions a worker's callback threw.
 * <p>
 * The rule: a string or number of the stored args, at least {@value #MIN_LENGTH} characters long, that appears nowhere
 * in the redacted args is a secret, and every verbatim occurrence of it in a text becomes {@value #MASK}. Shorter
 * values would match ordinary words and digits. A secret the text holds in another form (a part of it, another case,
 * URL- or Base64-encoded, split across lines) is not recognised. A worker whose {@code redact} fails hides
 * everything: its texts are withheld whole.
 */
public final class Secrets {

    /** What a secret becomes in a text. */
    public static final String MASK = "[redacted]";
    static final int MIN_LENGTH = 4;
    private static final String WITHHELD = "[withheld: redact failed]";

    /** Nothing to hide. */
    public static final Secrets NONE = new Secrets(List.of(), false);
    /** Everything to hide: the worker could not say what. */
    public static final Secrets ALL = new Secrets(List.of(), true);

    private final List<String> values;
    private final boolean all;

    private Secrets(List<String> values, boolean all) {
        this.values = values;
        this.all = all;
    }

    /**
     * @param args the job's args as stored
     * @param shown what its worker's {@code redact} made of them
     * @return the values of {@code args} that {@code shown} no longer contains
     */
    public static Secrets hidden(Map<String, Object> args, Map<String, Object> shown) {
        if (args == shown || args == null || args.isEmpty()) {
            return NONE;
        }
        Set<String> stored = new HashSet<>();
        leaves(args, stored);
        if (shown != null) {
            Set<String> kept = new HashSet<>();
            leaves(shown, kept);
            stored.removeAll(kept);
        }
        if (stored.isEmpty()) {
            return NONE;
        }
        List<String> values = new ArrayList<>(stored);
        // longest first, so a secret that contains another is masked whole
        values.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        return new Secrets(List.copyOf(values), false);
    }

    /**
     * @return what the worker's {@code redact} hides of the args, or {@link #ALL} when it throws
     */
    public static Secrets of(JobWorker worker, Map<String, Object> args) {
        try {
            return hidden(args, worker.redact(args));
        } catch (RuntimeException e) {
            return ALL;
        }
    }

    /** @return whether nothing of a text is hidden */
    public boolean none() {
        return !all && values.isEmpty();
    }

    /** @return the text with every secret masked; {@code null} stays {@code null} */
    public String scrub(String text) {
        if (text == null || none()) {
            return text;
        }
        if (all) {
            return WITHHELD;
        }
        String scrubbed = text;
        for (String v : values) {
            scrubbed = scrubbed.replace(v, MASK);
        }
        return scrubbed;
    }

    /**
     * @return the failure itself when no message of it or its causes holds a secret, else a copy with the same class
     *         name, stack trace and causes whose messages are scrubbed
     */
    public Throwable scrub(Throwable failure) {
        if (failure == null || none() || !holdsSecret(failure, 0)) {
            return failure;
        }
        return copy(failure, 0);
    }

    private boolean holdsSecret(Throwable t, int depth) {
        if (t == null || depth > 20) {
            return false;
        }
        String message = t.getMessage();
        return (message != null && !message.equals(scrub(message))) || holdsSecret(t.getCause(), depth + 1);
    }

    private Throwable copy(Throwable t, int depth) {
        Throwable cause = t.getCause() == null || depth > 20 ? null : copy(t.getCause(), depth + 1);
        Scrubbed copy = new Scrubbed(t.getClass().getName(), scrub(t.getMessage()), cause);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    private static void leaves(Object value, Set<String> into) {
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> leaves(v, into));
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> leaves(v, into));
        } else if (value instanceof String || value instanceof Number) {
            String text = value.toString();
            if (text.length() >= MIN_LENGTH) {
                into.add(text);
            }
        }
    }

    /** A failure with its secrets masked, printed as the original: its class name, then the scrubbed message. */
    static final class Scrubbed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String type;

        Scrubbed(String type, String message, Throwable cause) {
            super(message, cause, false, true);
            this.type = type;
        }

        @Override
        public String toString() {
            return getMessage() == null ? type : type + ": " + getMessage();
        }
    }
}
