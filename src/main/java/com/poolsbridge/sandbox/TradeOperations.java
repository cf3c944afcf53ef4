package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
        SandboxConfig.Settings settings = config.settings();
        String key = call.idempotencyKey();
        if (key == null || key.isBlank()) {
            throw ApiException.invalid("idempotency_key_required", "Idempotency-Key header is required");
        }
        if (key.length() > settings.idempotencyKeyMaxLength()) {
            throw ApiException.invalid("invalid_request",
                    "Idempotency-Key must be at most " + settings.idempotencyKeyMaxLength() + " characters");
        }
        JsonNode body = Json.read(call.body());
        JsonNode quoteIdNode = body.get("quoteId");
        if (body.size() != 1 || quoteIdNode == null || !quoteIdNode.isTextual() || quoteIdNode.asText().isBlank()) {
            throw ApiException.invalid("invalid_request", "Body must be exactly {\"quoteId\": \"pq_…\"}");
        }
        String scope = partner.id() + "|transact|" + key;
        Reply replay = idempotency.claim(scope, call.path() + " " + Json.canonical(body), clock.instant());
        if (replay != null) {
            // identical status, body and headers (§3.8), unless the flag asks for a fresh X-Request-Id
            return settings.replayOriginalRequestId() ? replay : new Reply(replay.status(), replay.body(), null);
        }
        Reply keep = null;
        try {
            Integer stored = faults.takeStoredError(Operation.TRANSACT.id);
            if (stored != null) {
                keep = Reply.error(ApiException.serverError(stored, null), call.requestId());
                return keep;
            }
            faults.beforeCommit(Operation.TRANSACT.id);  // inside the claim, so injected latency widens the in-flight window
            Reply ok = execute(partner, pool, quoteIdNode.asText());
            keep = new Reply(ok.status(), ok.body(), call.requestId());
            return keep;
        } catch (ApiException e) {
            if (storesError(e.status)) {
                keep = Reply.error(e, call.requestId());
                return keep;
            }
            throw e;
        } finally {
            idempotency.complete(scope, keep);
        }
    }

    /** G-14: which error outcomes are stored against the key like a success (default: none). */
    private boolean storesError(int status) {
        return switch (config.settings().idempotencyStoreErrors()) {
            case "all" -> true;
            case "server" -> status >= 500;
            default -> false;
        };
    }

    static ApiException offRampNotEnabled() {
        return new ApiException(501, "server_error", "off_ramp_not_enabled", "Off-ramp is not enabled for this partner");
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
                    return success(book.tradesById.get(quote.transactId));  // idempotent on quoteId (G-9)
                }
                case "expired" -> throw ApiException.conflict("quote_expired", "Quote has expired; request a new quote");
                default -> { }
            }
            boolean onRamp = quote.side.equals("on_ramp");
            if (!onRamp && !partner.offRampEnabled()) {
                throw offRampNotEnabled();
            }
            checkVelocity(partner, book, quote, now);
            // only on-ramp buys draw on the prefunded fiat balance (§8.1); an off-ramp sells crypto for fiat
            boolean debit = onRamp && partner.balanceGate();
            if (debit && partner.balance().compareTo(quote.fiatAmount) < 0) {
                throw new ApiException(402, "invalid_request", "insufficient_balance",
                        "Insufficient prefunded balance to reserve this trade");
            }
            Trade trade = new Trade(Ids.transactId(), store.nextSeq(), quote, now);
            quote.transactId = trade.transactId;
            book.tradesById.put(trade.transactId, trade);
            book.tradesByQuote.put(quoteId, trade);
            if (debit) {
                store.post(partner, quote.fiatAmount.negate(), "buy_debit", quoteId, now);
                trade.debited = true;
            }
            return success(trade);
        }
    }

    /** G-17: the first transact and its replays answer with the configured 2xx. */
    private Reply success(Trade trade) {
        return new Reply(config.settings().transactSuccessStatus(), Json.write(trade.view()), null);
    }

    /** G-12: rolling 24 h EUR notional of trades in the counted statuses; 429 without Retry-After-short by default. */
    private void checkVelocity(Partner partner, Store.Book book, Quote quote, Instant now) {
        BigDecimal cap = partner.velocityCapEur();
        if (cap == null) {
            return;
        }
        Instant since = now.minus(Duration.ofHours(24));
        List<String> counted = config.settings().velocityCountsStatuses();
        List<Trade> window = book.tradesById.values().stream()
                .filter(t -> t.createdAt.isAfter(since) && counted.contains(t.status)).toList();
        BigDecimal used = window.stream().map(t -> t.quote.fiatAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (used.add(quote.fiatAmount).compareTo(cap) > 0) {
            // optional hint: when the oldest counted trade leaves the rolling window
            Integer retryAfter = config.settings().velocityRetryAfterShort() && !window.isEmpty()
                    ? (int) Math.max(1, Duration.between(since, window.get(0).createdAt).toSeconds()) : null;
            throw ApiException.rateLimited("velocity_limit_exceeded", "Velocity limit exceeded", "short", retryAfter);
        }
    }

    /**
     * Each poll moves the trade at most one step; terminal outcome per Scenario after pollsToTerminal polls and
     * settleAfterSeconds. A returned-scenario trade then flips to returned downstream (after the configured
     * delay, seen by every read) or, in poll mode, on the next poll.
     */
    Reply poll(Call call) {
        Partner partner = call.partner();
        Map<String, Object> view;
        String event = null;
        SandboxConfig.Settings settings = config.settings();
        synchronized (store) {
            Trade trade = store.book(partner.id()).tradesByQuote.get(call.param());
            if (trade == null) {
                throw ApiException.notFound();   // unknown, foreign, or never transacted (G-8)
            }
            Instant now = clock.instant();
            if (trade.status.equals("reserved")) {
                trade.polls++;
                if (trade.polls >= settings.pollsToTerminal()
                        && !now.isBefore(trade.createdAt.plusSeconds(settings.settleAfterSeconds()))) {
                    trade.status = trade.quote.scenario.terminalStatus();
                    trade.updatedAt = now;
                    event = "pool.transaction." + trade.status;
                    if (!trade.status.equals("settled")) {
                        refund(partner, trade, now);
                    } else if (trade.quote.scenario == Scenario.SETTLED_THEN_RETURNED && settings.returned().downstream()) {
                        store.scheduleReturn(partner, trade, now.plus(settings.returned().delay()));
                    }
                }
            } else if (trade.status.equals("settled") && trade.quote.scenario == Scenario.SETTLED_THEN_RETURNED
                    && !settings.returned().downstream()) {
                markReturned(partner, trade, now);   // one poll after settled; no webhook for returned
            }
            view = trade.view();
        }
        if (event != null) {
            webhooks.publish(partner, view, event);
        }
        return Reply.ok(view);
    }

    /** Applies the downstream returns that are due by now, so reads, polls and the ledger all see them. */
    void applyDueReturns() {
        synchronized (store) {
            store.dueReturns(clock.instant()).forEach(r -> markReturned(r.partner(), r.trade(), r.dueAt()));
        }
    }

    /** settled → returned (no webhook: poll/reads only, §6); the buy is auto-refunded. Caller holds the lock. */
    private void markReturned(Partner partner, Trade trade, Instant at) {
        trade.status = "returned";
        trade.updatedAt = at;
        refund(partner, trade, at);
    }

    private void refund(Partner partner, Trade trade, Instant at) {
        if (trade.debited) {
            store.post(partner, trade.quote.fiatAmount, "buy_refund", trade.quote.quoteId, at);
        }
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
