package com.poolsbridge.app;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backlog spreads evenly over slow consumers on the bridge's own broker connection (orders.consumer-window-size=0):
 * each consumer holds one message while it works on it, and the next message goes to whichever consumer asks
 * next. The same backlog on a connection with the Artemis default window (1 MiB) is buffered by the first consumer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerWindowTest {

    private static final int BACKLOG = 40;

    private BridgeApplication app;

    @BeforeAll
    void start() throws Exception {
        app = new BridgeApplication(TestInfrastructure.get().settings("http://127.0.0.1:9/v1"),
                TestInfrastructure.fastRetries());
        app.start();
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void backlogSpreadsEvenlyOverSlowConsumers() throws Exception {
        ConnectionFactory bridge = app.camelContext().getRegistry().lookupByNameAndType("jms", JmsComponent.class)
                .getConfiguration().getConnectionFactory();

        List<Integer> taken = drainAlternating(bridge, backlog());

        assertThat(taken).containsExactly(BACKLOG / 2, BACKLOG / 2);
    }

    @Test
    void withTheClientDefaultWindowTheFirstConsumerBuffersTheBacklog() throws Exception {
        ConnectionFactory defaults = new ActiveMQConnectionFactory(TestInfrastructure.get().broker().url());

        List<Integer> taken = drainAlternating(defaults, backlog());

        assertThat(taken.get(0)).isGreaterThan(BACKLOG * 3 / 4);
        assertThat(taken.get(1)).isLessThan(BACKLOG / 4);
    }

    private static String backlog() throws Exception {
        String queue = "test.window." + Orders.newId("q");
        ConnectionFactory factory = new ActiveMQConnectionFactory(TestInfrastructure.get().broker().url());
        try (Connection c = factory.createConnection(); Session s = c.createSession(true, Session.SESSION_TRANSACTED);
             MessageProducer p = s.createProducer(s.createQueue(queue))) {
            for (int i = 0; i < BACKLOG; i++) {
                p.send(s.createTextMessage("order " + i));
            }
            s.commit();
        }
        return queue;
    }

    /**
     * Two transacted consumers (as the order route's) take turns: each asks for one message, "works" on it and
     * commits. A consumer that gets nothing on its turn has nothing left to give; the counts say who took what.
     */
    private static List<Integer> drainAlternating(ConnectionFactory factory, String queueName) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            List<Session> sessions = new ArrayList<>();
            List<MessageConsumer> consumers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                sessions.add(session);
                consumers.add(session.createConsumer(session.createQueue(queueName)));
                if (i == 0) {
                    // the second consumer arrives while the first already works on its first order
                    assertThat(consumers.get(0).receive(5_000)).isNotNull();
                }
            }
            int[] taken = {1, 0};
            int total = 1;
            sessions.get(0).commit();
            boolean progress = true;
            while (total < BACKLOG && progress) {
                progress = false;
                for (int i = 1; i >= 0; i--) {
                    Message m = consumers.get(i).receive(100);
                    if (m != null) {
                        taken[i]++;
                        total++;
                        progress = true;
                        sessions.get(i).commit();
                    }
                }
            }
            for (MessageConsumer consumer : consumers) {
                consumer.close();
            }
            for (Session session : sessions) {
                session.close();
            }
            return List.of(taken[0], taken[1]);
        }
    }
}
