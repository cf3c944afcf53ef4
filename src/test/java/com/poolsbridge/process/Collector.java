package com.poolsbridge.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.poolsbridge.support.JmsClient;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Core banking's and operations' side of the broker: drains every queue the checker judges, all the time, so
 * nothing piles up and nothing is missed across broker restarts (each queue has its own thread that reconnects).
 * A message the broker delivers again after a restart (an acknowledgement lost with the broker) has the same
 * JMSMessageID and is counted once; a second reply sent by the app has another id and is counted.
 */
public final class Collector implements AutoCloseable {

    public static final String RESULTS = "pools.orders.results";
    public static final String DLQ = "pools.orders.dlq";
    public static final String SETTLEMENTS = "pools.settlements";
    public static final List<String> QUEUES = List.of(RESULTS, DLQ, SETTLEMENTS, BrokerMain.BROKER_DLQ,
            BrokerMain.BROKER_EXPIRY, "pools.expiry");

    /** One message as drained: its queue, id, correlation id, string properties, body and when it was drained. */
    public record Received(String queue, String messageId, String correlationId, Map<String, String> properties,
                           String body, Instant receivedAt) {
        public String property(String name) {
            return properties.get(name);
        }
    }

    private final String brokerUrl;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> seenIds = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    private final CountDownLatch closing = new CountDownLatch(1);

    /** @param brokerUrl the broker itself, without client reconnection options */
    public Collector(String brokerUrl) {
        this(brokerUrl, QUEUES);
    }

    /** Drains the given queues instead of {@link #QUEUES} (e.g. a benchmark's reference route's replies). */
    public Collector(String brokerUrl, List<String> queues) {
        this.brokerUrl = brokerUrl;
        for (String queue : queues) {
            Thread t = new Thread(() -> drainForever(queue), "collect-" + queue);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void drainForever(String queue) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        while (!closed) {
            AtomicBoolean broken = new AtomicBoolean();
            try (Connection connection = factory.createConnection()) {
                // no client reconnection here: a restarted broker gets a fresh connection and consumer from us
                connection.setExceptionListener(e -> broken.set(true));
                connection.start();
                Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
                while (!closed && !broken.get()) {
                    Message m = consumer.receive(200);
                    if (m != null) {
                        record(queue, m);
                        m.acknowledge();
                    }
                }
            } catch (JMSException | RuntimeException e) {
                // broker down or restarting: connect again (each attempt blocks in the client's own retry)
                pause();
            }
        }
    }

    private void record(String queue, Message m) throws JMSException {
        if (!seenIds.add(queue + "|" + m.getJMSMessageID())) {
            return;
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            Object value = m.getObjectProperty(name);
            props.put(name, value == null ? null : value.toString());
        }
        received.add(new Received(queue, m.getJMSMessageID(), m.getJMSCorrelationID(), props, JmsClient.text(m),
                Instant.now()));
    }

    /** The reconnect back-off: waits for close() (it ends the wait at once), at most 250 ms. */
    private void pause() {
        try {
            closing.await(250, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<Received> all() {
        return Collections.unmodifiableList(new ArrayList<>(received));
    }

    public List<Received> on(String queue) {
        return received.stream().filter(r -> r.queue().equals(queue)).toList();
    }

    public int count(String queue) {
        return (int) received.stream().filter(r -> r.queue().equals(queue)).count();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        closing.countDown();
        for (Thread t : threads) {
            t.join(5_000);
        }
    }
}
