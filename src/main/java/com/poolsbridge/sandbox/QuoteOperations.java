package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** createQuote, getQuote, rejectQuote (§3.5-3.7, G-6, G-16, G-18, G-26). */
final class QuoteOperations {
    private static final Set<String> FIELDS = Set.of("side", "amount", "type", "cryptoNetwork", "destAddress",
            "destNetwork", "fiatCurrency", "cryptoCurrency");
    private static final Set<String> NETWORKS = Set.of("tron", "ethereum", "bsc", "polygon", "solana");
    private static final Pattern FIAT = Pattern.compile("\\d{1,12}(\\.\\d{1,2})?");
    private static final Pattern CRYPTO = Pattern.compile("\\d{1,12}(\\.\\d{1,6})?");
    private static final Map<String, Pattern> ADDRESS = Map.of(
            "tron", Pattern.compile("T[1-9A-HJ-NP-Za-km-z]{33}"),
            "ethereum", Pattern.compile("0x[0-9a-fA-F]{40}"),
            "bsc", Pattern.compile("0x[0-9a-fA-F]{40}"),
            "polygon", Pattern.compile("0x[0-9a-fA-F]{40}"),
            "solana", Pattern.compile("[1-9A-HJ-NP-Za-km-z]{32,44}"));

    /** Scale of an off-ramp rate (fiat per crypto unit), the inverse of the pool's crypto-per-fiat rate. */
    private static final int OFF_RAMP_RATE_SCALE = 6;

    private final SandboxConfig config;
    private final Auth auth;
    private final Store store;
    private final PoolAvailability availability;
    private final Clock clock;

    QuoteOperations(SandboxConfig config, Auth auth, Store store, PoolAvailability availability, Clock clock) {
        this.config = config;
        this.auth = auth;
        this.store = store;
        this.availability = availability;
        this.clock = clock;
    }

