package com.poolsbridge.app;

import java.time.Clock;
import java.util.Map;

import com.poolsbridge.infra.Database;
import com.poolsbridge.infra.OrderListenerContainer;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.MessageListenerContainerFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * The connection pools and the clock every other configuration builds on. Connection settings and secrets come
 * from {@link BridgeSettings} (environment, *_FILE), never from properties; sizes and timeouts are properties.
 * The pools are closed by the registry when Camel stops (destroyMethod), after every route and component.
 */
public final class InfrastructureConfiguration implements CamelConfiguration {

    private final BridgeSettings settings;

    public InfrastructureConfiguration(BridgeSettings settings) {
        this.settings = settings;
    }

    @BindToRegistry("clock")
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** Migrated by Flyway before anything uses it. */
    @BindToRegistry(value = "dataSource", destroyMethod = "close")
    public HikariDataSource dataSource(@PropertyInject("db.max-pool-size") int maxPoolSize,
                                       @PropertyInject("db.connection-timeout-ms") long connectionTimeoutMs,
                                       @PropertyInject("db.socket-timeout-s") int socketTimeoutS,
                                       @PropertyInject("db.statement-timeout-ms") long statementTimeoutMs) {
        return Database.connect(settings.dbUrl(), settings.dbUser(), settings.dbPassword(),
                new Database.Limits(maxPoolSize, connectionTimeoutMs, socketTimeoutS, statementTimeoutMs));
    }

    /**
     * Built here, not with camel.beans.*: BROKER_URL gets our defaults only where it is silent (BrokerUrls), and
     * the password may come from BROKER_PASSWORD_FILE; a property would expose it in Camel's property listing.
     */
    @BindToRegistry(value = "jmsConnectionFactory", destroyMethod = "stop")
    public JmsPoolConnectionFactory jmsConnectionFactory(
            @PropertyInject("orders.consumer-window-size") String consumerWindowSize,
            @PropertyInject("broker.reconnect-attempts") String reconnectAttempts,
            @PropertyInject("broker.retry-interval-ms") String retryIntervalMs,
            @PropertyInject("broker.max-retry-interval-ms") String maxRetryIntervalMs,
            @PropertyInject("orders.jms.max-connections") int maxConnections,
            @PropertyInject("orders.jms.max-sessions-per-connection") int maxSessionsPerConnection) {
        String url = BrokerUrls.withDefaults(settings.brokerUrl(), Map.of(
                "cacheDestinations", "true",
                "consumerWindowSize", consumerWindowSize,
                "reconnectAttempts", reconnectAttempts,
                "retryInterval", retryIntervalMs,
                "retryIntervalMultiplier", "2",
                "maxRetryInterval", maxRetryIntervalMs));
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(new ActiveMQConnectionFactory(url, settings.brokerUser(), settings.brokerPassword()));
        pool.setMaxConnections(maxConnections);
        pool.setMaxSessionsPerConnection(maxSessionsPerConnection);
        return pool;
    }

    @BindToRegistry("jms")
    public JmsComponent jms(JmsPoolConnectionFactory connectionFactory) {
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(connectionFactory);
        // a transacted consumer commits its own session, which every send on its thread joins (see
        // OrderListenerContainer); no transaction manager
        jms.setLazyCreateTransactionManager(false);
        return jms;
    }

    /** The order consumer's listener container (route order-intake, option messageListenerContainerFactory). */
    @BindToRegistry("orderListenerContainer")
    public MessageListenerContainerFactory orderListenerContainer() {
        return OrderListenerContainer.FACTORY;
    }
}
