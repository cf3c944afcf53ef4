package com.poolsbridge.order;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Set;
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
                PoolsJson.text(json, "destNetwork"));
    }
}
