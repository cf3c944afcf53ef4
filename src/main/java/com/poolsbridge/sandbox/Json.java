package com.poolsbridge.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

/** Shared JSON mapper; bodies are built as ordered maps so every field (including nulls) is always written. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a request body; malformed JSON is the client's fault (400). */
    static JsonNode read(byte[] body) {
        if (body.length == 0) {
            throw ApiException.invalid("invalid_request", "Request body must be a JSON object");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.invalid("invalid_request", "Request body must be a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw ApiException.invalid("invalid_request", "Request body is not valid JSON");
        }
    }

    /** Key-sorted compact form, so that two bodies differing only in field order or whitespace compare equal. */
    static String canonical(JsonNode node) {
        try {
            Object plain = CANONICAL.treeToValue(node, Object.class);
            return new String(CANONICAL.writeValueAsBytes(plain), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
