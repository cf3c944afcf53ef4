package com.poolsbridge.bench;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolsbridge.infra.Database;
import com.poolsbridge.support.Orders;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.jms.connection.JmsTransactionManager;

/**
 * P1's reference: the bare Camel shape of an order, with none of the bridge's bookkeeping. Transacted JMS consumer
 * (the same pooled-jms + Artemis factory, consumer window 0, 4 consumers, a JmsTransactionManager joined by the
 * reply send) → Camel's idempotent consumer on camel-sql's JdbcMessageIdRepository (PostgreSQL) → POST quote → POST
 * transact (with an Idempotency-Key) → JMS reply, through the same broker, database and sandbox (and the same
 * loopback proxies) as the app. It runs in the benchmark's JVM; it is a measuring stick, not a product.
 */
final class BareCamelReference implements AutoCloseable {

    static final String ORDERS = "bench.bare.orders";
    static final String RESULTS = "bench.bare.results";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HikariDataSource dataSource;
    private final JmsPoolConnectionFactory connectionFactory;
    private final CamelContext context;

    /**
     * @param brokerUrl  the broker as the app reaches it (its proxy)
     * @param jdbcUrl    the database as the app reaches it (its proxy)
     * @param poolsBase  {@code http://127.0.0.1:PORT/v1} as the app reaches it (its proxy)
     */
    BareCamelReference(String brokerUrl, String jdbcUrl, String dbUser, String dbPassword, String poolsBase,
                       String secretKey, int consumers) throws Exception {
        dataSource = Database.connect(jdbcUrl, dbUser, dbPassword, consumers + 2);
        // camel-sql's repository (its table CAMEL_MESSAGEPROCESSED is created on start)
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, "bare-order");
        connectionFactory = new JmsPoolConnectionFactory();
        connectionFactory.setConnectionFactory(new ActiveMQConnectionFactory(brokerUrl
                + "?consumerWindowSize=0&cacheDestinations=true"));
        connectionFactory.setMaxConnections(4);

        context = new DefaultCamelContext();
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(connectionFactory);
        jms.setTransactionManager(new JmsTransactionManager(connectionFactory));
        context.getRegistry().bind("jms", jms);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:" + ORDERS + "?transacted=true&cacheLevelName=CACHE_CONSUMER&disableReplyTo=true"
                        + "&concurrentConsumers=" + consumers)
                        .routeId("bare-order")
                        .process(e -> {
                            JsonNode order = JSON.readTree(e.getMessage().getBody(String.class));
                            e.setProperty("order", order);
                            e.setProperty("orderId", order.path("orderId").asText());
                        })
                        // eager, and the key removed again when the exchange fails (Camel's defaults)
                        .idempotentConsumer(exchangeProperty("orderId"), repository)
                            .process(e -> {
                                JsonNode order = e.getProperty("order", JsonNode.class);
                                ObjectNode quote = JSON.createObjectNode();
                                quote.put("side", order.path("side").asText());
                                quote.put("amount", order.path("amount").asText());
                                quote.put("type", "firm");
                                quote.put("cryptoNetwork", order.path("cryptoNetwork").asText());
                                quote.put("destAddress", order.path("destAddress").asText());
                                call(e, "/pools/" + order.path("poolId").asText() + "/quote", quote, null);
                            })
                            .to(poolsBase)
                            .process(e -> {
                                JsonNode order = e.getProperty("order", JsonNode.class);
                                String quoteId = JSON.readTree(e.getMessage().getBody(String.class)).path("quoteId").asText();
                                call(e, "/pools/" + order.path("poolId").asText() + "/transact",
                                        JSON.createObjectNode().put("quoteId", quoteId),
                                        "bare-tx:" + order.path("orderId").asText() + ":" + quoteId);
                            })
                            .to(poolsBase)
                            .process(e -> {
                                JsonNode trade = JSON.readTree(e.getMessage().getBody(String.class));
                                String orderId = e.getProperty("order", JsonNode.class).path("orderId").asText();
                                e.getMessage().setHeaders(Map.of("JMSCorrelationID", orderId));
                                e.getMessage().setBody(JSON.writeValueAsString(JSON.createObjectNode()
                                        .put("orderId", orderId).put("outcome", "accepted")
                                        .put("transactId", trade.path("transactId").asText())));
                            })
                            .to("jms:queue:" + RESULTS)
                        .end();
            }

            private void call(Exchange e, String path, JsonNode body, String idempotencyKey) throws Exception {
                var m = e.getMessage();
                m.removeHeaders("*");
                m.setHeader(Exchange.HTTP_METHOD, "POST");
                m.setHeader(Exchange.HTTP_PATH, path);
                m.setHeader("Authorization", "Bearer " + secretKey);
                m.setHeader("Content-Type", "application/json");
                m.setHeader("Accept", "application/json");
                if (idempotencyKey != null) {
                    m.setHeader("Idempotency-Key", idempotencyKey);
                }
                m.setBody(JSON.writeValueAsString(body));
            }
        });
    }

    static String order(String orderId, String amount) {
        return Orders.onRamp(orderId, "EUR-USDT", amount);
    }

    void start() {
        context.start();
    }

    @Override
    public void close() throws Exception {
        context.close();
        connectionFactory.stop();
        dataSource.close();
    }
}
