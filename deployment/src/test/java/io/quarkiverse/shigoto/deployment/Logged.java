package io.quarkiverse.shigoto.deployment;

import java.util.logging.LogRecord;

/** Reading the log records a {@code QuarkusUnitTest} captured. */
final class Logged {

    private Logged() {
    }

    /** @return the record's message with its parameters filled in, as the log shows it */
    static String message(LogRecord record) {
        return record.getParameters() == null ? record.getMessage()
                : String.format(record.getMessage(), record.getParameters());
    }
}
