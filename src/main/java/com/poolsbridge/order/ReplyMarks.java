package com.poolsbridge.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.poolsbridge.infra.JmsTransactions;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks orders' replies sent once their JMS transaction has committed (the reply is at the broker and the order
 * message acknowledged, atomically): from then on copies of the order are plain duplicates, and the mark ends
 * the order's lease. The marks of the replies committed within {@code lingerMillis} go to the database in one
 * statement, on a thread of their own, instead of one statement each on the consumer thread.
 * <p>
 * A mark is only ever late, never early. A mark that is late or lost (a crash before it was written) leaves the
 * order leased until its lease runs out and its stored reply unsent-looking: a copy of the order arriving then
 * sends the stored reply again, and the broker drops it by its duplicate id. Without a JMS transaction (a
 * direct call) the mark is written at once.
 */
public class ReplyMarks extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyMarks.class);
    private static final int MAX_BATCH = 500;

    private final CamelContext context;
    private final OrderRecords records;
    private final long lingerMillis;
    private final Queue<String> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private ScheduledExecutorService executor;

    public ReplyMarks(CamelContext context, OrderRecords records, long lingerMillis) {
        this.context = context;
        this.records = records;
        this.lingerMillis = lingerMillis;
    }

    /** The reply of {@code orderId} was sent in the current JMS transaction: mark it sent once that commits. */
    public void sentOnCommit(String orderId) {
        if (!JmsTransactions.active()) {
            records.markRepliesSent(List.of(orderId));
            return;
        }
        JmsTransactions.afterCommit(() -> {
            pending.add(orderId);
            if (scheduled.compareAndSet(false, true)) {
                executor.schedule(this::flush, lingerMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Writes the pending marks, and schedules the next flush when more came in meanwhile. */
    void flush() {
        scheduled.set(false);
        while (!pending.isEmpty()) {
            List<String> batch = new ArrayList<>();
            for (String id = pending.poll(); id != null; id = batch.size() < MAX_BATCH ? pending.poll() : null) {
                batch.add(id);
            }
            try {
                records.markRepliesSent(batch);
            } catch (RuntimeException e) {
                // lost marks only delay copies of these orders until their leases run out (class comment)
                LOG.warn("could not mark {} replies sent ({}); their leases run out instead", batch.size(), e.toString());
                return;
            }
        }
    }

    @Override
    protected void doStart() {
        executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "ReplyMarks");
    }

    /** The routes stopped first (Camel stops services after them): every mark still pending is written now. */
    @Override
    protected void doStop() {
        context.getExecutorServiceManager().shutdownGraceful(executor);
        flush();
    }
}
