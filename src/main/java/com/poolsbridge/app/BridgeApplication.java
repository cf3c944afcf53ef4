package com.poolsbridge.app;

import static com.poolsbridge.app.ConfigProperties.required;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.poolsbridge.infra.Database;
import com.poolsbridge.order.DeadLetters;
import com.poolsbridge.order.MoneyGuardrails;
import com.poolsbridge.order.OrderCircuitProbe;
import com.poolsbridge.order.OrderClaims;
import com.poolsbridge.order.OrderDeadlines;
import com.poolsbridge.order.OrderOutcomes;
import com.poolsbridge.order.OrderRecords;
import com.poolsbridge.order.OrderRequests;
import com.poolsbridge.order.OrderValidator;
import com.poolsbridge.order.QuotePolicy;
import com.poolsbridge.pools.PoolCapabilities;
import com.poolsbridge.pools.PoolsHttpClient;
import com.poolsbridge.pools.PoolsResponses;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.Main;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.throttling.ThrottlingExceptionRoutePolicy;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

/**
 * Wires pools-bridge: the beans with a lifecycle (connection pools) are built here in Java, the routes come
 * from the YAML files. Secrets go straight into the beans that need them and never become Camel properties.
 */
public final class BridgeApplication implements AutoCloseable {

    private final BridgeSettings settings;
    private final Map<String, String> overrides;
    private final Main main = new Main();
    private HikariDataSource dataSource;
    private JmsPoolConnectionFactory connectionFactory;

    public BridgeApplication(BridgeSettings settings, Map<String, String> overrides) {
        this.settings = settings.validate();
        this.overrides = new LinkedHashMap<>(overrides);
    }

    /** Starts Camel without blocking (tests, demo). */
    public CamelContext start() throws Exception {
        configure();
        main.start();
        return main.getCamelContext();
    }

