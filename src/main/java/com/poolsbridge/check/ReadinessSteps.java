package com.poolsbridge.check;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.pools.PoolsJson;
import com.poolsbridge.pools.PoolsRequest;

/**
 * The seeds' smoke-test plan (contract §9 items 1-4, 7, 8), run against the configured 0Pools with the bridge's
 * configuration. None of these steps moves money: the firm quote is rejected once it is checked.
 */
final class ReadinessSteps {

    static final Set<String> UNAVAILABLE_REASONS = Set.of("pool_dry", "engine_unavailable", "rate_unavailable");
    private static final int MAX_LEDGER_PAGES = 50;

    private final BridgeSettings settings;
    private final CheckConfig config;
    private final PoolsCalls calls;
    private final WebhookProbe webhook;
    private final Clock clock;

    ReadinessSteps(BridgeSettings settings, CheckConfig config, PoolsCalls calls, WebhookProbe webhook, Clock clock) {
        this.settings = settings;
        this.config = config;
        this.calls = calls;
        this.webhook = webhook;
        this.clock = clock;
    }

    List<StepResult> run() {
        return List.of(
                Step.run("key-mode", calls, clock, this::keyMode),
                Step.run("discovery", calls, clock, this::discovery),
                Step.run("capabilities", calls, clock, this::capabilities),
                Step.run("indicative-quote", calls, clock, this::indicativeQuote),
                Step.run("firm-quote", calls, clock, this::firmQuote),
                Step.run("webhook", calls, clock, this::webhook),
                Step.run("balance-ledger", calls, clock, this::balanceLedger));
    }

    static String host(BridgeSettings settings) {
        return URI.create(settings.poolsBaseUrl()).getHost();
    }

    static String environment(BridgeSettings settings) {
        return BridgeSettings.LIVE_HOST.equalsIgnoreCase(host(settings)) ? "production" : "sandbox";
    }

    static String expectedMode(BridgeSettings settings) {
        String forced = settings.poolsMode();
        return forced != null && !forced.isBlank() ? forced.trim().toLowerCase()
                : BridgeSettings.LIVE_HOST.equalsIgnoreCase(host(settings)) ? "live" : "test";
    }

    static String publishableMode(BridgeSettings settings) {
        String pk = settings.poolsPublishableKey();
        return pk == null || pk.isBlank() ? "none" : pk.startsWith("pk_live_") ? "live" : "test";
    }

    /** The key's mode matches the host, and 0Pools accepts the secret key (an sk read without an entitlement gate). */
    private String keyMode(Step step) {
        String expected = expectedMode(settings);
        Step.require(settings.keyMode().equals(expected), "secret key is a " + settings.keyMode() + " key but "
                + host(settings) + " takes " + expected + " keys (key_mode_mismatch)");
        String pk = publishableMode(settings);
        Step.require(pk.equals("none") || pk.equals(expected), "publishable key is a " + pk + " key but "
                + host(settings) + " takes " + expected + " keys (key_mode_mismatch)");
        step.callOk(PoolsRequest.get("getFunding", "/pools/funding", null));
        return host(settings) + " (" + environment(settings) + ") takes " + expected + " keys; secret key "
                + settings.keyMode() + ", publishable key " + pk + "; 0Pools accepted the secret key";
    }

    /** GET /pools with the publishable key lists exactly the configured pools (§9.1). */
    private String discovery(Step step) {
        Step.require(!publishableMode(settings).equals("none"),
                "POOLS_PUBLISHABLE_KEY is not set: discovery (GET /pools) is a publishable-key route");
        JsonNode pools = step.callOk(PoolsRequest.get("listPools", "/pools", null)).body().path("pools");
        Set<String> found = new TreeSet<>();
        List<String> unavailable = new ArrayList<>();
        for (JsonNode pool : pools) {
            found.add(pool.path("id").asText());
            if (!pool.path("available").asBoolean(false)) {
                unavailable.add(pool.path("id").asText());
            }
        }
        Set<String> configured = new TreeSet<>(config.pools());
        Set<String> missing = new TreeSet<>(configured);
        missing.removeAll(found);
        Set<String> extra = new TreeSet<>(found);
        extra.removeAll(configured);
        Step.require(missing.isEmpty() && extra.isEmpty(), "GET /pools lists " + found + ", the bridge is configured for "
                + configured + (missing.isEmpty() ? "" : "; missing " + missing)
                + (extra.isEmpty() ? "" : "; not configured " + extra));
        return "GET /pools lists exactly " + found + (unavailable.isEmpty() ? "" : "; now unavailable " + unavailable);
    }

