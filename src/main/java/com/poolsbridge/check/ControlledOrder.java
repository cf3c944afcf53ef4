package com.poolsbridge.check;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.pools.PoolsJson;
import com.poolsbridge.pools.PoolsRequest;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The first controlled order (contract §9.5, 9.6, 9.8, 9.9): one real order sent to the running bridge as core
 * banking sends it, then proven from 0Pools and the bridge's own record. Only with an explicit amount; it moves
 * money in production.
 */
final class ControlledOrder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL = Set.of("settled", "failed", "released", "returned");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final BridgeSettings settings;
    private final CheckConfig config;
    private final PoolsCalls calls;
    private final Clock clock;
    private final BigDecimal amount;
    private final String orderId;
    private JsonNode reply;
    private String terminalStatus;

    ControlledOrder(BridgeSettings settings, CheckConfig config, PoolsCalls calls, Clock clock, BigDecimal amount) {
        this.settings = settings;
        this.config = config;
        this.calls = calls;
        this.clock = clock;
        this.amount = amount;
        this.orderId = "check-" + ID_TIME.format(clock.instant()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Each step needs the previous one: after a failure the rest are reported as not run. */
    List<StepResult> run() {
        List<StepResult> results = new java.util.ArrayList<>();
        for (var step : List.<java.util.Map.Entry<String, Step.Body>>of(
                java.util.Map.entry("controlled-order", this::order),
                java.util.Map.entry("idempotent-transact", this::idempotentTransact),
                java.util.Map.entry("status-terminal", this::statusTerminal),
                java.util.Map.entry("ledger-row", this::ledgerRow),
                java.util.Map.entry("order-record", this::orderRecord))) {
            boolean blocked = results.stream().anyMatch(r -> !r.passed());
            results.add(Step.run(step.getKey(), calls, clock, blocked
                    ? s -> { throw new CheckFailure("not run: an earlier controlled-order step failed"); }
                    : step.getValue()));
        }
        return results;
    }

    /** The order goes to the bridge's order queue; its one reply must be accepted with a quote and a trade. */
    private String order(Step step) {
        ObjectNode order = JSON.createObjectNode();
        order.put("orderId", orderId);
        order.put("poolId", config.quotePool());
        order.put("side", config.quoteSide());
        order.put("amount", amount.toPlainString());
        order.put("cryptoNetwork", config.quoteNetwork());
        order.put("destAddress", config.destAddress());
        step.id("orderId", orderId);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(settings.brokerUrl(), settings.brokerUser(),
                settings.brokerPassword());
        try (factory; JMSContext jms = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            jms.createProducer().send(jms.createQueue(config.ordersQueue()), order.toString());
            jms.commit();
            Message message = jms.createConsumer(jms.createQueue(config.resultsQueue()),
                    "JMSCorrelationID = '" + orderId + "'").receive(config.orderTimeoutMs());
            Step.require(message != null, "no reply for order " + orderId + " on " + config.resultsQueue() + " within "
                    + config.orderTimeoutMs() + " ms (is the bridge running?)");
            jms.commit();
            reply = JSON.readTree(message.getBody(String.class));
        } catch (CheckFailure e) {
            throw e;
        } catch (Exception e) {
            throw new CheckFailure("broker: " + e.getClass().getSimpleName());
        }
        step.id("quoteId", PoolsJson.text(reply, "quoteId"));
        step.id("transactId", PoolsJson.text(reply, "transactId"));
        step.id("requestId", PoolsJson.text(reply, "requestId"));
        Step.require("accepted".equals(PoolsJson.text(reply, "outcome")), "order " + orderId + " was "
                + PoolsJson.text(reply, "outcome") + ": " + reply.path("rejection").path("code").asText("?"));
        return "order " + orderId + " (" + config.quotePool() + " " + config.quoteSide() + " " + amount.toPlainString()
                + ") accepted: quote " + PoolsJson.text(reply, "quoteId") + ", trade " + PoolsJson.text(reply, "transactId");
    }

    /** Transact again with the bridge's key and quote: the same trade comes back, and 0Pools lists one trade. */
    private String idempotentTransact(Step step) {
        String quoteId = PoolsJson.text(reply, "quoteId");
        String transactId = PoolsJson.text(reply, "transactId");
        String key = PoolsJson.text(reply, "idempotencyKey");
        JsonNode again = step.callOk(PoolsRequest.post("transact", "/pools/" + config.quotePool() + "/transact",
                JSON.createObjectNode().put("quoteId", quoteId).toString(), key)).body();
        Step.require(transactId.equals(PoolsJson.text(again, "transactId")), "transact replayed with the same key gave trade "
                + PoolsJson.text(again, "transactId") + ", the bridge got " + transactId);
        long sameQuote = 0;
        for (JsonNode trade : step.callOk(PoolsRequest.get("listTrades", "/pools/trades", "limit=100")).body().path("data")) {
            sameQuote += quoteId.equals(PoolsJson.text(trade, "quoteId")) ? 1 : 0;
        }
        Step.require(sameQuote == 1, sameQuote + " trades for quote " + quoteId + " among the newest 100");
        step.id("transactId", transactId);
        return "transact sent twice with Idempotency-Key " + key + ": one trade " + transactId + " for quote " + quoteId;
    }

    /** Status polling drives the trade to a terminal state within the configured time (§9.6). */
    private String statusTerminal(Step step) {
        String quoteId = PoolsJson.text(reply, "quoteId");
        long deadline = clock.millis() + config.orderTimeoutMs();
        int polls = 0;
        String status;
        do {
            if (polls > 0) {
                pause(config.pollIntervalMs());
            }
            status = PoolsJson.text(step.callOk(PoolsRequest.get("getTransactionByQuote", "/pools/transactions/" + quoteId,
                    null)).body(), "status");
            polls++;
        } while (!TERMINAL.contains(status) && clock.millis() < deadline);
        Step.require(TERMINAL.contains(status), "trade still " + status + " after " + polls + " status polls");
        terminalStatus = status;
        step.id("status", status);
        return "trade " + PoolsJson.text(reply, "transactId") + " reached " + status + " (" + polls + " status polls)";
    }

    /** The ledger row of the trade carries its quote id and the trade reads back with both ids (§9.8). */
    private String ledgerRow(Step step) {
        String quoteId = PoolsJson.text(reply, "quoteId");
        String transactId = PoolsJson.text(reply, "transactId");
        JsonNode trade = step.callOk(PoolsRequest.get("getTrade", "/pools/trades/" + transactId, null)).body();
        Step.require(quoteId.equals(PoolsJson.text(trade, "quoteId")), "trade " + transactId + " names quote "
                + PoolsJson.text(trade, "quoteId") + ", the order " + quoteId);
        JsonNode balance = step.callOk(PoolsRequest.get("getBalance", "/pools/" + config.quotePool() + "/balance", null))
                .body();
        boolean draws = PoolsJson.text(balance, "balance") != null && "on_ramp".equals(config.quoteSide());
        StringBuilder rows = new StringBuilder();
        for (JsonNode entry : step.callOk(PoolsRequest.get("listLedger", "/pools/ledger", "currency=EUR&limit=200"))
                .body().path("entries")) {
            if (quoteId.equals(PoolsJson.text(entry, "ref"))) {
                rows.append(rows.isEmpty() ? "" : ", ").append(PoolsJson.text(entry, "reason")).append(' ')
                        .append(PoolsJson.text(entry, "delta"));
            }
        }
        if (!draws) {
            return "no balance movement (balance gate off or off-ramp); trade " + transactId + " reads back with quote " + quoteId;
        }
        Step.require(rows.indexOf("buy_debit") >= 0, "no buy_debit ledger row with ref " + quoteId);
        boolean refunded = Set.of("failed", "released", "returned").contains(terminalStatus);
        Step.require(!refunded || rows.indexOf("buy_refund") >= 0, "trade " + terminalStatus + " but no buy_refund row");
        return "ledger rows with ref " + quoteId + ": " + rows + "; trade " + transactId + " reads back with quote " + quoteId;
    }

    /** Support finds the order from the partner reference: the bridge's record holds the same quote and trade (§9.9). */
    private String orderRecord(Step step) {
        try (Connection db = DriverManager.getConnection(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
             PreparedStatement query = db.prepareStatement(
                     "SELECT state, quote_id, transact_id FROM order_record WHERE order_id = ?")) {
            query.setString(1, orderId);
            try (ResultSet row = query.executeQuery()) {
                Step.require(row.next(), "no order_record for partner reference " + orderId);
                String quoteId = row.getString("quote_id");
                String transactId = row.getString("transact_id");
                Step.require(PoolsJson.text(reply, "quoteId").equals(quoteId)
                        && PoolsJson.text(reply, "transactId").equals(transactId), "order_record " + orderId
                        + " holds quote " + quoteId + " and trade " + transactId + ", not those of the reply");
                return "order_record " + orderId + ": " + row.getString("state") + ", quote " + quoteId + ", trade " + transactId;
            }
        } catch (java.sql.SQLException e) {
            throw new CheckFailure("database: " + e.getSQLState());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailure("interrupted while polling");
        }
    }
}
