package com.poolsbridge.order;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The idempotent repository behind the order-intake idempotent consumer, backed by the order record itself
 * (unique on orderId) instead of a separately committed "seen" table. A key counts as a duplicate only once
 * the order's reply is at the broker; while another delivery holds the lease the message is rolled back for
 * later (never acknowledged), so a crash between claim and commit can never leave an order silently skipped.
 */
public class OrderClaims extends ServiceSupport implements IdempotentRepository {

    private final OrderRecords records;
    private final long leaseMillis;
    private final String instanceId = UUID.randomUUID().toString().substring(0, 8);

    public OrderClaims(OrderRecords records, long leaseMillis) {
        this.records = records;
        this.leaseMillis = leaseMillis;
    }

    @Override
    public boolean add(Exchange exchange, String orderId) {
        return switch (records.claim(orderId, owner(exchange), leaseMillis)) {
            case CLAIMED -> true;
            case DONE -> false;
            case BUSY -> throw new OrderBusyException(orderId);
        };
    }

    @Override
    public boolean contains(Exchange exchange, String orderId) {
        return contains(orderId);
    }

    /** Called on failure: free the lease so the broker's redelivery can resume the order at once. */
    @Override
    public boolean remove(Exchange exchange, String orderId) {
        records.release(orderId, owner(exchange));
        return true;
    }

    @Override
    public boolean confirm(Exchange exchange, String orderId) {
        records.release(orderId, owner(exchange));
        return true;
    }

    /**
     * Called before every 0Pools call made for the order: a delivery that lost its lease (it stalled longer
     * than the lease) stops before writing anything, so two deliveries never quote or transact side by side.
     */
    public void renew(Exchange exchange, String orderId) {
        if (!records.renew(orderId, owner(exchange), leaseMillis)) {
            throw new OrderBusyException(orderId);
        }
    }

    private String owner(Exchange exchange) {
        return instanceId + ":" + exchange.getExchangeId();
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
