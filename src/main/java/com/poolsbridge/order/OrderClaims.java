package com.poolsbridge.order;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
 * owner is this delivery's exchange, a first sight is registered from the parsed order in property
 * {@value #ORDER} (in the same statement as its claim), and the row claimed is left on the exchange as property
 * {@value #RECORD}, so the route needs no second read of it.
 */
public class OrderClaims extends ServiceSupport implements IdempotentRepository {

    /** Exchange property: the order's record as claimed, replaced by each write the flow continues from. */
    public static final String RECORD = "orderRecord";
    /** Exchange properties the claim registers a first sight from: the parsed order and its deadline. */
    public static final String ORDER = "order";
    public static final String DEADLINE = "orderDeadline";

    /**
     * A call within this long of the claim or the last renewal needs no renewal of its own (unless it is a
     * transact, which is counted before it goes out): the lease was taken for this delivery at most this long
     * ago, so it still runs for all but this of orders.lease-ms, which is sized to outlast one call plus the
     * longest retry delay with more to spare than this.
     */
    static final long FRESH_LEASE_MILLIS = 1000;

    private final OrderRecords records;
    private final long leaseMillis;
    private final String instanceId = UUID.randomUUID().toString().substring(0, 8);
    /** Each delivery of this instance holding a lease: when it took or last renewed it. */
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    private final long freshLeaseNanos;

    public OrderClaims(OrderRecords records, long leaseMillis) {
        this(records, leaseMillis, FRESH_LEASE_MILLIS);
    }

    OrderClaims(OrderRecords records, long leaseMillis, long freshLeaseMillis) {
        this.records = records;
        this.leaseMillis = leaseMillis;
        this.freshLeaseNanos = TimeUnit.MILLISECONDS.toNanos(freshLeaseMillis);
    }

    @Override
    public boolean add(Exchange exchange, String orderId) {
        OrderMessage order = exchange.getProperty(ORDER, OrderMessage.class);
        if (order == null || !order.orderId().equals(orderId)) {
            throw new IllegalStateException("order claims need the parsed order " + orderId + " in property " + ORDER);
        }
        String owner = owner(exchange.getExchangeId());
        long at = System.nanoTime();
        OrderRecords.Claimed claimed = records.claim(order, exchange.getProperty(DEADLINE, Instant.class), owner,
                leaseMillis);
        return switch (claimed.claim()) {
            case CLAIMED -> {
                leases.put(owner, new Lease(at, false));
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
        String owner = owner(exchange.getExchangeId());
        leases.remove(owner);
        records.release(orderId, owner);
        return true;
    }

    /**
     * Called on success. An answered order's reply went out in this delivery, and the statement that marks it
     * sent after the JMS commit also ends the lease; any other outcome (dead-lettered) frees the lease now.
     */
    @Override
    public boolean confirm(Exchange exchange, String orderId) {
        String owner = owner(exchange.getExchangeId());
        leases.remove(owner);
        OrderRecord record = exchange.getProperty(RECORD, OrderRecord.class);
        if (record == null || !record.answered()) {
            records.release(orderId, owner);
        }
        return true;
    }

    /**
     * Records the firm quote and its key (OrderOutcomes.quoted) under this delivery's lease: the same statement
     * renews the lease and, with {@code countTransact}, counts the quote's transact, so the transact that follows
     * at once needs no statement of its own. A delivery that lost its lease stops here, before any transact.
     */
    public OrderRecord recordQuote(String exchangeId, String orderId, OrderRecords.FirmQuote quote,
                                   boolean countTransact) {
        String owner = owner(exchangeId);
        long now = System.nanoTime();
        OrderRecord quoted = records.recordQuote(orderId, owner, leaseMillis, quote, countTransact)
                .orElseThrow(() -> new OrderBusyException(orderId));
        leases.put(owner, new Lease(now, countTransact));
        return quoted;
    }

    /**
     * Called before every 0Pools call made for the order (route order-pools-call); returns the record as renewed.
     * A delivery that lost its lease (it stalled longer than the lease) stops before writing anything, so two
     * deliveries never quote or transact side by side. A transact is counted for its quote first (committed
     * before it goes out), by the quote's own record or else here. A call within {@link #FRESH_LEASE_MILLIS} of
     * the claim or the last renewal goes out on that lease, with no statement: the order's first call, right after
     * its claim, and the transact right after its quote, most often.
     */
    public OrderRecord renew(OrderRecord record, String exchangeId, PoolsRequest request) {
        String owner = owner(exchangeId);
        boolean transact = "transact".equals(request.operation());
        long now = System.nanoTime();
        Lease lease = leases.get(owner);
        boolean counted = lease != null && lease.transactCounted();
        if (lease != null && now - lease.at() < freshLeaseNanos && (!transact || counted)) {
            if (transact) {
                leases.put(owner, new Lease(lease.at(), false));   // counted for this call only; a retry counts again
            }
            return record;
        }
        OrderRecord renewed = records.renewForCall(record.orderId(), owner, leaseMillis, transact && !counted)
                .orElseThrow(() -> new OrderBusyException(record.orderId()));
        leases.put(owner, new Lease(now, false));
        return renewed;
    }

    /**
     * When a delivery took or last renewed its lease (System.nanoTime before the statement), and whether that
     * statement counted the transact about to go out.
     */
    private record Lease(long at, boolean transactCounted) {
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
