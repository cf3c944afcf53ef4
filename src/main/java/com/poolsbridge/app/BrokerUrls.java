package com.poolsbridge.app;

import java.util.Map;
import java.util.TreeMap;

/** The Artemis client URL the bridge connects with: the operator's BROKER_URL, with our defaults where it is silent. */
final class BrokerUrls {

    private BrokerUrls() {
    }

    /** Appends each default parameter the URL does not set itself (an operator's choice always wins). */
    static String withDefaults(String url, Map<String, String> defaults) {
        StringBuilder out = new StringBuilder(url);
        String lower = url.toLowerCase();
        for (Map.Entry<String, String> parameter : new TreeMap<>(defaults).entrySet()) {
            if (!lower.contains(parameter.getKey().toLowerCase() + "=")) {
                out.append(out.indexOf("?") < 0 ? '?' : '&').append(parameter.getKey()).append('=').append(parameter.getValue());
            }
        }
        return out.toString();
    }
}
