package com.poolsbridge.demo;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Consumer;

import com.poolsbridge.sandbox.Partner;

/**
 * The demo's orders: successes and one of each denial. Partner-level denials flip the sandbox partner
 * for that one order (and restore it), exactly as 0Bit operations would change an entitlement.
 */
final class SampleOrders {

    static final String TRON = "TQ4Hb2N5xhvNm6sHdxb6aU8c1KQzjZpTm7";
    static final String EVM = "0x52908400098527886E0F7030069857D2E4169EE7";

    record Sample(String label, String expected, String body, Consumer<Partner> partnerChange) {
        String orderId() {
            int start = body.indexOf("\"orderId\":\"") + 11;
            return start < 11 ? null : body.substring(start, body.indexOf('"', start));
        }
    }

    private SampleOrders() {
    }

    static List<Sample> all(String run) {
        return List.of(
                ok("buy 100 EUR of USDT on tron", run + "-001", "EUR-USDT", "100.00", "tron", TRON),
                ok("buy 2,500 EUR of USDC on ethereum", run + "-002", "EUR-USDC", "2500.00", "ethereum", EVM),
                ok("buy 250 EUR (trade will fail at settlement)", run + "-003", "EUR-USDT", "250.13", "tron", TRON),
                ok("buy 75 EUR (reservation will be released)", run + "-004", "EUR-USDT", "75.14", "tron", TRON),
                ok("buy 500 EUR (settles, later returned)", run + "-005", "EUR-USDT", "500.15", "tron", TRON),
                denied("KYC not approved", "rejected: kyc_not_approved", order(run + "-006", "EUR-USDT", "on_ramp", "100.00", "tron", TRON),
                        p -> p.kycStatus("pending")),
                denied("partner access suspended", "rejected: pool_access_suspended", order(run + "-007", "EUR-USDT", "on_ramp", "100.00", "tron", TRON),
                        p -> p.status("suspended")),
                denied("0Pools not enabled", "rejected: pools_not_enabled", order(run + "-008", "EUR-USDT", "on_ramp", "100.00", "tron", TRON),
                        p -> p.productEnabled(false)),
                denied("prefunded balance too low", "rejected: insufficient_balance", order(run + "-009", "EUR-USDT", "on_ramp", "100.00", "tron", TRON),
                        p -> p.balance(new BigDecimal("10.00"))),
                denied("pool not allowed for this partner", "rejected: pool_not_allowed", order(run + "-010", "EUR-USDC", "on_ramp", "100.00", "ethereum", EVM),
                        p -> p.allowedPools(List.of("EUR-USDT"))),
                plain("off-ramp not enabled", "rejected: off_ramp_not_enabled", order(run + "-011", "EUR-USDC", "off_ramp", "50.00", "ethereum", EVM)),
                plain("pool dry (fail-soft quote)", "rejected: pool_dry", order(run + "-012", "EUR-USDT", "on_ramp", "100.66", "tron", TRON)),
                plain("amount above the pool maximum", "rejected: amount_out_of_range", order(run + "-013", "EUR-USDT", "on_ramp", "90000.00", "tron", TRON)),
                plain("side the pool does not offer", "rejected: side_not_supported", order(run + "-014", "EUR-USDT", "off_ramp", "50.00", "tron", TRON)),
                plain("unknown pool", "rejected: not_found", order(run + "-015", "EUR-GBP", "on_ramp", "100.00", "tron", TRON)),
                plain("not JSON", "dead-lettered: invalid_json", "{\"orderId\":\"" + run + "-016\", amount: oops"),
                plain("amount as a JSON number", "dead-lettered: schema_violation",
                        order(run + "-017", "EUR-USDT", "on_ramp", "100.00", "tron", TRON).replace("\"100.00\"", "100.00")));
    }

    static Consumer<Partner> restore() {
        return p -> p.kycStatus("approved").status("active").productEnabled(true)
                .balance(new BigDecimal("1000000.00")).allowedPools(List.of("EUR-USDT", "EUR-USDC"));
    }

    private static Sample ok(String label, String id, String pool, String amount, String network, String wallet) {
        return new Sample(label, "accepted", order(id, pool, "on_ramp", amount, network, wallet), null);
    }

    private static Sample denied(String label, String expected, String body, Consumer<Partner> change) {
        return new Sample(label, expected, body, change);
    }

    private static Sample plain(String label, String expected, String body) {
        return new Sample(label, expected, body, null);
    }

    private static String order(String id, String pool, String side, String amount, String network, String wallet) {
        return """
                {"orderId":"%s","poolId":"%s","side":"%s","amount":"%s","cryptoNetwork":"%s","destAddress":"%s"}"""
                .formatted(id, pool, side, amount, network, wallet);
    }
}
