package com.poolsbridge.ops;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.TextMessage;

/**
 * Reads the dead-letter queues (pools.orders.dlq, where order-dead-letter puts what it gives up on, and the
 * broker's own dead-letter queue, where it moves what was rolled back too often) without consuming them, and
 * moves one message back to the order queue in one local JMS transaction: received and re-sent together, so a
 * crash in between neither loses nor doubles it.
 */
public final class DeadLetterQueues {

    private final ConnectionFactory connections;
    private final List<String> queues;

    public DeadLetterQueues(ConnectionFactory connections, List<String> queues) {
        this.connections = connections;
        this.queues = queues.stream().filter(q -> q != null && !q.isBlank()).distinct().toList();
    }

    public List<String> queues() {
        return queues;
    }

    public List<DeadLetter> list() throws JMSException {
        List<DeadLetter> letters = new ArrayList<>();
        try (JMSContext jms = connections.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            for (String queue : queues) {
                try (QueueBrowser browser = jms.createBrowser(jms.createQueue(queue))) {
                    var messages = browser.getEnumeration();
                    while (messages.hasMoreElements()) {
                        letters.add(describe(queue, (Message) messages.nextElement()));
                    }
                }
            }
        }
        return letters;
    }

    /** Messages on one queue, counted up to {@code cap} (a browse; nothing is consumed). */
    public long depth(String queue, long cap) throws JMSException {
        long n = 0;
        try (JMSContext jms = connections.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = jms.createBrowser(jms.createQueue(queue))) {
            var messages = browser.getEnumeration();
            while (messages.hasMoreElements() && n < cap) {
                messages.nextElement();
                n++;
            }
        }
        return n;
    }

    /**
     * Moves the message {@code letter} back to {@code target} with its body byte for byte and none of its
     * properties (order-intake drops every inbound header anyway). False when it is no longer there.
     */
    public boolean move(DeadLetter letter, String target) throws JMSException {
        try (JMSContext jms = connections.createContext(JMSContext.SESSION_TRANSACTED)) {
            Queue from = jms.createQueue(letter.queue());
            try (var consumer = jms.createConsumer(from, "JMSMessageID = '" + letter.messageId().replace("'", "''") + "'")) {
                Message message = consumer.receive(2_000);
                if (message == null) {
                    jms.rollback();
                    return false;
                }
                Message copy = message instanceof BytesMessage bytes
                        ? jms.createBytesMessage() : jms.createTextMessage(message.getBody(String.class));
                if (copy instanceof BytesMessage out && message instanceof BytesMessage in) {
                    out.writeBytes(in.getBody(byte[].class));
                }
                jms.createProducer().send(jms.createQueue(target), copy);
                jms.commit();
                return true;
            }
        }
    }

    private static DeadLetter describe(String queue, Message message) throws JMSException {
        String code = message.getStringProperty("PoolsDeadLetterCode");
        String reason = message.getStringProperty("PoolsDeadLetterReason");
        if (code == null) {
            String origin = message.getStringProperty("_AMQ_ORIG_QUEUE");
            code = DeadLetter.BROKER_EXHAUSTED;
            reason = "moved by the broker after its delivery attempts" + (origin == null ? "" : " on " + origin);
        }
        return new DeadLetter(queue, message.getJMSMessageID(), message.getStringProperty("PoolsOrderId"), code,
                reason, body(message));
    }

    private static String body(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        if (message instanceof BytesMessage bytes) {
            return new String(bytes.getBody(byte[].class), java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }
}
