package io.quarkiverse.shigoto.deployment;

/**
 * Finds, in what a failed start threw, the exception that explains it: Quarkus wraps the application's own.
 */
final class StartFailure {

    private StartFailure() {
    }

    /**
     * @param thrown what the start threw
     * @param marker text the explaining message contains
     * @return the message of the first exception in the cause chain that contains the marker, else the innermost one's
     */
    static String message(Throwable thrown, String marker) {
        Throwable t = thrown;
        while (t.getCause() != null && (t.getMessage() == null || !t.getMessage().contains(marker))) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