    /** Each pool's capabilities match the approved side / network / limit set (§9.2). */
    private String capabilities(Step step) {
        List<String> differences = new ArrayList<>();
        List<String> matched = new ArrayList<>();
        for (String pool : config.pools()) {
            CheckConfig.Approved approved = config.approved().apply(pool);
            Step.require(approved != null, "no approved set configured for " + pool + " (check.approved." + pool
                    + ".sides, .networks, .min-order-usdt, .max-order-usdt)");
            JsonNode caps = step.callOk(PoolsRequest.get("getCapabilities", "/pools/" + pool + "/capabilities", null))
                    .body();
            List<String> own = new ArrayList<>();
            compare(own, "sides", new TreeSet<>(approved.sides()), strings(caps.path("sides")));
            compare(own, "networks", new TreeSet<>(approved.networks()), strings(caps.path("supportedNetworks")));
            compare(own, "minOrderUsdt", approved.minOrderUsdt(), PoolsJson.text(caps, "minOrderUsdt"));
            compare(own, "maxOrderUsdt", approved.maxOrderUsdt(), PoolsJson.text(caps, "maxOrderUsdt"));
            if (own.isEmpty()) {
                matched.add(pool + " " + approved.sides() + " on " + approved.networks() + ", " + approved.minOrderUsdt()
                        + "-" + (approved.maxOrderUsdt() == null ? "no max" : approved.maxOrderUsdt()) + " USDT");
            } else {
                differences.add(pool + ": " + String.join(", ", own));
            }
        }
        Step.require(differences.isEmpty(), "capabilities differ from the approved set: " + String.join("; ", differences));
        return "as approved: " + String.join("; ", matched);
    }

    /** An indicative quote per pool: a price, or a safe unavailable state (§9.3). */
    private String indicativeQuote(Step step) {
        List<String> seen = new ArrayList<>();
        for (String pool : config.pools()) {
            CheckConfig.Approved approved = config.approved().apply(pool);
            String side = pool.equals(config.quotePool()) || approved == null ? config.quoteSide() : approved.sides().get(0);
            String network = pool.equals(config.quotePool()) || approved == null ? config.quoteNetwork()
                    : approved.networks().get(0);
            ObjectNode body = quoteBody(side, network, "indicative");
            JsonNode quote = step.callOk(PoolsRequest.post("createQuote", "/pools/" + pool + "/quote", body.toString(), null))
                    .body();
            Step.require(PoolsJson.text(quote, "quoteId") == null, pool + ": an indicative quote carries a quoteId");
            if (quote.path("available").asBoolean(false)) {
                String rate = PoolsJson.text(quote, "rate");
                Step.require(rate != null && new BigDecimal(rate).signum() > 0, pool + ": available quote without a rate");
                seen.add(pool + " " + side + " rate " + rate + " (spread " + quote.path("spreadBps").asText("?")
                        + " bps, fee " + quote.path("feeBps").asText("?") + " bps)");
            } else {
                String reason = PoolsJson.text(quote, "unavailableReason");
                Step.require(UNAVAILABLE_REASONS.contains(reason), pool + ": unavailable without a documented reason");
                seen.add(pool + " unavailable: " + reason + " (safe, no quoteId)");
            }
        }
        return String.join("; ", seen);
    }

    /** A firm quote has a quoteId, expires ≈ 15 s after creation and binds the destination (§9.4); then rejected. */
    private String firmQuote(Step step) {
        Step.require(!config.destAddress().isBlank() || !"on_ramp".equals(config.quoteSide()),
                "check.quote.dest-address is not set (a wallet of the bank's own for the test quote)");
        Instant asked = clock.instant();
        ObjectNode body = quoteBody(config.quoteSide(), config.quoteNetwork(), "firm");
        JsonNode quote = step.callOk(PoolsRequest.post("createQuote", "/pools/" + config.quotePool() + "/quote",
                body.toString(), null)).body();
        Step.require(quote.path("available").asBoolean(false), config.quotePool() + " firm quote unavailable: "
                + PoolsJson.text(quote, "unavailableReason"));
        String quoteId = PoolsJson.text(quote, "quoteId");
        Step.require(quoteId != null, "firm quote without a quoteId");
        step.id("quoteId", quoteId);
        String expiresAt = PoolsJson.text(quote, "expiresAt");
        Step.require(expiresAt != null, "firm quote " + quoteId + " without expiresAt");
        String createdAt = PoolsJson.text(quote, "createdAt");
        // the server's own createdAt when it sends one: our clock's skew must not fail a correct quote
        Instant from = createdAt != null ? Instant.parse(createdAt) : asked;
        long ttl = Duration.between(from, Instant.parse(expiresAt)).toSeconds();
        Step.require(Math.abs(ttl - config.quoteTtlSeconds()) <= config.quoteTtlToleranceSeconds(), "firm quote "
                + quoteId + " lives " + ttl + " s, expected " + config.quoteTtlSeconds() + " s");
        if ("on_ramp".equals(config.quoteSide())) {
            Step.require(config.destAddress().equals(PoolsJson.text(quote, "destAddress")), "firm quote " + quoteId
                    + " is not bound to the configured destination " + Evidence.masked(config.destAddress()));
        }
        // money-free and unambiguous for reconciliation: the test quote can never be transacted
        step.callOk(PoolsRequest.post("rejectQuote", "/pools/quotes/" + quoteId + "/reject", null, null));
        return "quote " + quoteId + " expires " + ttl + " s after creation (" + expiresAt + ")"
                + ("on_ramp".equals(config.quoteSide()) ? ", bound to " + Evidence.masked(config.destAddress()) : "")
                + "; rejected afterwards";
    }

