package com.poolsbridge.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Wire formatting: money as plain decimal strings, timestamps as ISO-8601 UTC with Z (seconds precision). */
final class Money {
    private Money() {
    }

    static String str(BigDecimal v) {
        return v == null ? null : v.toPlainString();
    }

    static String time(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
