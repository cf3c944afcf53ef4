package com.poolsbridge.order;

import java.time.Instant;
import java.util.List;

import com.poolsbridge.infra.Jdbc;
import com.poolsbridge.pools.PoolsRequest;
import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The claim registers a first sight; a call right after the claim goes out on its lease, a transact only right after
 * the quote's record, which counted it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderClaimsTest {

    private final DefaultCamelContext context = new DefaultCamelContext();
    private HikariDataSource dataSource;
    private OrderRecords records;

    @BeforeAll
    void connect() throws Exception {
        dataSource = TestInfrastructure.get().connect(4);
        records = new OrderRecords(dataSource);
    }

    @AfterAll
    void close() {
        dataSource.close();
    }

    @Test
    void aCallRightAfterTheClaimUsesItsLeaseButATransactAndALaterCallRenewIt() {
        OrderClaims claims = new OrderClaims(records, 60_000, 60_000);
        Exchange exchange = claimed(claims, Orders.newId("claims-fresh"));
        OrderRecord record = exchange.getProperty(OrderClaims.RECORD, OrderRecord.class);
        assertThat(record.state()).isEqualTo(OrderState.RECEIVED);
        stealLease(record.orderId());

        // within the fresh window no statement runs, so the stolen lease is not seen yet
        assertThat(claims.renew(record, exchange.getExchangeId(), lookup(record))).isSameAs(record);
        assertThatThrownBy(() -> claims.renew(record, exchange.getExchangeId(), transact(record)))
                .isInstanceOf(OrderBusyException.class);

        OrderClaims noFreshWindow = new OrderClaims(records, 60_000, 0);
        Exchange other = claimed(noFreshWindow, Orders.newId("claims-stale"));
        OrderRecord otherRecord = other.getProperty(OrderClaims.RECORD, OrderRecord.class);
        stealLease(otherRecord.orderId());
        assertThatThrownBy(() -> noFreshWindow.renew(otherRecord, other.getExchangeId(), lookup(otherRecord)))
                .isInstanceOf(OrderBusyException.class);
    }

    @Test
    void theQuotesRecordCountsItsTransactSoOnlyARetriedTransactRenewsAndALostLeaseStopsTheQuote() {
        OrderClaims claims = new OrderClaims(records, 60_000, 60_000);
        Exchange exchange = claimedAndQuoted(claims, "claims-quoted");
        OrderRecord quoted = record(exchange);
        String id = quoted.orderId();
        assertThat(quoted.transactCalls()).isEqualTo(1);
        stealLease(id);

        // the transact right after its quote goes out on the quote's statement; a retry of it is counted again
        assertThat(claims.renew(quoted, exchange.getExchangeId(), transact(quoted))).isSameAs(quoted);
        assertThatThrownBy(() -> claims.renew(quoted, exchange.getExchangeId(), transact(quoted)))
                .isInstanceOf(OrderBusyException.class);
        assertThat(records.get(id).transactCalls()).isEqualTo(1);

        // a delivery that lost its lease records no quote, so it never transacts one
        Exchange other = claimed(claims, Orders.newId("claims-quote-lost"));
        String otherId = record(other).orderId();
        stealLease(otherId);
        assertThatThrownBy(() -> claims.recordQuote(other.getExchangeId(), otherId, quote(otherId), true))
                .isInstanceOf(OrderBusyException.class);
        assertThat(records.get(otherId).quoteId()).isNull();
        assertThat(records.get(otherId).transactCalls()).isZero();
    }

    @Test
    void aTransactLaterThanTheFreshWindowOrOfAQuoteNotCountedRenewsAndIsCountedOnce() {
        OrderClaims noFreshWindow = new OrderClaims(records, 60_000, 0);
        Exchange late = claimedAndQuoted(noFreshWindow, "claims-quoted-late");
        OrderRecord quoted = record(late);
        assertThat(noFreshWindow.renew(quoted, late.getExchangeId(), transact(quoted)).transactCalls()).isEqualTo(1);
        stealLease(quoted.orderId());
        assertThatThrownBy(() -> noFreshWindow.renew(quoted, late.getExchangeId(), transact(quoted)))
                .isInstanceOf(OrderBusyException.class);

        OrderClaims claims = new OrderClaims(records, 60_000, 60_000);
        Exchange uncounted = claimed(claims, Orders.newId("claims-quoted-uncounted"));
        String id = record(uncounted).orderId();
        OrderRecord held = claims.recordQuote(uncounted.getExchangeId(), id, quote(id), false);
        assertThat(held.transactCalls()).isZero();
        assertThat(claims.renew(held, uncounted.getExchangeId(), transact(held)).transactCalls()).isEqualTo(1);
    }

    @Test
    void theSameOrderIdWithOtherTermsIsRefusedAndACopyOfALeasedOrderIsBusy() {
        OrderClaims claims = new OrderClaims(records, 60_000);
        String id = Orders.newId("claims-reuse");
        claimed(claims, id);

        Exchange copy = exchange(id, "100.00");
        assertThatThrownBy(() -> claims.add(copy, id)).isInstanceOf(OrderLeasedElsewhereException.class);
        Exchange reused = exchange(id, "200.00");
        assertThatThrownBy(() -> claims.add(reused, id)).isInstanceOf(InvalidOrderException.class)
                .hasMessageContaining("already used");
        assertThat(records.get(id).amount()).isEqualByComparingTo("100.00");
    }

    @Test
    void eachWriteReturnsTheRecordAsStoredToTheMicrosecond() {
        OrderClaims claims = new OrderClaims(records, 60_000);
        String id = Orders.newId("claims-read-back");
        Instant deadline = Instant.parse("2031-01-02T03:04:05.123456Z");
        Exchange exchange = exchange(id, "100.00");
        exchange.setProperty(OrderClaims.DEADLINE, deadline);
        assertThat(claims.add(exchange, id)).isTrue();
        OrderRecord claimed = exchange.getProperty(OrderClaims.RECORD, OrderRecord.class);
        assertThat(claimed).isEqualTo(records.get(id));
        assertThat(claimed.deadlineAt()).isEqualTo(deadline);
        assertThat(claimed.quoteExpiresAt()).isNull();

        Instant expires = Instant.parse("2031-01-02T03:04:20.654321Z");
        OrderRecord quoted = claims.recordQuote(exchange.getExchangeId(), id,
                new OrderRecords.FirmQuote("q-" + id, expires, "{\"quoteId\":\"q\"}", "req-1", "key-" + id), true);
        assertThat(quoted).isEqualTo(records.get(id));
        assertThat(quoted.transactCalls()).isEqualTo(1);
        assertThat(quoted.quoteExpiresAt()).isEqualTo(expires);
        assertThat(quoted.state()).isEqualTo(OrderState.TRANSACTING);
        assertThat(quoted.idempotencyKey()).isEqualTo("key-" + id);
        assertThat(quoted.quoteJson()).isEqualTo("{\"quoteId\":\"q\"}");
        assertThat(quoted.amount()).isEqualByComparingTo("100.00");

        OrderRecord reserved = records.recordReserved(id, "t-" + id, "reserved", "{}", "req-2", "{\"status\":\"accepted\"}");
        assertThat(reserved.transactId()).isEqualTo("t-" + id);
        assertThat(reserved.tradeStatus()).isEqualTo("reserved");
        assertThat(reserved.replyJson()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(reserved.replySent()).isFalse();
        records.markRepliesSent(List.of(id));
        assertThat(records.get(id).replySent()).isTrue();
        assertThat(records.get(id).deadlineAt()).isEqualTo(deadline);
    }

    private static OrderRecord record(Exchange exchange) {
        return exchange.getProperty(OrderClaims.RECORD, OrderRecord.class);
    }

    /** A delivery that claimed a new order and recorded its quote, the transact counted (the record as written). */
    private Exchange claimedAndQuoted(OrderClaims claims, String prefix) {
        Exchange exchange = claimed(claims, Orders.newId(prefix));
        String id = record(exchange).orderId();
        exchange.setProperty(OrderClaims.RECORD, claims.recordQuote(exchange.getExchangeId(), id, quote(id), true));
        return exchange;
    }

    private static OrderRecords.FirmQuote quote(String orderId) {
        return new OrderRecords.FirmQuote("q-" + orderId, Instant.now().plusSeconds(15), "{}", "req-1", "key-" + orderId);
    }

    private Exchange claimed(OrderClaims claims, String orderId) {
        Exchange exchange = exchange(orderId, "100.00");
        assertThat(claims.add(exchange, orderId)).isTrue();
        return exchange;
    }

    private Exchange exchange(String orderId, String amount) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(OrderClaims.ORDER, Orders.parsedOnRamp(orderId, "EUR-USDT", amount));
        return exchange;
    }

    private void stealLease(String orderId) {
        Jdbc.update(dataSource, "UPDATE order_record SET lease_owner = 'other-delivery' WHERE order_id = ?", orderId);
    }

    private static PoolsRequest lookup(OrderRecord record) {
        return PoolsRequest.get("getTransactionByQuote", "/pools/transactions/" + record.orderId(), null);
    }

    private static PoolsRequest transact(OrderRecord record) {
        return PoolsRequest.post("transact", "/pools/EUR-USDT/transact", "{}", "key-" + record.orderId());
    }
}