    Reply create(Call call) {
        SandboxConfig.PoolConfig pool = auth.pool(call.partner(), call.param(), true);
        JsonNode body = Json.read(call.body());
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.invalid("invalid_request", "Unknown field " + f);
            }
        }
        String side = text(body, "side");
        if (side == null || !(side.equals("on_ramp") || side.equals("off_ramp"))) {
            throw ApiException.invalid("invalid_request", "side must be on_ramp or off_ramp");
        }
        if (!pool.sides().contains(side)) {
            throw ApiException.invalid("side_not_supported", "Pool " + pool.id() + " does not support " + side);
        }
        if (side.equals("off_ramp") && !call.partner().offRampEnabled()
                && config.settings().offRampQuoteWhenDisabled().equals("not_implemented")) {
            throw TradeOperations.offRampNotEnabled();   // G-6: 501 already at quote time
        }
        String type = text(body, "type") == null ? "firm" : text(body, "type");
        if (!type.equals("firm") && !type.equals("indicative")) {
            throw ApiException.invalid("invalid_request", "type must be firm or indicative");
        }
        BigDecimal amount = amount(body, side);
        String fiat = text(body, "fiatCurrency");
        String crypto = text(body, "cryptoCurrency");
        if ((fiat != null && !fiat.equals(pool.fiatCurrency())) || (crypto != null && !crypto.equals(pool.cryptoCurrency()))) {
            throw ApiException.invalid("pair_mismatch", "Currencies do not match pool " + pool.id());
        }
        String network = text(body, "cryptoNetwork") == null ? "tron" : text(body, "cryptoNetwork");
        checkNetwork(pool, network);
        String destNetwork = text(body, "destNetwork");
        if (destNetwork != null) {
            checkNetwork(pool, destNetwork);
        }
        String destAddress = text(body, "destAddress");
        if (side.equals("on_ramp")) {
            destNetwork = destNetwork == null ? network : destNetwork;
            if (destAddress == null && type.equals("firm")) {
                throw ApiException.invalid("invalid_request", "destAddress is required for a firm on_ramp quote");
            }
        }
        if (destAddress != null) {
            String addressNetwork = destNetwork == null ? network : destNetwork;
            if (!ADDRESS.get(addressNetwork).matcher(destAddress).matches()) {
                throw ApiException.invalid("invalid_dest_address", "destAddress is not a valid " + addressNetwork + " address");
            }
        }
        // rate = output per unit of input: crypto per fiat on on_ramp, fiat per crypto on off_ramp
        BigDecimal fiatAmount;
        BigDecimal cryptoAmount;
        BigDecimal rate;
        if (side.equals("on_ramp")) {
            rate = pool.rate();
            fiatAmount = amount.setScale(2, RoundingMode.UNNECESSARY);
            cryptoAmount = fiatAmount.multiply(rate).setScale(2, RoundingMode.DOWN);
        } else {
            rate = BigDecimal.ONE.divide(pool.rate(), OFF_RAMP_RATE_SCALE, RoundingMode.DOWN);
            cryptoAmount = amount.scale() < 2 ? amount.setScale(2) : amount;
            fiatAmount = cryptoAmount.multiply(rate).setScale(2, RoundingMode.DOWN);
        }
        // limits are USDT-equivalent: the crypto leg of the order
        if (cryptoAmount.compareTo(pool.minOrderUsdt()) < 0
                || (pool.maxOrderUsdt() != null && cryptoAmount.compareTo(pool.maxOrderUsdt()) > 0)) {
            throw ApiException.invalid("amount_out_of_range", "Amount is outside the pool's order limits ("
                    + pool.minOrderUsdt().toPlainString() + " to "
                    + (pool.maxOrderUsdt() == null ? "unlimited" : pool.maxOrderUsdt().toPlainString()) + " USDT-equivalent)");
        }
        Scenario scenario = Scenario.of(amount);
        String poolDown = availability.reason(pool.id());
        String unavailable = poolDown != null ? poolDown : scenario.unavailableReason();
        Instant now = clock.instant();
        boolean firm = type.equals("firm") && unavailable == null;
        Quote quote = new Quote(firm ? Ids.quoteId() : null, call.partner().id(), type, pool, side, fiatAmount,
                cryptoAmount, rate, network, destAddress, destNetwork, scenario, now,
                now.plusSeconds(config.settings().quoteTtlSeconds()), pool.drawFeeBps());
        if (firm) {
            synchronized (store) {
                store.book(call.partner().id()).quotes.put(quote.quoteId, quote);
            }
        }
        return Reply.ok(quote.view(firm ? "active" : null, unavailable));
    }

    Reply get(Call call) {
        synchronized (store) {
            Quote q = find(call);
            return Reply.ok(q.view(q.status(clock.instant()), null));
        }
    }

    /** Compare-and-swap active → rejected, once (409 quote_not_active otherwise). */
    Reply reject(Call call) {
        synchronized (store) {
            Quote q = find(call);
            String status = q.status(clock.instant());
            if (!status.equals("active")) {
                throw ApiException.conflict("quote_not_active", "Quote is " + status + " and cannot be rejected");
            }
            q.rejected = true;
            return Reply.ok(q.view("rejected", null));
        }
    }

    private Quote find(Call call) {
        Quote q = store.book(call.partner().id()).quotes.get(call.param());
        if (q == null) {
            throw ApiException.notFound();
        }
        return q;
    }

    private static BigDecimal amount(JsonNode body, String side) {
        JsonNode node = body.get("amount");
        if (node == null || !node.isTextual()) {
            throw ApiException.invalid("invalid_request", "amount is required as a decimal string");
        }
        Pattern shape = side.equals("on_ramp") ? FIAT : CRYPTO;
        if (!shape.matcher(node.asText()).matches()) {
            throw ApiException.invalid("invalid_request", "amount must be a positive decimal string");
        }
        BigDecimal amount = new BigDecimal(node.asText());
        if (amount.signum() <= 0) {
            throw ApiException.invalid("invalid_request", "amount must be greater than zero");
        }
        return amount;
    }

    private static void checkNetwork(SandboxConfig.PoolConfig pool, String network) {
        if (!NETWORKS.contains(network) || !pool.networks().contains(network)) {
            throw ApiException.invalid("network_not_supported", "Network " + network + " is not supported by " + pool.id()
                    + "; supported: " + List.copyOf(pool.networks()));
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.invalid("invalid_request", field + " must be a string");
        }
        return n.asText();
    }
}
