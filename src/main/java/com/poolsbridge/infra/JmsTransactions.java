package com.poolsbridge.infra;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Work that must wait for the JMS transaction of the message being processed. The order consumer is transacted
 * ({@link OrderListenerContainer}), and every JMS send on its thread joins that transaction, so "after commit"
 * means the order message is acknowledged and the sends are at the broker, together.
 */
public final class JmsTransactions {

    private JmsTransactions() {
    }

    /** Whether the current thread works in a JMS transaction (an order consumer), whose commit is still to come. */
    public static boolean active() {
        return TransactionSynchronizationManager.isSynchronizationActive();
    }

    /** Runs {@code work} once the current transaction commits; at once when there is none (a direct call). */
    public static void afterCommit(Runnable work) {
        if (!active()) {
            work.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                work.run();
            }
        });
    }
}
