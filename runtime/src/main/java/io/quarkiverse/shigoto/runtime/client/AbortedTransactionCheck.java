package io.quarkiverse.shigoto.runtime.client;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import io.quarkiverse.shigoto.ShigotoException;

/**
 * Fails the commit of a JTA transaction that inserted jobs after PostgreSQL aborted it. Once a statement of a
 * transaction fails, PostgreSQL answers its COMMIT with a rollback, and the PostgreSQL JDBC driver reports nothing: a
 * caller that caught and ignored a SQL error would return normally, holding ids of jobs (and rows of its own) that
 * were never stored. Registered once per transaction and datasource; before the commit it reads the connection's
 * transaction state, which the driver tracks from every answer (no round trip).
 */
final class AbortedTransactionCheck implements Synchronization {

    private static final Logger LOG = Logger.getLogger(AbortedTransactionCheck.class);

    /** The transaction resource that marks a transaction as checked for one datasource. */
    private record Key(DataSource dataSource) {
    }

    private final DataSource dataSource;

    private AbortedTransactionCheck(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Registers the check with the current transaction, unless it already has it for this datasource. */
    static void register(TransactionSynchronizationRegistry transactions, DataSource dataSource) {
        Key key = new Key(dataSource);
        if (transactions.getResource(key) == null) {
            transactions.putResource(key, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new AbortedTransactionCheck(dataSource));
        }
    }

    @Override
    public void beforeCompletion() {
        boolean aborted;
        try (Connection c = dataSource.getConnection()) {
            aborted = c.isWrapperFor(BaseConnection.class)
                    && c.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED;
        } catch (SQLException e) {
            // the commit itself will meet whatever is wrong with the connection
            LOG.debugf("shigoto could not read the transaction state before commit: %s", e.getMessage());
            return;
        }
        if (aborted) {
            throw new ShigotoException("the transaction cannot commit: one of its statements failed, so PostgreSQL "
                    + "aborted it and would silently roll back its jobs and every other write; it is rolled back "
                    + "instead. Let the SQL error propagate, or run the failing statement in a savepoint");
        }
    }

    @Override
    public void afterCompletion(int status) {
    }
}