    /** The webhook endpoint verifies a signed test event and refuses a tampered one, or polling is the fallback (§9.7). */
    private String webhook(Step step) {
        if (CheckConfig.POLLING_ONLY.equalsIgnoreCase(config.webhookUrl())) {
            return "no webhook endpoint (check.webhook-url=polling): settlement by status polling, settlement-poller every "
                    + calls.property("settlement.poll-interval-ms").orElse("?") + " ms";
        }
        WebhookProbe.Outcome outcome = webhook.probe(config.webhookUrl());
        step.id("eventId", outcome.eventId());
        Step.require(outcome.signedStatus() / 100 == 2, "webhook endpoint answered " + outcome.signedStatus()
                + " to a correctly signed test event " + outcome.eventId());
        Step.require(outcome.tamperedStatus() / 100 == 4, "webhook endpoint answered " + outcome.tamperedStatus()
                + " to a test event with a wrong signature: it does not verify signatures");
        return "signed test event " + outcome.eventId() + " answered " + outcome.signedStatus()
                + ", wrongly signed copy answered " + outcome.tamperedStatus() + " (" + outcome.endpoint() + ")";
    }

    /** Balance and ledger read and agree: balance = ledger available = sum of every ledger delta (§9.8). */
    private String balanceLedger(Step step) {
        JsonNode balance = step.callOk(PoolsRequest.get("getBalance", "/pools/" + config.quotePool() + "/balance", null))
                .body();
        String balanceText = PoolsJson.text(balance, "balance");
        BigDecimal available = null;
        BigDecimal sum = BigDecimal.ZERO;
        int entries = 0;
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = step.callOk(PoolsRequest.get("listLedger", "/pools/ledger",
                    "currency=EUR&limit=200" + (cursor == null ? "" : "&cursor=" + cursor))).body();
            if (available == null) {
                available = new BigDecimal(page.path("available").asText());
            }
            for (JsonNode entry : page.path("entries")) {
                sum = sum.add(new BigDecimal(entry.path("delta").asText()));
                entries++;
            }
            cursor = PoolsJson.text(page, "nextCursor");
        } while (cursor != null && ++pages < MAX_LEDGER_PAGES);
        boolean complete = cursor == null;
        Step.require(balanceText == null || new BigDecimal(balanceText).compareTo(available) == 0,
                "balance " + balanceText + " differs from ledger available " + available.toPlainString());
        Step.require(!complete || sum.compareTo(available) == 0, "ledger entries sum to " + sum.toPlainString()
                + " but available is " + available.toPlainString());
        return (balanceText == null ? "balance gate off (balance null)" : "balance " + balanceText)
                + " = ledger available " + available.toPlainString() + "; " + entries + " entries"
                + (complete ? " sum to it" : " read (first " + MAX_LEDGER_PAGES + " pages)");
    }

    private ObjectNode quoteBody(String side, String network, String type) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("side", side);
        body.put("amount", config.quoteAmount());
        body.put("type", type);
        body.put("cryptoNetwork", network);
        // only a firm on-ramp quote binds a destination; an indicative one is a price for any pool and network
        if ("firm".equals(type) && "on_ramp".equals(side)) {
            body.put("destAddress", config.destAddress());
        }
        return body;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }

    private static void compare(List<String> differences, String field, Set<String> approved, Set<String> actual) {
        if (!approved.equals(actual)) {
            differences.add(field + " " + actual + " (approved " + approved + ")");
        }
    }

    private static void compare(List<String> differences, String field, BigDecimal approved, String actual) {
        boolean same = approved == null ? actual == null : actual != null && approved.compareTo(new BigDecimal(actual)) == 0;
        if (!same) {
            differences.add(field + " " + actual + " (approved " + (approved == null ? "none" : approved.toPlainString()) + ")");
        }
    }
}
