package com.poolsbridge.process;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An Artemis broker as its own OS process, on a fixed port with a persistent journal, so a test can
 * {@code kill -9} it and start it again on the same journal. Args: {@code <dataDir> <port> recommended|defaults}.
 * <ul>
 *   <li>{@code defaults}: what {@code artemis create} gives: every address dead-letters to {@code DLQ} and expires
 *   to {@code ExpiryQueue}, {@code max-delivery-attempts} 10, {@code redelivery-delay} 0.</li>
 *   <li>{@code recommended}: the same, plus the README's address settings for {@code pools.#}
 *   (dead letters to {@code pools.orders.dlq}, 10 attempts, 1 s ×2 up to 30 s) and a larger duplicate-id cache.</li>
 * </ul>
 */
public final class BrokerMain {

    public static final String BROKER_DLQ = "DLQ";
    public static final String BROKER_EXPIRY = "ExpiryQueue";

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        boolean recommended = "recommended".equals(args[2]);

        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large").toString());
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(BROKER_DLQ))
                .setExpiryAddress(SimpleString.of(BROKER_EXPIRY)));
        List<String> queues = List.of(BROKER_DLQ, BROKER_EXPIRY);
        if (recommended) {
            config.setIDCacheSize(50_000);
            config.addAddressSetting("pools.#", new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of("pools.orders.dlq"))
                    .setExpiryAddress(SimpleString.of("pools.expiry"))
                    .setMaxDeliveryAttempts(10)
                    .setRedeliveryDelay(1_000)
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(30_000));
            config.addAddressSetting("pools.orders.dlq", new AddressSettings().setMaxDeliveryAttempts(-1));
            queues = List.of(BROKER_DLQ, BROKER_EXPIRY, "pools.orders.dlq", "pools.expiry");
        }
        for (String queue : queues) {
            config.addQueueConfiguration(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST));
        }
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
        System.out.println("broker ready on " + port + " (" + args[2] + ")");
        new CountDownLatch(1).await();   // until killed
    }
}
