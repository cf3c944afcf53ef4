package com.poolsbridge.reconciliation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.support.CountingJdbcDriver;
import com.poolsbridge.support.JsonSchemas;
import com.poolsbridge.support.ScriptedPools;
import com.poolsbridge.support.TestInfrastructure;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Route unit tests for the reconciliation walk: 0Pools list calls are scripted (AdviceWith on pools-http-call),
 * the reconciliation queue is a mock, order records and findings live in the embedded PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScriptedPools pools = new ScriptedPools();
    private final List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String walkName = "unit-" + UUID.randomUUID().toString().substring(0, 8);
    /** reconciliation sends so far, and the number of the one that fails (0: none) */
    private final java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger failSend = new java.util.concurrent.atomic.AtomicInteger();
    private BridgeApplication app;
    private CamelContext context;
    private ProducerTemplate template;
    private MockEndpoint queue;
    private DataSource dataSource;
    private String prefix;

    @BeforeAll
    void startRoutes() throws Exception {
        Map<String, String> props = TestInfrastructure.fastRetries();
        props.put("reconciliation.initial-delay-ms", "3600000");
        props.put("reconciliation.walk-name", walkName);
        props.put("reconciliation.trades-page-size", "2");
        props.put("reconciliation.recheck-window-ms", "0");
        props.put("reconciliation.returned-window-ms", "3600000");
        props.put("reconciliation.max-calls-per-second", "100");
        props.put("reconciliation.retry.initial-delay-ms", "10");
        TestInfrastructure infra = TestInfrastructure.get();
        app = new BridgeApplication(infra.settings("http://127.0.0.1:9/v1",
                CountingJdbcDriver.url(infra.database().jdbcUrl())), props);
        context = app.start();
        AdviceWith.adviceWith(context, "pools-api", a -> a.weaveById("pools-http-call").replace().process(e -> {
            com.poolsbridge.pools.PoolsRequest request = e.getProperty("poolsRequest", com.poolsbridge.pools.PoolsRequest.class);
            queries.add(request.operation() + "?" + request.query());
            pools.process(e);
        }));
        AdviceWith.adviceWith(context, "reconciliation-publish", a -> {
            a.mockEndpointsAndSkip("jms:.*");
            a.weaveById("reconciliation-send").before().process(e -> {
                if (sends.incrementAndGet() == failSend.get()) {
                    throw new jakarta.jms.JMSException("scripted: broker unavailable");
                }
            });
        });
        template = context.createProducerTemplate();
        queue = context.getEndpoint("mock:jms:queue:pools.reconciliation", MockEndpoint.class);
        dataSource = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @BeforeEach
    void reset() throws Exception {
        pools.reset();
        queries.clear();
        queue.reset();
        sends.set(0);
        failSend.set(0);
        prefix = "u" + UUID.randomUUID().toString().substring(0, 6);
        sql("DELETE FROM reconciliation_cursor WHERE name = ?", walkName);
        sql("DELETE FROM returned_trade");
    }

    @Test
    void walksEveryPageAndReportsEachKind() throws Exception {
        Instant t0 = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        order("o1", "on_ramp", "100.000", "t1", "reserved", t0, t0);
        order("o3", "on_ramp", "50.00", "t3", "reserved", t0.minusSeconds(2), t0);
        order("o4", "on_ramp", "20.00", "t4", "reserved", t0.minusSeconds(3), t0);
        order("o5", "off_ramp", "30", "t5", "reserved", t0.minusSeconds(4), t0);
        order("o6", "on_ramp", "70.00", "t6", "reserved", t0.minusSeconds(5), t0);       // 0Pools does not list t6
        Instant longAgo = t0.minus(20, ChronoUnit.DAYS);
        order("o7", "on_ramp", "80.00", "t7", "reserved", longAgo, longAgo);           // stuck, and not listed
        pools.then("listLedger", 200, ledger("le_3", entry("-100", "buy_debit", q("t1")), entry("-50.10", "buy_debit", q("t3"))))
                .then("listLedger", 200, ledger(null, entry("100.00", "buy_debit", q("t5")), entry("1000.00", "payin_credit", "0P-REF")));
        pools.then("listTrades", 200, page(true, trade("t1", "on_ramp", "reserved", "100.00", "107.31", t0),
                        trade("t2", "on_ramp", "reserved", "10.00", "10.73", t0.minusSeconds(1))))
                .then("listTrades", 200, page(true, trade("t3", "on_ramp", "settled", "50.10", "53.76", t0.minusSeconds(2)),
                        trade("t4", "on_ramp", "failed", "20.00", "21.46", t0.minusSeconds(3))))
                .then("listTrades", 200, page(false, trade("t5", "off_ramp", "reserved", "27.95", "30.00", t0.minusSeconds(4))));

        walk();

        assertThat(pools.calls("listLedger")).hasSize(2);
        List<String> tradeQueries = tradeQueries();
        assertThat(tradeQueries).containsExactly("limit=2", "limit=2&cursor=" + id("t2"), "limit=2&cursor=" + id("t4"));
        Map<String, JsonNode> mine = mine();
        assertThat(kindOf(mine, "trade:" + id("t1"))).isEqualTo("matched");
        assertThat(kindOf(mine, "trade:" + id("t2"))).isEqualTo("trade_unknown");
        assertThat(kindOf(mine, "trade:" + id("t3"))).isEqualTo("mismatched");
        assertThat(kindOf(mine, "trade:" + id("t4"))).isEqualTo("terminal_without_ledger");
        assertThat(kindOf(mine, "trade:" + id("t5"))).isEqualTo("matched");   // off_ramp: crypto amount, no ledger
        assertThat(kindOf(mine, "order_without_trade:" + id("o6"))).isEqualTo("order_without_trade");
        assertThat(kindOf(mine, "order_without_trade:" + id("o7"))).isEqualTo("order_without_trade");
        // one owner of stuck_reserved, the settlement poller (settlement.stuck-after-ms): the walk reported o7 a
        // second time, under another duplicate id and after another threshold, before it gave that up
        assertThat(mine).doesNotContainKey("stuck_reserved:" + id("o7"));
        assertThat(mine).hasSize(7);

        JsonNode matched = mine.get("trade:" + id("t1"));
        assertThat(matched.get("orderId").asText()).isEqualTo(id("o1"));
        assertThat(matched.at("/amounts/ledgerDebit").asText()).isEqualTo("-100");  // -100 == -100.00 as BigDecimal
        JsonNode mismatched = mine.get("trade:" + id("t3"));
        assertThat(mismatched.get("differences")).extracting(d -> d.get("field").asText())
                .containsExactlyInAnyOrder("status", "amount(fiat)");
        assertThat(mismatched.toString()).contains("\"ours\":\"50\",\"theirs\":\"50.10\"");
        assertThat(mismatched.at("/status/ours").asText()).isEqualTo("reserved");
        assertThat(mismatched.at("/status/theirs").asText()).isEqualTo("settled");
        String runId = matched.get("runId").asText();
        for (JsonNode message : mine.values()) {
            assertThat(JsonSchemas.validate("reconciliation.schema.json", message.toString())).isEmpty();
            assertThat(message.get("runId").asText()).isEqualTo(runId);
        }
        // every message carries its broker duplicate id
        assertThat(queue.getExchanges()).allSatisfy(e -> assertThat(e.getMessage().getHeader("_AMQ_DUPL_ID", String.class))
                .startsWith("reconciliation:" + runId + ":"));
        assertThat(scalar("SELECT finished_at IS NOT NULL FROM reconciliation_run WHERE run_id = ?", runId)).isEqualTo("t");
        assertThat(scalar("SELECT stop_at_id FROM reconciliation_cursor WHERE name = ?", walkName)).isEqualTo(id("t1"));
    }

    @Test
    void aFailedPageResumesFromThePersistedCursorWithoutRereadingOrReportingTwice() throws Exception {
        Instant t0 = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        order("o1", "on_ramp", "10.00", "t1", "reserved", t0, t0);
        order("o2", "on_ramp", "11.00", "t2", "reserved", t0.minusSeconds(1), t0);
        order("o3", "on_ramp", "12.00", "t3", "reserved", t0.minusSeconds(2), t0);
        String ledger = ledger(null, entry("-10.00", "buy_debit", q("t1")), entry("-11.00", "buy_debit", q("t2")),
                entry("-12.00", "buy_debit", q("t3")));
        pools.then("listLedger", 200, ledger).then("listLedger", 200, ledger);
        pools.then("listTrades", 200, page(true, trade("t1", "on_ramp", "reserved", "10.00", "10.73", t0),
                        trade("t2", "on_ramp", "reserved", "11.00", "11.80", t0.minusSeconds(1))))
                .then("listTrades", 503, ScriptedPools.error(503, "server_error", "unavailable"))
                .then("listTrades", 503, ScriptedPools.error(503, "server_error", "unavailable"))
                .then("listTrades", 503, ScriptedPools.error(503, "server_error", "unavailable"))
                .then("listTrades", 503, ScriptedPools.error(503, "server_error", "unavailable"));   // first try + 3 redeliveries

        Exchange failed = template.send("direct:reconciliation-walk", e -> { });
        assertThat(failed.getException()).isNotNull();
        assertThat(scalar("SELECT page_cursor FROM reconciliation_cursor WHERE name = ?", walkName)).isEqualTo(id("t2"));
        assertThat(mine()).containsOnlyKeys("trade:" + id("t1"), "trade:" + id("t2"));

        pools.then("listTrades", 200, page(false, trade("t3", "on_ramp", "reserved", "12.00", "12.88", t0.minusSeconds(2))));
        walk();

        List<String> tradeQueries = tradeQueries();
        String page2 = "limit=2&cursor=" + id("t2");
        assertThat(tradeQueries).containsExactly("limit=2", page2, page2, page2, page2, page2);
        List<JsonNode> messages = messages().stream().filter(m -> m.get("orderId").asText("").startsWith(prefix)).toList();
        assertThat(messages).extracting(m -> m.get("transactId").asText())
                .containsExactly(id("t1"), id("t2"), id("t3"));   // each once, in walk order
        assertThat(messages).extracting(m -> m.get("kind").asText()).containsOnly("matched");
        String runId = messages.get(0).get("runId").asText();
        assertThat(messages).allSatisfy(m -> assertThat(m.get("runId").asText()).isEqualTo(runId));
        assertThat(scalar("SELECT resumed || '/' || (finished_at IS NOT NULL) FROM reconciliation_run WHERE run_id = ?", runId))
                .isEqualTo("1/true");
    }

    @Test
    void theNextWalkStopsAtTheWatermarkOfTheLastCompleteWalk() throws Exception {
        Instant t0 = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        order("o1", "on_ramp", "10.00", "t1", "reserved", t0.minusSeconds(5), t0);
        String ledger = ledger(null, entry("-10.00", "buy_debit", q("t1")));
        pools.then("listLedger", 200, ledger).then("listLedger", 200, ledger);
        pools.then("listTrades", 200, page(false, trade("t1", "on_ramp", "reserved", "10.00", "10.73", t0.minusSeconds(5))));
        walk();
        pools.then("listTrades", 200, page(true, trade("t9", "on_ramp", "reserved", "5.00", "5.36", t0),
                trade("t1", "on_ramp", "reserved", "10.00", "10.73", t0.minusSeconds(5))));

        walk();

        assertThat(pools.calls("listTrades")).hasSize(2);   // stopped on the first page at t1
        assertThat(queries).noneMatch(q -> q.contains("status=returned"));   // the settlement poller reads those
        List<JsonNode> messages = messages().stream().filter(m -> m.get("transactId").asText("").startsWith(prefix)).toList();
        assertThat(messages).extracting(m -> m.get("transactId").asText() + "/" + m.get("kind").asText())
                .containsExactly(id("t1") + "/matched", id("t9") + "/trade_unknown");
        assertThat(messages.get(0).get("runId").asText()).isNotEqualTo(messages.get(1).get("runId").asText());
        assertThat(scalar("SELECT stop_at_id FROM reconciliation_cursor WHERE name = ?", walkName)).isEqualTo(id("t9"));
    }

    /** Issue 8 §2: each walk reads the ledger only down to what the last one counted; its totals persist. */
    @Test
    void theLedgerWalkStopsAtTheLastEntryAlreadyCountedAndUnchangedMatchesAreNotResent() throws Exception {
        Instant t0 = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        order("o1", "on_ramp", "10.00", "t1", "reserved", t0, t0);
        String debit = entry("-10.00", "buy_debit", q("t1"));
        String refund = "{\"delta\":\"10.00\",\"reason\":\"buy_refund\",\"ref\":\"" + q("t1")
                + "\",\"createdAt\":\"2026-01-02T00:00:00Z\"}";
        pools.then("listLedger", 200, ledger(null, debit, entry("1000.00", "payin_credit", "0P-REF")));
        pools.then("listTrades", 200, page(false, trade("t1", "on_ramp", "reserved", "10.00", "10.73", t0)));
        walk();
        // t1 failed since: its refund is the one new ledger entry; the older page must not be read again
        sql("UPDATE order_record SET trade_status = 'failed' WHERE order_id = ?", id("o1"));
        forgetTradesWatermark();
        pools.then("listLedger", 200, ledger("le_older", refund, debit));
        pools.then("listTrades", 200, page(false, trade("t1", "on_ramp", "failed", "10.00", "10.73", t0)));
        walk();
        assertThat(pools.calls("listLedger")).as("stopped at the watermark entry, le_older not read").hasSize(2);
        // nothing changed: a third walk re-checks t1, matches it as before and sends nothing
        forgetTradesWatermark();
        pools.then("listLedger", 200, ledger("le_older", refund, debit));
        pools.then("listTrades", 200, page(false, trade("t1", "on_ramp", "failed", "10.00", "10.73", t0)));
        walk();

        assertThat(tradeQueries()).hasSize(3);
        assertThat(pools.calls("listLedger")).hasSize(3);   // one page per walk
        List<JsonNode> t1 = messages().stream().filter(m -> m.get("transactId").asText("").equals(id("t1"))).toList();
        assertThat(t1).extracting(m -> m.get("kind").asText() + "/" + m.at("/status/theirs").asText())
                .containsExactly("matched/reserved", "matched/failed");
        assertThat(t1.get(1).at("/amounts/ledgerDebit").asText()).isEqualTo("-10.00");   // counted by the first walk
        assertThat(t1.get(1).at("/amounts/ledgerRefund").asText()).isEqualTo("10.00");
        assertThat(scalar("SELECT count(*) FROM reconciliation_finding WHERE subject = ?", "trade:" + id("t1")))
                .isEqualTo("3");   // the third walk still counts it
    }

    /**
     * A trade returned after the walks passed it is reconciled again from the returned trades the settlement
     * poller's read kept: the walk makes no status=returned read of its own (one read per interval serves both).
     */
    @Test
    void aTradeReturnedBelowTheWatermarkIsReconciledFromThePollersReturnedRead() throws Exception {
        Instant t0 = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        order("o1", "on_ramp", "10.00", "t1", "settled", t0, t0);
        String debit = entry("-10.00", "buy_debit", q("t1"));
        pools.then("listLedger", 200, ledger(null, debit));
        pools.then("listTrades", 200, page(false, trade("t1", "on_ramp", "settled", "10.00", "10.73", t0)));
        walk();
        sql("UPDATE order_record SET trade_status = 'returned' WHERE order_id = ?", id("o1"));
        pools.then("listLedger", 200, ledger(null, "{\"delta\":\"10.00\",\"reason\":\"buy_refund\",\"ref\":\""
                + q("t1") + "\",\"createdAt\":\"2026-01-02T00:00:00Z\"}", debit));
        pools.then("listTrades", 200, page(false, trade("t1", "on_ramp", "returned", "10.00", "10.73", t0)));
        // what routes/settlement-poller.camel.yaml does with each page of its status=returned read
        context.getRegistry().lookupByNameAndType("reconciliationWalk", com.poolsbridge.reconciliation.ReconciliationWalk.class)
                .keepReturnedPage(page(false, trade("t1", "on_ramp", "returned", "10.00", "10.73", t0),
                        trade("t9", "on_ramp", "returned", "5.00", "5.37", t0.minus(2, ChronoUnit.HOURS))));

        walk();

        assertThat(tradeQueries()).containsExactly("limit=2", "limit=2");   // the second walk stopped at t1 at once
        assertThat(queries).noneMatch(q -> q.startsWith("listTrades?status=returned"));
        List<JsonNode> t1 = messages().stream().filter(m -> m.get("transactId").asText("").equals(id("t1"))).toList();
        assertThat(t1).extracting(m -> m.get("kind").asText() + "/" + m.at("/status/theirs").asText())
                .containsExactly("matched/settled", "matched/returned");
        assertThat(messages()).as("t9 was created before the 1 h returned window")
                .noneMatch(m -> m.get("transactId").asText("").equals(id("t9")));
        assertThat(scalar("SELECT count(*) FROM returned_trade WHERE transact_id = ?", id("t9"))).isEqualTo("0");
    }

    /** Issue 9 defect 7: the walk's last publish fails after the run closed; the next walk still sends its findings. */
    @Test
    void findingsOfAFailedLastPublishAreSentByTheNextWalk() throws Exception {
        Instant t0 = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        order("o1", "on_ramp", "10.00", "t1", "reserved", t0, t0);
        order("o2", "on_ramp", "11.00", "t2", "reserved", t0.minusSeconds(1), t0);   // 0Pools does not list t2
        String ledger = ledger(null, entry("-10.00", "buy_debit", q("t1")));
        pools.then("listLedger", 200, ledger).then("listLedger", 200, ledger);
        pools.then("listTrades", 200, page(false, trade("t1", "on_ramp", "reserved", "10.00", "10.73", t0)));
        pools.then("listTrades", 200, page(false, trade("t1", "on_ramp", "reserved", "10.00", "10.73", t0)));
        failSend.set(2);   // 1 = trade t1 after its page, 2 = the first finding of the walk's last publish

        Exchange first = template.send("direct:reconciliation-walk", e -> { });
        assertThat(first.getException()).isNotNull();
        String run1 = scalar("SELECT run_id FROM reconciliation_finding WHERE subject = ?", "trade:" + id("t1"));
        assertThat(scalar("SELECT finished_at IS NOT NULL FROM reconciliation_run WHERE run_id = ?", run1)).isEqualTo("t");
        walk();   // the next walk: nothing new on 0Pools

        assertThat(messages()).filteredOn(m -> m.get("kind").asText().equals("order_without_trade")
                        && m.get("orderId").asText().equals(id("o2")))
                .singleElement().satisfies(m -> assertThat(m.get("runId").asText()).isEqualTo(run1));
        assertThat(scalar("SELECT count(*) FROM reconciliation_finding WHERE run_id = ? AND published_at IS NULL", run1))
                .isEqualTo("0");
    }

    /**
     * A page's database round trips do not grow with its trades (nor the ledger's with its new entries): one query
     * reads the page's orders, one its ledger totals, one batch stores its findings and one statement marks them sent.
     */
    @Test
    void aWalkOfTwoTradesCostsTheRoundTripsOfAWalkOfOne() throws Exception {
        Instant t0 = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 1; i <= 4; i++) {
            order("o" + i, "on_ramp", "10.00", "t" + i, "reserved", t0.plusSeconds(i), t0);
        }
        String[] trades = new String[5];
        for (int i = 1; i <= 4; i++) {
            trades[i] = trade("t" + i, "on_ramp", "reserved", "10.00", "10.73", t0.plusSeconds(i));
        }
        pools.then("listLedger", 200, ledger(null, entry("-10.00", "buy_debit", q("t1"))))
                .then("listLedger", 200, ledger(null, entry("-10.00", "buy_debit", q("t2"))))
                .then("listLedger", 200, ledger(null, entry("-10.00", "buy_debit", q("t4")), entry("-10.00", "buy_debit", q("t3"))));
        // each walk after the first stops at the newest trade the one before saw
        pools.then("listTrades", 200, page(false, trades[1]))
                .then("listTrades", 200, page(false, trades[2], trades[1]))
                .then("listTrades", 200, page(false, trades[4], trades[3], trades[2]));

        walk();
        List<String> ofOne = statementsOf(this::walk);
        List<String> ofTwo = statementsOf(this::walk);

        assertThat(ofTwo).as("a walk of two trades: %s%na walk of one: %s", ofTwo, ofOne).hasSameSizeAs(ofOne);
        assertThat(mine().keySet()).containsExactlyInAnyOrder("trade:" + id("t1"), "trade:" + id("t2"), "trade:" + id("t3"),
                "trade:" + id("t4"));
        assertThat(mine().values()).allSatisfy(m -> assertThat(m.get("kind").asText()).isEqualTo("matched"));
    }

    /** The statements this thread executed while {@code step} ran. */
    private static List<String> statementsOf(Runnable step) {
        CountingJdbcDriver.reset();
        step.run();
        return CountingJdbcDriver.executions().stream().filter(e -> e.thread() == Thread.currentThread())
                .map(CountingJdbcDriver.Execution::sql).toList();
    }

    // --- helpers ---

    /** The next walk re-reads every trade (as the recheck window does for young ones); the ledger watermark stays. */
    private void forgetTradesWatermark() throws Exception {
        sql("UPDATE reconciliation_cursor SET stop_at_id = NULL, stop_at_created_at = NULL WHERE name = ?", walkName);
    }

    private void walk() {
        Exchange done = template.send("direct:reconciliation-walk", e -> { });
        assertThat(done.getException()).isNull();
    }

    private String id(String local) {
        return prefix + "-" + local;
    }

    private String q(String trade) {
        return "pq_" + id(trade);
    }

    private List<String> tradeQueries() {
        return queries.stream().filter(q -> q.startsWith("listTrades?"))
                .map(q -> q.substring("listTrades?".length())).toList();
    }

    private void order(String orderId, String side, String amount, String trade, String tradeStatus, Instant created,
                       Instant reservedAt) throws Exception {
        String tradeJson = "{\"transactId\":\"" + id(trade) + "\",\"createdAt\":\"" + created + "\"}";
        sql("""
                INSERT INTO order_record (order_id, payload_sha256, pool_id, side, amount, crypto_network, state, quote_id,
                    transact_id, trade_status, trade_json, reserved_at)
                VALUES (?, repeat('0', 64), 'EUR-USDT', ?, ?::numeric, 'tron', 'RESERVED', ?, ?, ?, ?, ?)""",
                id(orderId), side, amount, q(trade), id(trade), tradeStatus, tradeJson, Timestamp.from(reservedAt));
    }

    private String trade(String local, String side, String status, String fiat, String crypto, Instant created) {
        return """
                {"transactId":"%s","quoteId":"%s","poolId":"EUR-USDT","side":"%s","status":"%s","fiatCurrency":"EUR",
                 "cryptoCurrency":"USDT","fiatAmount":"%s","cryptoAmount":"%s","createdAt":"%s","updatedAt":"%s"}"""
                .formatted(id(local), q(local), side, status, fiat, crypto, created, created);
    }

    private static String page(boolean hasMore, String... trades) throws Exception {
        String last = JSON.readTree(trades[trades.length - 1]).get("transactId").asText();
        return "{\"data\":[" + String.join(",", trades) + "],\"nextCursor\":" + (hasMore ? "\"" + last + "\"" : "null")
                + ",\"hasMore\":" + hasMore + "}";
    }

    private static String entry(String delta, String reason, String ref) {
        return "{\"delta\":\"%s\",\"reason\":\"%s\",\"ref\":\"%s\",\"createdAt\":\"2026-01-01T00:00:00Z\"}"
                .formatted(delta, reason, ref);
    }

    private static String ledger(String nextCursor, String... entries) {
        return "{\"currency\":\"EUR\",\"available\":\"900.00\",\"entries\":[" + String.join(",", entries) + "],\"nextCursor\":"
                + (nextCursor == null ? "null" : "\"" + nextCursor + "\"") + "}";
    }

    private List<JsonNode> messages() throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (Exchange e : queue.getExchanges()) {
            out.add(JSON.readTree(e.getMessage().getBody(String.class)));
        }
        return out;
    }

    /** This test's messages by subject; fails on a duplicate subject. */
    private Map<String, JsonNode> mine() throws Exception {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (JsonNode m : messages()) {
            String orderId = m.get("orderId").asText("");
            String transactId = m.get("transactId").asText("");
            if (!orderId.startsWith(prefix) && !transactId.startsWith(prefix)) {
                continue;
            }
            String kind = m.get("kind").asText();
            String subject = kind.equals("order_without_trade") || kind.equals("stuck_reserved")
                    ? kind + ":" + orderId : "trade:" + transactId;
            assertThat(out.put(subject, m)).as("reported twice: " + subject).isNull();
        }
        return out;
    }

    private static String kindOf(Map<String, JsonNode> messages, String subject) {
        assertThat(messages).containsKey(subject);
        return messages.get(subject).get("kind").asText();
    }

    private void sql(String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private String scalar(String sql, String arg) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
