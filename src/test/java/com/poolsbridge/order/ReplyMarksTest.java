package com.poolsbridge.order;

import java.time.Duration;
import java.util.List;

import com.poolsbridge.support.Orders;
import com.poolsbridge.support.TestInfrastructure;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A reply is marked sent only after its JMS transaction commits, later in a batch, and at the latest on stop. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplyMarksTest {

    private final DefaultCamelContext context = new DefaultCamelContext();
    private HikariDataSource dataSource;
    private OrderRecords records;

    @BeforeAll
    void connect() throws Exception {
        dataSource = TestInfrastructure.get().connect(4);
        records = new OrderRecords(dataSource);
        context.start();
    }

    @AfterAll
    void close() {
        context.stop();
        dataSource.close();
    }

    @Test
    void theRepliesOfATransactionAreMarkedAfterItsCommitTogether() {
        ReplyMarks marks = new ReplyMarks(context, records, 20);
        marks.start();
        try {
            List<String> ids = List.of(claimed("marks-a"), claimed("marks-b"), claimed("marks-c"));
            inTransaction(() -> ids.forEach(marks::sentOnCommit), () -> {
                // the transaction has not committed yet: no copy may take the order for answered
                ids.forEach(id -> assertThat(records.get(id).replySent()).as(id).isFalse());
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().allMatch(id -> records.get(id).replySent()));
        } finally {
            marks.stop();
        }
    }

    @Test
    void theMarksStillPendingAreWrittenWhenItStops() {
        ReplyMarks marks = new ReplyMarks(context, records, 600_000);
        marks.start();
        String id = claimed("marks-stop");
        inTransaction(() -> marks.sentOnCommit(id), () -> { });
        assertThat(records.get(id).replySent()).as("pending for ten minutes").isFalse();

        marks.stop();

        assertThat(records.get(id).replySent()).isTrue();
    }

    @Test
    void withoutATransactionTheMarkIsWrittenAtOnce() {
        ReplyMarks marks = new ReplyMarks(context, records, 600_000);
        marks.start();
        try {
            String id = claimed("marks-direct");
            marks.sentOnCommit(id);
            assertThat(records.get(id).replySent()).isTrue();
        } finally {
            marks.stop();
        }
    }

    /** Runs {@code work} in a transaction's synchronization scope, {@code beforeCommit}, then "commits" it. */
    private static void inTransaction(Runnable work, Runnable beforeCommit) {
        TransactionSynchronizationManager.initSynchronization();
        try {
            work.run();
            beforeCommit.run();
            TransactionSynchronizationUtils.invokeAfterCommit(TransactionSynchronizationManager.getSynchronizations());
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }

    private String claimed(String prefix) {
        String id = Orders.newId(prefix);
        records.claim(Orders.parsedOnRamp(id, "EUR-USDT", "100.00"), null, "test", 60_000);
        return id;
    }
}
