package com.poolsbridge.infra;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * A persistent Artemis broker on loopback for the demo and the tests. Its address settings are the ones the
 * README asks of an external broker: dead-letter and expiry addresses and bounded delivery attempts on every
 * pools queue (Artemis otherwise drops a message silently after 10 failed deliveries).
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final int port;

    private EmbeddedBroker(int port) {
        this.port = port;
    }

    public static EmbeddedBroker start(Path dataDir, QueueNames queues) throws Exception {
        int port = freePort();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJournalType(JournalType.NIO);
        config.setJournalBufferTimeout_NIO(100_000); // 100 µs: the default 3.33 ms costs ~14 % throughput
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large").toString());
        config.setIDCacheSize(50_000); // duplicate detection window for replies and settlements
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);

        AddressSettings poolsQueues = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(queues.deadLetter()))
                .setExpiryAddress(SimpleString.of(queues.expiry()))
                .setMaxDeliveryAttempts(10)
                .setRedeliveryDelay(1_000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(30_000);
        config.addAddressSetting("pools.#", poolsQueues);
        // the dead-letter queue itself must never dead-letter (it would loop)
        config.addAddressSetting(queues.deadLetter(), new AddressSettings().setMaxDeliveryAttempts(-1));
        for (String queue : List.of(queues.deadLetter(), queues.expiry())) {
            config.addQueueConfiguration(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST));
        }
        EmbeddedBroker broker = new EmbeddedBroker(port);
        broker.server.setConfiguration(config);
        broker.server.start();
        return broker;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public EmbeddedActiveMQ server() {
        return server;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
