package com.poolsbridge.check;

import java.util.regex.Pattern;

/** Text rules for everything the check prints or writes: one line, bounded, and no credential ever. */
final class Evidence {

    // a key or signing secret, whatever produced the text (defence in depth: steps never put one in)
    private static final Pattern SECRET = Pattern.compile("\\b(sk|pk|rk|whsec)_[A-Za-z0-9_]+");
    private static final int MAX = 400;

    private Evidence() {
    }

    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String line = SECRET.matcher(text.replaceAll("[\\r\\n\\t]+", " ").replaceAll("\\p{Cntrl}", ""))
                .replaceAll("[redacted]");
        return line.length() <= MAX ? line : line.substring(0, MAX) + "...";
    }

    /** A destination address shown by its ends only: enough to recognise, not a customer record. */
    static String masked(String address) {
        if (address == null) {
            return "null";
        }
        return address.length() <= 10 ? "..." : address.substring(0, 4) + "..." + address.substring(address.length() - 4);
    }
}
