package com.poolsbridge.pools;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import com.poolsbridge.order.LocalRejectionException;
import com.poolsbridge.order.OrderRecord;
import com.poolsbridge.order.OrderState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When an order makes the bridge read a pool's capabilities again, and what the copy refuses. */
class PoolCapabilitiesTest {

    private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
    private static final String ON_RAMP_ONLY = """
            {"poolId":"EUR-USDT","supportedNetworks":["tron"],"sides":["on_ramp"],"cryptoCurrency":"USDT",
             "minOrderUsdt":"10.00","maxOrderUsdt":null}""";

    private Instant now = T0;
    private final PoolCapabilities capabilities = new PoolCapabilities(Duration.ofHours(1), new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void aCopyIsReadForTheFirstOrderAndAgainOnlyAfterItsTtl() throws Exception {
        assertThat(capabilities.needsRefresh(order("on_ramp"))).isTrue();
        capabilities.store(ON_RAMP_ONLY);
        now = T0.plus(Duration.ofMinutes(59));
        assertThat(capabilities.needsRefresh(order("on_ramp"))).isFalse();
        now = T0.plus(Duration.ofMinutes(61));
        assertThat(capabilities.needsRefresh(order("on_ramp"))).isTrue();
    }

    @Test
    void aCopyOverAMinuteOldIsReadAgainBeforeItRefusesAnOrder() throws Exception {
        capabilities.store(ON_RAMP_ONLY);
        now = T0.plusSeconds(30);
        assertThat(capabilities.needsRefresh(order("off_ramp"))).as("a fresh copy refuses on its own").isFalse();
        assertThatThrownBy(() -> capabilities.check(order("off_ramp"))).isInstanceOf(LocalRejectionException.class)
                .hasMessageContaining("side_not_supported");

        now = T0.plusSeconds(61);
        assertThat(capabilities.needsRefresh(order("on_ramp"))).as("a copy that accepts the order is kept").isFalse();
        assertThat(capabilities.needsRefresh(order("off_ramp"))).as("the pool may have gained the side").isTrue();
        capabilities.store(ON_RAMP_ONLY.replace("[\"on_ramp\"]", "[\"on_ramp\",\"off_ramp\"]"));
        assertThat(capabilities.needsRefresh(order("off_ramp"))).isFalse();
        capabilities.check(order("off_ramp"));
    }

    private static OrderRecord order(String side) {
        return new OrderRecord("o-1", "EUR-USDT", side, new BigDecimal("50.00"), "tron", "TQ4Hb2N5xhvNm6sHdxb6aU8c1KQzjZpTm7",
                null, OrderState.RECEIVED, 0, null, null, null, null, null, null, false, null, 0, "f", null);
    }
}
