package io.quarkiverse.shigoto.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import io.vertx.sqlclient.DatabaseException;

class HibernateReactiveJoinTest {

    private static DatabaseException driverError(String sqlState) {
        return new DatabaseException("ERROR: deadlock detected", 0, sqlState, null) {
            private static final long serialVersionUID = 1L;
        };
    }

    @Test
    void aDeadlockIsRecognisedHoweverDeepHibernateWrapsTheDriversError() {
        assertThat(HibernateReactiveJoin.deadlock(driverError("40P01"))).isTrue();
        assertThat(HibernateReactiveJoin.deadlock(new RuntimeException("wrapped",
                new IllegalStateException(driverError("40P01"))))).isTrue();
        assertThat(HibernateReactiveJoin.deadlock(new RuntimeException(new SQLException("x", "40P01")))).isTrue();
    }

    @Test
    void otherDatabaseErrorsAreLeftAlone() {
        assertThat(HibernateReactiveJoin.deadlock(driverError("23505"))).isFalse();
        assertThat(HibernateReactiveJoin.deadlock(new RuntimeException("no cause"))).isFalse();
    }

    @Test
    void theCallerHearsThatItsTransactionWasRolledBack() {
        assertThat(Deadlocks.inCallersTransaction("insert 2 job(s)", driverError("40P01")))
                .hasMessageStartingWith("could not insert 2 job(s): PostgreSQL found a deadlock")
                .hasMessageContaining("retry the whole transaction");
    }
}