    /** Runs until the JVM is asked to stop (production). */
    public void run() throws Exception {
        configure();
        main.run();
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    private void configure() {
        configureProperties(main, settings);
        main.addOverrideProperty("camel.server.port", String.valueOf(settings.httpPort()));
        String routesDir = System.getenv("ROUTES_DIR");
        if (routesDir != null) {
            main.addOverrideProperty("camel.main.routes-include-pattern", "file:" + routesDir + "/*.camel.yaml");
        }
        overrides.forEach(main::addOverrideProperty);
        main.configure().addConfiguration(new Beans());
    }

    /** Builds the beans once Camel has resolved its properties, so they honour every override. */
    private final class Beans implements org.apache.camel.CamelConfiguration {

        @Override
        public void configure(CamelContext context) {
            PropertiesComponent props = context.getPropertiesComponent();
            Clock clock = Clock.systemUTC();
            dataSource = Database.connect(settings.dbUrl(), settings.dbUser(), settings.dbPassword(),
                    new Database.Limits(Integer.parseInt(required(props, "db.max-pool-size")),
                            Long.parseLong(required(props, "db.connection-timeout-ms")),
                            Integer.parseInt(required(props, "db.socket-timeout-s")),
                            Long.parseLong(required(props, "db.statement-timeout-ms"))));
            connectionFactory = connectionFactory(props);

            JmsComponent jms = new JmsComponent();
            jms.setConnectionFactory(connectionFactory);
            // the transaction of a transacted consumer, joined by every send on its thread; unlike the one camel-jms
            // would create, it runs synchronizations, so an order's reply is marked sent only after the commit
            JmsTransactionManager transactions = new JmsTransactionManager(connectionFactory);
            transactions.setTransactionSynchronization(AbstractPlatformTransactionManager.SYNCHRONIZATION_ALWAYS);
            jms.setTransactionManager(transactions);
            context.getRegistry().bind("jms", jms);

            OrderRecords records = new OrderRecords(dataSource);
            long safety = Long.parseLong(required(props, "orders.quote-safety-ms"));
            bind(context, "dataSource", dataSource);
            bind(context, "clock", clock);
            bind(context, "orderRecords", records);
            bind(context, "orderValidator", new OrderValidator());
            bind(context, "orderClaims", new OrderClaims(records, Long.parseLong(required(props, "orders.lease-ms"))));
            bind(context, "orderDeadlines", new OrderDeadlines(clock,
                    Duration.ofMillis(Long.parseLong(required(props, "orders.max-age-ms")))));
            bind(context, "orderCircuitBreaker", orderCircuitBreaker(context, props));
            bind(context, "moneyGuardrails", new MoneyGuardrails(dataSource,
                    Map.of("on_ramp", new BigDecimal(required(props, "guardrails.max-order-amount.on-ramp")),
                            "off_ramp", new BigDecimal(required(props, "guardrails.max-order-amount.off-ramp"))),
                    Map.of("on_ramp", new BigDecimal(required(props, "guardrails.daily-cap.on-ramp")),
                            "off_ramp", new BigDecimal(required(props, "guardrails.daily-cap.off-ramp")))));
            bind(context, "quotePolicy", new QuotePolicy(clock, safety,
                    Integer.parseInt(required(props, "orders.max-quote-attempts"))));
            bind(context, "orderRequests", new OrderRequests());
            bind(context, "orderOutcomes", new OrderOutcomes(records, clock));
            bind(context, "deadLetters", new DeadLetters(records));
            bind(context, "poolCapabilities", new PoolCapabilities(
                    Duration.ofMillis(Long.parseLong(required(props, "pools.capabilities-ttl-ms"))), clock));
            bind(context, "poolsResponses", new PoolsResponses(
                    Long.parseLong(required(props, "retry.rate-limited.max-wait-ms")),
                    Long.parseLong(required(props, "retry.rate-limited.jitter-ms"))));
            PoolsHttpClient poolsHttp = poolsHttpClient(settings, props);
            // one configuration for both schemes: Camel's http and https are separate component instances
            bind(context, "http", poolsHttp.component());
            bind(context, "https", poolsHttp.component());
            com.poolsbridge.settlement.SettlementBeans.bind(context, props, dataSource, clock, settings);
            com.poolsbridge.reconciliation.ReconciliationBeans.bind(context, props, dataSource, clock);
            com.poolsbridge.budget.BudgetBeans.bind(context, props, dataSource, clock);
            com.poolsbridge.ops.Operations.bind(context, props, dataSource, settings, clock);
        }
    }

    /**
     * Stops taking orders while 0Pools or the database keeps failing, so orders wait on the queue instead of
     * spending their delivery attempts; {@link OrderCircuitProbe} decides when to take them again.
     */
    private static ThrottlingExceptionRoutePolicy orderCircuitBreaker(CamelContext context, PropertiesComponent props) {
        ThrottlingExceptionRoutePolicy breaker = new ThrottlingExceptionRoutePolicy();
        breaker.setFailureThreshold(Integer.parseInt(required(props, "orders.circuit.failure-threshold")));
        breaker.setFailureWindow(Long.parseLong(required(props, "orders.circuit.failure-window-ms")));
        breaker.setHalfOpenAfter(Long.parseLong(required(props, "orders.circuit.half-open-after-ms")));
        breaker.setExceptions(required(props, "orders.circuit.exceptions"));
        breaker.setStateLoggingLevel(LoggingLevel.INFO);
        breaker.setHalfOpenHandler(new OrderCircuitProbe(context, required(props, "pools.pools").split(",")[0].trim()));
        return breaker;
    }

    /** The one 0Pools client configuration (pools.http.* settings), shared by the bridge and the check command. */
    public static PoolsHttpClient poolsHttpClient(BridgeSettings settings, PropertiesComponent props) {
        return new PoolsHttpClient(settings.poolsBaseUrl(), settings.poolsSecretKey(), settings.poolsPublishableKey(),
                new PoolsHttpClient.Limits(
                        Long.parseLong(required(props, "pools.http.connect-timeout-ms")),
                        Long.parseLong(required(props, "pools.http.response-timeout-ms")),
                        Long.parseLong(required(props, "pools.http.connection-request-timeout-ms")),
                        Long.parseLong(required(props, "pools.http.max-response-bytes"))),
                PoolsHttpClient.trustStore(settings.poolsTrustStore(), settings.poolsTrustStorePassword()));
    }

    /**
     * Where properties come from, for the bridge and the check command alike: the first location holding a key
     * wins, so the operator's file (a mounted ConfigMap) comes before the packaged defaults; environment
     * variables (ORDERS_CONSUMERS for orders.consumers) override both.
     */
    public static void configureProperties(Main main, BridgeSettings settings) {
        String configFile = System.getenv("POOLS_BRIDGE_CONFIG");
        main.setDefaultPropertyPlaceholderLocation(
                (configFile == null || configFile.isBlank() ? "" : "file:" + configFile + ",")
                        + "classpath:config/application.properties");
        main.addOverrideProperty("pools.base-url", settings.poolsBaseUrl());
    }

    private JmsPoolConnectionFactory connectionFactory(PropertiesComponent props) {
        String url = BrokerUrls.withDefaults(settings.brokerUrl(), Map.of(
                "cacheDestinations", "true",
                "consumerWindowSize", required(props, "orders.consumer-window-size"),
                "reconnectAttempts", required(props, "broker.reconnect-attempts"),
                "retryInterval", required(props, "broker.retry-interval-ms"),
                "retryIntervalMultiplier", "2",
                "maxRetryInterval", required(props, "broker.max-retry-interval-ms")));
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(url, settings.brokerUser(), settings.brokerPassword());
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(artemis);
        pool.setMaxConnections(Integer.parseInt(required(props, "orders.jms.max-connections")));
        pool.setMaxSessionsPerConnection(Integer.parseInt(required(props, "orders.jms.max-sessions-per-connection")));
        return pool;
    }

    private static void bind(CamelContext context, String name, Object bean) {
        context.getRegistry().bind(name, bean);
    }

    @Override
    public void close() {
        main.stop();
        if (connectionFactory != null) {
            connectionFactory.stop();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
