package io.quarkiverse.shigoto.runtime.client;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs what announces a control action once its changes are committed: at once when the action committed on its
 * own, after the completion of the caller's JTA transaction when it joined one (and never when that rolls back).
 */
final class AfterCommit {

    private final TransactionSynchronizationRegistry transactions;

    AfterCommit(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    void run(Runnable announce) {
        int status = transactions.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            announce.run();
        } else if (status == Status.STATUS_ACTIVE) {
            onCommit(announce);
        }
        // any other status: the transaction is on its way to a rollback, which takes the changes with it
    }

    /** Runs something once the active JTA transaction has committed; never when it rolls back. */
    void onCommit(Runnable then) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int outcome) {
                if (outcome == Status.STATUS_COMMITTED) {
                    then.run();
                }
            }
        });
    }
}
