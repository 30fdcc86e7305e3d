package io.quarkiverse.shigoto;

/**
 * A job request was rejected before anything was stored: an unknown kind, arguments that are not a JSON object, an
 * option out of range. The message names the problem.
 */
public class InvalidJobException extends ShigotoException {

    private static final long serialVersionUID = 1L;

    public InvalidJobException(String message) {
        super(message);
    }

    public InvalidJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
