package io.quarkiverse.shigoto.runtime.client;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.store.JobStore;

/**
 * Runs an insert on a connection of the store and retries it when PostgreSQL picked it as a deadlock victim, but
 * only when the insert was its own transaction (the connection was in autocommit): PostgreSQL rolled all of it back,
 * so running it again is exactly the first try. Inside the caller's transaction a deadlock rolled back the caller's
 * other writes too; running the insert again would commit it without them, so the caller hears of it instead.
 */
final class Deadlocks {

    /** PostgreSQL's SQLSTATE for {@code deadlock detected}. */
    static final String DEADLOCK = "40P01";
    /** Tries in all; sorted unique keys leave only deadlocks with other writers of the same rows, which are rare. */
    static final int ATTEMPTS = 4;

    @FunctionalInterface
    interface Insert<T> {
        T run(Connection c) throws SQLException;
    }

    private Deadlocks() {
    }

    /**
     * @param what what the insert does, for messages ({@code "insert 3 job(s)"})
     * @return what the insert answered, on its first try that was not a deadlock victim
     * @throws ShigotoException when the database fails, a deadlock hit the caller's transaction, or every try was a
     *         deadlock victim
     */
    static <T> T retried(String what, JobStore store, Insert<T> insert) {
        for (int attempt = 1;; attempt++) {
            try (Connection c = store.dataSource().getConnection()) {
                boolean own = c.getAutoCommit();
                try {
                    return insert.run(c);
                } catch (SQLException e) {
                    if (!DEADLOCK.equals(e.getSQLState())) {
                        throw e;
                    }
                    if (!own) {
                        throw inCallersTransaction(what, e);
                    }
                    if (attempt >= ATTEMPTS) {
                        throw new ShigotoException("could not " + what + ": PostgreSQL found a deadlock with another"
                                + " transaction on each of " + ATTEMPTS + " tries; nothing was stored", e);
                    }
                }
            } catch (SQLException e) {
                throw new ShigotoException("could not " + what + ": " + e.getMessage(), e);
            }
            pause(attempt);
        }
    }

    /** @return the error for a deadlock that rolled back the caller's transaction, which is not shigoto's to retry */
    static ShigotoException inCallersTransaction(String what, Throwable deadlock) {
        return new ShigotoException("could not " + what + ": PostgreSQL found a deadlock with another transaction and"
                + " rolled back the caller's transaction, which shigoto does not own and so cannot retry; retry the"
                + " whole transaction (see docs/unique.md)", deadlock);
    }

    /** A short random pause, longer with each try, so the two sides of a deadlock do not meet again at once. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShigotoException("interrupted while retrying an insert after a deadlock", e);
        }
    }
}
