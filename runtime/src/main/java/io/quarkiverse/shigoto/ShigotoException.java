package io.quarkiverse.shigoto;

/**
 * The base of the exceptions this extension throws.
 */
public class ShigotoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ShigotoException(String message) {
        super(message);
    }

    public ShigotoException(String message, Throwable cause) {
        super(message, cause);
    }
}
