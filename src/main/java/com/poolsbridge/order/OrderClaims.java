package com.poolsbridge.order;

import java.util.UUID;

import com.poolsbridge.pools.PoolsRequest;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The idempotent repository behind the order-intake idempotent consumer, backed by the order record itself
 * (unique on orderId) instead of a separately committed "seen" table.
 * <p>
 * Why not one of Camel's stock repositories (JDBC, JPA, memory): they mark a key as seen when it is added, so
 * an order whose delivery crashed after the claim would be skipped as a duplicate forever. Here a key counts as
 * a duplicate only once the order's reply is at the broker; while another delivery holds the lease the message
 * is rolled back for later (never acknowledged), and a lease that outlived its crashed owner simply runs out.
 * <p>
 * This class takes the {@link Exchange} because the {@link IdempotentRepository} SPI hands it over: the lease
 * owner is this delivery's exchange, and the row claimed (read by the same UPDATE … RETURNING) is left on the
 * exchange as property {@value #RECORD}, so the route needs no second read of it.
 */
public class OrderClaims extends ServiceSupport implements IdempotentRepository {

    /** Exchange property: the order's record as claimed, replaced by each write the flow continues from. */
    public static final String RECORD = "orderRecord";

    private final OrderRecords records;
    private final long leaseMillis;
    private final String instanceId = UUID.randomUUID().toString().substring(0, 8);

    public OrderClaims(OrderRecords records, long leaseMillis) {
        this.records = records;
        this.leaseMillis = leaseMillis;
    }

    @Override
    public boolean add(Exchange exchange, String orderId) {
        OrderRecords.Claimed claimed = records.claim(orderId, owner(exchange.getExchangeId()), leaseMillis);
        return switch (claimed.claim()) {
            case CLAIMED -> {
                exchange.setProperty(RECORD, claimed.record());
                yield true;
            }
            case DONE -> false;
            case BUSY -> throw new OrderLeasedElsewhereException(orderId, claimed.leaseLeftMillis());
        };
    }

    @Override
    public boolean contains(Exchange exchange, String orderId) {
        return contains(orderId);
    }

    /** Called on failure: free the lease so the broker's redelivery can resume the order at once. */
    @Override
    public boolean remove(Exchange exchange, String orderId) {
        records.release(orderId, owner(exchange.getExchangeId()));
        return true;
    }

    /**
     * Called on success. An answered order's reply went out in this delivery, and the statement that marks it
     * sent after the JMS commit also ends the lease; any other outcome (dead-lettered) frees the lease now.
     */
    @Override
    public boolean confirm(Exchange exchange, String orderId) {
        OrderRecord record = exchange.getProperty(RECORD, OrderRecord.class);
        if (record == null || !record.answered()) {
            records.release(orderId, owner(exchange.getExchangeId()));
        }
        return true;
    }

    /**
     * Called before every 0Pools call made for the order (route order-pools-call), which it also counts; returns
     * the record as renewed. A delivery that lost its lease (it stalled longer than the lease) stops before
     * writing anything, so two deliveries never quote or transact side by side.
     */
    public OrderRecord renew(String orderId, String exchangeId, PoolsRequest request) {
        return records.renewForCall(orderId, owner(exchangeId), leaseMillis, "transact".equals(request.operation()))
                .orElseThrow(() -> new OrderBusyException(orderId));
    }

    private String owner(String exchangeId) {
        return instanceId + ":" + exchangeId;
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("order claims need the exchange");
    }

    @Override
    public boolean contains(String key) {
        return records.find(key).map(OrderRecord::replySent).orElse(false);
    }

    @Override
    public boolean remove(String key) {
        throw new UnsupportedOperationException("order claims need the exchange");
    }

    @Override
    public boolean confirm(String key) {
        throw new UnsupportedOperationException("order claims need the exchange");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("order records are never cleared by the idempotent consumer");
    }
}
