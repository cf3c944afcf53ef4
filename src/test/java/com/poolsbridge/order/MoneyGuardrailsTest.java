package com.poolsbridge.order;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.sql.DataSource;

import com.poolsbridge.infra.Database;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.ScriptedPools;
import com.poolsbridge.support.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spending limits and the trade check as a plain bean against the embedded PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MoneyGuardrailsTest {

    private com.zaxxer.hikari.HikariDataSource dataSource;
    private OrderRecords records;
    private MoneyGuardrails guardrails;

    @BeforeAll
    void connect() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        dataSource = Database.connect(infra.database().jdbcUrl(), infra.database().user(), TestInfrastructure.DB_PASSWORD, 4);
        records = new OrderRecords(dataSource);
        // off_ramp: at most 150 per order, and 250 per 24 h beyond what other tests of this JVM already counted
        BigDecimal counted = com.poolsbridge.infra.Jdbc.queryOne(dataSource, """
                SELECT COALESCE(SUM(amount), 0) FROM order_record WHERE side = 'off_ramp'
                AND cap_counted_at > now() - interval '24 hours' AND state NOT IN ('REJECTED', 'INVALID')""",
                rs -> rs.getBigDecimal(1)).orElseThrow();
        guardrails = new MoneyGuardrails(dataSource, Map.of("off_ramp", new BigDecimal("150")),
                Map.of("off_ramp", counted.add(new BigDecimal("250"))));
    }

    @AfterAll
    void close() {
        dataSource.close();
    }

    @Test
    void theRollingCapOfASideCountsEachOrderOnceAndReleasesRejectedOnes() {
        OrderRecord first = order("100");
        OrderRecord second = order("100");
        OrderRecord third = order("100");

        guardrails.admit(first);
        guardrails.admit(first); // a new quote attempt of the same order is not counted again
        guardrails.admit(second);
        assertThatThrownBy(() -> guardrails.admit(third)).isInstanceOf(LocalRejectionException.class)
                .hasMessageContaining("daily_limit_exceeded");

        records.recordRejected(second.orderId(), Rejection.byBridge("pool_dry", "test"), "{}");
        guardrails.admit(third);
    }

    @Test
    void anOrderAboveTheMaximumIsRejectedBeforeAnythingIsCounted() {
        assertThatThrownBy(() -> guardrails.admit(order("150.01"))).isInstanceOf(LocalRejectionException.class)
                .hasMessageContaining("order_limit_exceeded");
    }

    @Test
    void aTradeThatDiffersFromItsQuoteOrOrderIsNeverAccepted() throws Exception {
        OrderRecord order = new OrderRecord("o-1", "EUR-USDT", "on_ramp", new BigDecimal("100.00"), "tron",
                "TQ4Hb2N5xhvNm6sHdxb6aU8c1KQzjZpTm7", "tron", OrderState.TRANSACTING, 1, "pq_1", null, "k", null, null, null, false, null, 1,
                "f", ScriptedPools.firmQuote("pq_1", java.time.Instant.now()));

        guardrails.verifyTrade(order, order.quoteJson(), ScriptedPools.trade("pq_1", "reserved"));
        assertThatThrownBy(() -> guardrails.verifyTrade(order, order.quoteJson(),
                ScriptedPools.trade("pq_1", "reserved").replace("\"cryptoAmount\":\"107.31\"", "\"cryptoAmount\":\"10.31\"")))
                .isInstanceOf(TradeMismatchException.class).hasMessageContaining("cryptoAmount");
        assertThatThrownBy(() -> guardrails.verifyTrade(order, order.quoteJson(),
                ScriptedPools.trade("pq_1", "reserved").replace("TQ4Hb2N5xhvNm6sHdxb6aU8c1KQzjZpTm7", "TAttacker")))
                .isInstanceOf(TradeMismatchException.class).hasMessageContaining("destAddress");
        assertThatThrownBy(() -> guardrails.verifyTrade(order, order.quoteJson(), ScriptedPools.trade("pq_2", "reserved")))
                .isInstanceOf(TradeMismatchException.class).hasMessageContaining("quoteId");
    }

    private OrderRecord order(String amount) {
        String id = Orders.newId("cap");
        OrderMessage message = new OrderValidator().parse(Orders.order(id, "EUR-USDC", "off_ramp", amount, "ethereum")
                .getBytes(StandardCharsets.UTF_8));
        records.register(message, null);
        return records.get(id);
    }
}
