package com.poolsbridge.order;

import java.util.List;
import java.util.Map;

import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.support.CountingJdbcDriver;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.ScriptedPools;
import com.poolsbridge.support.TestInfrastructure;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counts the database round trips of one accepted order (capabilities already cached): every statement the
 * bridge executes on the thread that runs the order, and every explicit commit or rollback, through a counting
 * JDBC driver around the real one.
 * register and claim (one statement), daily-cap admission, quote with its transact counted and the lease renewed,
 * trade and reply, reply sent and lease released after the JMS commit: 5 (the quote goes out on the lease just
 * claimed, the transact on the lease the quote's record renewed, with no statement of their own). The partner
 * budget's permits are
 * counted apart: the quote's, one round trip (the tier lock, then one statement that counts, decides and inserts
 * its permit and the one held for its transact; a cleanup once every 64 grants); the transact's, one statement
 * using the held permit: 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderRoundTripsTest {

    private final ScriptedPools pools = new ScriptedPools();
    private BridgeApplication app;
    private CamelContext context;
    private ProducerTemplate template;
    private MockEndpoint results;

    @BeforeAll
    void startRoutes() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        Map<String, String> props = TestInfrastructure.fastRetries();
        props.put("pools.capabilities-refresh-delay-ms", "3600000");
        app = new BridgeApplication(infra.settings("http://127.0.0.1:9/v1",
                CountingJdbcDriver.url(infra.database().jdbcUrl())), props);
        context = app.start();
        AdviceWith.adviceWith(context, "pools-api", a -> a.weaveById("pools-http-call").replace().process(pools));
        AdviceWith.adviceWith(context, "order-intake", a -> a.replaceFromWith("direct:orders"));
        AdviceWith.adviceWith(context, "order-reply", a -> a.mockEndpointsAndSkip("jms:.*"));
        template = context.createProducerTemplate();
        results = context.getEndpoint("mock:jms:queue:pools.orders.results", MockEndpoint.class);
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void anAcceptedOrderCostsAtMostFiveRoundTrips() throws Exception {
        // the first order of a pool loads its capabilities; the steady state is what is counted
        results.expectedMessageCount(2);
        template.sendBody("direct:orders", Orders.onRamp(Orders.newId("trips-warm"), "EUR-USDT", "100.00"));
        CountingJdbcDriver.reset();

        template.sendBody("direct:orders", Orders.onRamp(Orders.newId("trips"), "EUR-USDT", "100.00"));

        results.assertIsSatisfied();
        List<String> all = CountingJdbcDriver.executions().stream()
                .filter(e -> e.thread() == Thread.currentThread()).map(CountingJdbcDriver.Execution::sql).toList();
        List<String> budget = all.stream().filter(sql -> sql.contains("partner_budget")).toList();
        List<String> statements = all.stream().filter(sql -> !sql.contains("partner_budget")).toList();
        assertThat(statements).as("statements of one accepted order: %s", statements)
                .isNotEmpty().hasSizeLessThanOrEqualTo(5);
        assertThat(budget.stream().filter(sql -> !sql.startsWith("DELETE")).toList())
                .as("partner budget round trips of its two calls, the periodic cleanup apart: %s", budget).hasSize(2);
        assertThat(results.getExchanges().get(1).getMessage().getBody(String.class)).contains("\"outcome\":\"accepted\"");
    }
}
