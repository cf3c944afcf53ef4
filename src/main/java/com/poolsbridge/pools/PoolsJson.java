package com.poolsbridge.pools;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads 0Pools JSON fields, where an absent optional is {@code null} (contract §2.1) or simply missing. */
public final class PoolsJson {

    private PoolsJson() {
    }

    /** The field as text, or null when the node, the field or its value is absent. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A decimal-string money field, or null when absent. */
    public static BigDecimal decimal(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : new BigDecimal(value);
    }
}
