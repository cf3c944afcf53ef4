package com.poolsbridge.order;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.poolsbridge.support.Orders;
import com.poolsbridge.support.ScriptedPools;
import com.poolsbridge.support.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
        dataSource = infra.connect(12);
        records = new OrderRecords(dataSource);
    }

    @BeforeEach
    void limits() {
        // off_ramp: at most 150 per order, and 250 per 24 h beyond what other tests already counted
        BigDecimal counted = counted("off_ramp");
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

        guardrails.verifyTrade(order, ScriptedPools.trade("pq_1", "reserved"));
        assertThatThrownBy(() -> guardrails.verifyTrade(order,
                ScriptedPools.trade("pq_1", "reserved").replace("\"cryptoAmount\":\"107.31\"", "\"cryptoAmount\":\"10.31\"")))
                .isInstanceOf(TradeMismatchException.class).hasMessageContaining("cryptoAmount");
        assertThatThrownBy(() -> guardrails.verifyTrade(order,
                ScriptedPools.trade("pq_1", "reserved").replace("TQ4Hb2N5xhvNm6sHdxb6aU8c1KQzjZpTm7", "TAttacker")))
                .isInstanceOf(TradeMismatchException.class).hasMessageContaining("destAddress");
        assertThatThrownBy(() -> guardrails.verifyTrade(order, ScriptedPools.trade("pq_2", "reserved")))
                .isInstanceOf(TradeMismatchException.class).hasMessageContaining("quoteId");
    }

    @Test
    void concurrentOrdersOfASideNeverCountBeyondItsCap() throws Exception {
        // rounds of ten orders admitted at once from ten connections, each round with room for exactly five
        ExecutorService threads = Executors.newFixedThreadPool(10);
        try {
            for (int round = 0; round < 5; round++) {
                MoneyGuardrails onRamp = new MoneyGuardrails(dataSource, Map.of(),
                        Map.of("on_ramp", counted("on_ramp").add(new BigDecimal("500"))));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> admitted = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String id = Orders.newId("cap-race");
                    records.claim(new OrderValidator().parse(
                            Orders.onRamp(id, "EUR-USDT", "100").getBytes(StandardCharsets.UTF_8)), null, "test", 60_000);
                    OrderRecord order = records.get(id);
                    admitted.add(threads.submit(() -> {
                        start.await();
                        try {
                            onRamp.admit(order);
                            return true;
                        } catch (LocalRejectionException e) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                long count = 0;
                for (Future<Boolean> f : admitted) {
                    count += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(count).as("orders admitted in round %d", round).isEqualTo(5);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void minutesOlderThanTheRollingDayNoLongerCount() {
        // a full cap's worth counted 24 h and 2 minutes ago (the minute before the oldest that still counts)
        com.poolsbridge.infra.Jdbc.update(dataSource, """
                INSERT INTO daily_cap_usage (side, minute, amount)
                VALUES ('off_ramp', date_trunc('minute', now() - interval '24 hours 2 minutes'), 1000000)
                ON CONFLICT (side, minute) DO UPDATE SET amount = EXCLUDED.amount""");

        MoneyGuardrails tight = new MoneyGuardrails(dataSource, Map.of(),
                Map.of("off_ramp", counted("off_ramp").add(new BigDecimal("100"))));
        tight.admit(order("100"));
        assertThatThrownBy(() -> tight.admit(order("0.01"))).isInstanceOf(LocalRejectionException.class)
                .hasMessageContaining("daily_limit_exceeded");
    }

    /** What the side's cap holds now: its minutes of the rolling day. */
    private BigDecimal counted(String side) {
        return com.poolsbridge.infra.Jdbc.queryOne(dataSource, """
                SELECT COALESCE(SUM(amount), 0) FROM daily_cap_usage
                WHERE side = ? AND minute > now() - interval '24 hours 1 minute'""",
                rs -> rs.getBigDecimal(1), side).orElseThrow();
    }

    private OrderRecord order(String amount) {
        String id = Orders.newId("cap");
        OrderMessage message = new OrderValidator().parse(Orders.order(id, "EUR-USDC", "off_ramp", amount, "ethereum")
                .getBytes(StandardCharsets.UTF_8));
        records.claim(message, null, "test", 60_000);
        return records.get(id);
    }
}
