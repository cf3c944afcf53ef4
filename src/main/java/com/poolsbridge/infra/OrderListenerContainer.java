package com.poolsbridge.infra;

import java.util.List;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import org.apache.camel.component.jms.DefaultJmsMessageListenerContainer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.jms.MessageListenerContainerFactory;
import org.springframework.jms.listener.AbstractMessageListenerContainer;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * The order consumer's listener container: one locally transacted JMS session per consumer, kept with its
 * consumer from message to message (no transaction manager, so CACHE_CONSUMER is safe). Spring exposes that
 * session to every send on the listener's thread, so the reply and any dead letter commit with the order's
 * acknowledgement, in one commit. Under a transaction manager the container would instead open and close a
 * consumer at the broker for every message (CACHE_CONNECTION), or, with a cached consumer, acknowledge the order on
 * a session of its own, in a commit before the reply's.
 * <p>
 * Synchronizations registered for the message's transaction ({@link JmsTransactions#afterCommit}) run as under
 * a transaction manager: a before-commit callback can still fail the commit (the session rolls back, the order
 * is redelivered), after-commit work runs once the broker has the commit.
 */
public final class OrderListenerContainer extends DefaultJmsMessageListenerContainer {

    /** Creates the container for the endpoint's {@code messageListenerContainerFactory} option. */
    public static final MessageListenerContainerFactory FACTORY = new MessageListenerContainerFactory() {
        @Override
        public AbstractMessageListenerContainer createMessageListenerContainer(JmsEndpoint endpoint) {
            return new OrderListenerContainer(endpoint);
        }
    };

    private OrderListenerContainer(JmsEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected void messageReceived(Object invoker, Session session) {
        super.messageReceived(invoker, session);
        endSynchronization();
        TransactionSynchronizationManager.initSynchronization();
    }

    @Override
    protected void commitIfNecessary(Session session, Message message) throws JMSException {
        if (message == null || !TransactionSynchronizationManager.isSynchronizationActive()) {
            super.commitIfNecessary(session, message);
            return;
        }
        List<TransactionSynchronization> work = TransactionSynchronizationManager.getSynchronizations();
        try {
            TransactionSynchronizationUtils.triggerBeforeCommit(false);
            super.commitIfNecessary(session, message);
        } catch (JMSException | RuntimeException | Error e) {
            // a cached session must not carry this message's receive and sends into the next one's commit
            rollbackOnExceptionIfNecessary(session, e);
            throw e;
        }
        endSynchronization();
        TransactionSynchronizationUtils.invokeAfterCommit(work);
    }

    @Override
    protected void rollbackIfNecessary(Session session) throws JMSException {
        endSynchronization();
        super.rollbackIfNecessary(session);
    }

    @Override
    protected void rollbackOnExceptionIfNecessary(Session session, Throwable ex) throws JMSException {
        endSynchronization();
        super.rollbackOnExceptionIfNecessary(session, ex);
    }

    private static void endSynchronization() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }
}
