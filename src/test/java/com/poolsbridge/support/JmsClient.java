package com.poolsbridge.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** What core banking does on the broker: send orders, read replies, settlements and dead letters. */
public final class JmsClient implements AutoCloseable {

    private final Connection connection;
    private final Session session;

    public JmsClient(String brokerUrl) throws JMSException {
        connection = new ActiveMQConnectionFactory(brokerUrl).createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    public synchronized void sendText(String queue, String body) throws JMSException {
        sendText(queue, body, Map.of());
    }

    public synchronized void sendText(String queue, String body, Map<String, Object> properties) throws JMSException {
        TextMessage message = session.createTextMessage(body);
        for (var property : properties.entrySet()) {
            message.setObjectProperty(property.getKey(), property.getValue());
        }
        send(queue, message);
    }

    public synchronized void sendBytes(String queue, byte[] body) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(body);
        send(queue, message);
    }

    private void send(String queue, Message message) throws JMSException {
        try (MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            producer.send(message);
        }
    }

    /** Waits up to timeoutMillis for the next message (selector may be null); null when none came. */
    public synchronized Message receive(String queue, String selector, long timeoutMillis) throws JMSException {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
            return consumer.receive(timeoutMillis);
        }
    }

    public Message reply(String orderId, long timeoutMillis) throws JMSException {
        return receive("pools.orders.results", "JMSCorrelationID = '" + orderId + "'", timeoutMillis);
    }

    /** Everything currently in the queue matching the selector. */
    public synchronized List<Message> drain(String queue, String selector) throws JMSException {
        List<Message> messages = new ArrayList<>();
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
            Message message;
            while ((message = consumer.receiveNoWait()) != null) {
                messages.add(message);
            }
        }
        return messages;
    }

    public static String text(Message message) throws JMSException {
        if (message instanceof TextMessage text) {
            return text.getText();
        }
        BytesMessage bytes = (BytesMessage) message;
        byte[] data = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(data);
        return new String(data, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
