package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** transact (§3.8, G-9, G-12, G-14, G-15) and the settlement poll (§3.9, §4.2, G-8, G-22). */
final class TradeOperations {
    private final SandboxConfig config;
    private final Auth auth;
    private final Store store;
    private final IdempotencyStore idempotency;
    private final Faults faults;
    private final WebhookDispatcher webhooks;
    private final Clock clock;

    TradeOperations(SandboxConfig config, Auth auth, Store store, IdempotencyStore idempotency, Faults faults,
                    WebhookDispatcher webhooks, Clock clock) {
        this.config = config;
        this.auth = auth;
        this.store = store;
        this.idempotency = idempotency;
        this.faults = faults;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    Reply transact(Call call) {
        Partner partner = call.partner();
        SandboxConfig.PoolConfig pool = auth.pool(partner, call.param(), true);
        String key = call.idempotencyKey();
        if (key == null || key.isBlank()) {
            throw ApiException.invalid("idempotency_key_required", "Idempotency-Key header is required");
        }
        if (key.length() > 255) {
            throw ApiException.invalid("invalid_request", "Idempotency-Key must be at most 255 characters");
        }
        JsonNode body = Json.read(call.body());
        JsonNode quoteIdNode = body.get("quoteId");
        if (body.size() != 1 || quoteIdNode == null || !quoteIdNode.isTextual() || quoteIdNode.asText().isBlank()) {
            throw ApiException.invalid("invalid_request", "Body must be exactly {\"quoteId\": \"pq_…\"}");
        }
        String scope = partner.id() + "|transact|" + key;
        IdempotencyStore.Replay replay = idempotency.claim(scope, call.path() + " " + Json.canonical(body), clock.instant());
        if (replay != null) {
            return new Reply(replay.status(), replay.body());
        }
        Reply reply = null;
        try {
            faults.beforeCommit(Operation.TRANSACT.id);  // inside the claim, so injected latency widens the in-flight window
            reply = execute(partner, pool, quoteIdNode.asText());
            return reply;
        } finally {
            idempotency.complete(scope, reply == null ? 500 : reply.status(), reply == null ? null : reply.body());
        }
    }

    private Reply execute(Partner partner, SandboxConfig.PoolConfig pool, String quoteId) {
        synchronized (store) {
            Store.Book book = store.book(partner.id());
            Quote quote = book.quotes.get(quoteId);
            if (quote == null) {
                throw ApiException.notFound();
            }
            if (!quote.pool.id().equals(pool.id())) {
                throw ApiException.invalid("pair_mismatch", "Quote " + quoteId + " belongs to pool " + quote.pool.id());
            }
            Instant now = clock.instant();
            String status = quote.status(now);
            switch (status) {
                case "rejected" -> throw ApiException.conflict("quote_rejected", "Quote was rejected");
                case "consumed" -> {
                    if (!config.settings().consumedQuoteReplays()) {
                        throw ApiException.conflict("quote_consumed", "Quote was already transacted");
                    }
                    return Reply.ok(book.tradesById.get(quote.transactId).view());  // idempotent on quoteId (G-9)
                }
                case "expired" -> throw ApiException.conflict("quote_expired", "Quote has expired; request a new quote");
                default -> { }
            }
            if (quote.side.equals("off_ramp") && !partner.offRampEnabled()) {
                throw new ApiException(501, "server_error", "off_ramp_not_enabled", "Off-ramp is not enabled for this partner");
            }
            checkVelocity(partner, book, quote, now);
            if (partner.balanceGate() && partner.balance().compareTo(quote.fiatAmount) < 0) {
                throw new ApiException(402, "invalid_request", "insufficient_balance",
                        "Insufficient prefunded balance to reserve this trade");
            }
            Trade trade = new Trade(Ids.transactId(), store.nextSeq(), quote, now);
            quote.transactId = trade.transactId;
            book.tradesById.put(trade.transactId, trade);
            book.tradesByQuote.put(quoteId, trade);
            if (partner.balanceGate()) {
                store.post(partner, quote.fiatAmount.negate(), "buy_debit", quoteId, now);
            }
            return Reply.ok(trade.view());
        }
    }

    /** G-12: rolling 24 h EUR notional of reserved + settled trades; 429 without Retry-After-short. */
    private static void checkVelocity(Partner partner, Store.Book book, Quote quote, Instant now) {
        BigDecimal cap = partner.velocityCapEur();
        if (cap == null) {
            return;
        }
        Instant since = now.minus(Duration.ofHours(24));
        BigDecimal used = book.tradesById.values().stream()
                .filter(t -> t.createdAt.isAfter(since) && (t.status.equals("reserved") || t.status.equals("settled")))
                .map(t -> t.quote.fiatAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (used.add(quote.fiatAmount).compareTo(cap) > 0) {
            throw ApiException.rateLimited("velocity_limit_exceeded", "Velocity limit exceeded", null);
        }
    }

    /** Each poll moves the trade at most one step; terminal outcome per Scenario after pollsToTerminal polls. */
    Reply poll(Call call) {
        Partner partner = call.partner();
        Map<String, Object> view;
        String event = null;
        synchronized (store) {
            Trade trade = store.book(partner.id()).tradesByQuote.get(call.param());
            if (trade == null) {
                throw ApiException.notFound();   // unknown, foreign, or never transacted (G-8)
            }
            Instant now = clock.instant();
            if (trade.status.equals("reserved")) {
                trade.polls++;
                if (trade.polls >= config.settings().pollsToTerminal()) {
                    trade.status = trade.quote.scenario.terminalStatus();
                    trade.updatedAt = now;
                    event = "pool.transaction." + trade.status;
                    if (!trade.status.equals("settled") && partner.balanceGate()) {
                        store.post(partner, trade.quote.fiatAmount, "buy_refund", trade.quote.quoteId, now);
                    }
                }
            } else if (trade.status.equals("settled") && trade.quote.scenario == Scenario.SETTLED_THEN_RETURNED) {
                trade.status = "returned";   // one poll after settled; no webhook for returned
                trade.updatedAt = now;
                if (partner.balanceGate()) {
                    store.post(partner, trade.quote.fiatAmount, "buy_refund", trade.quote.quoteId, now);
                }
            }
            view = trade.view();
        }
        if (event != null) {
            webhooks.publish(partner, view, event);
        }
        return Reply.ok(view);
    }

    Reply get(Call call) {
        synchronized (store) {
            Trade trade = store.book(call.partner().id()).tradesById.get(call.param());
            if (trade == null) {
                throw ApiException.notFound();
            }
            return Reply.ok(trade.view());
        }
    }
}
