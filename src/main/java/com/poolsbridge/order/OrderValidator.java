package com.poolsbridge.order;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.poolsbridge.pools.PoolsJson;

/**
 * Parses the raw order bytes and validates them against the published JSON Schema before anything else
 * happens, so bad input never reaches the database or 0Pools.
 */
public class OrderValidator {

    /** The orderId pattern of schemas/order.schema.json. */
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final JsonSchema schema;

    public OrderValidator() {
        try (InputStream in = getClass().getResourceAsStream("/schemas/order.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException("order schema missing from the classpath", e);
        }
    }

    /** The order in the raw message bytes, or InvalidOrderException saying what is wrong with them. */
    public OrderMessage parse(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw new InvalidOrderException("invalid_json", "empty message body");
        }
        JsonNode json;
        try {
            json = mapper.readTree(raw);
        } catch (IOException e) {
            throw new InvalidOrderException("invalid_json", "the order is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidOrderException("invalid_json", "the order must be a JSON object");
        }
        Set<ValidationMessage> errors = schema.validate(json);
        if (!errors.isEmpty()) {
            // messages name fields from the sender's JSON: no control character may reach a log line or header
            String detail = errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "))
                    .replaceAll("\\p{Cntrl}", "?");
            throw new InvalidOrderException("schema_violation", detail);
        }
        return new OrderMessage(
                json.get("orderId").asText(),
                json.get("poolId").asText(),
                json.get("side").asText(),
                new BigDecimal(json.get("amount").asText()),
                json.get("cryptoNetwork").asText(),
                PoolsJson.text(json, "destAddress"),
                PoolsJson.text(json, "destNetwork"),
                expiresAt(PoolsJson.text(json, "expiresAt")));
    }

    /**
     * The orderId of a message that failed validation, when it has a well-formed one: its rejection reply is
     * correlated by it. Null when the message names no usable orderId (it is only dead-lettered then).
     */
    public String readableOrderId(byte[] raw) {
        try {
            JsonNode json = raw == null ? null : mapper.readTree(raw);
            String orderId = json == null ? null : json.path("orderId").textValue();
            return orderId != null && ORDER_ID.matcher(orderId).matches() ? orderId : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Instant expiresAt(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidOrderException("schema_violation", "$.expiresAt: not an ISO-8601 date-time with offset");
        }
    }
}
