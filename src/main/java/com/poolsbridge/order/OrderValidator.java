package com.poolsbridge.order;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
import org.apache.camel.Exchange;

/**
 * Parses the raw order bytes and validates them against the published JSON Schema before anything else
 * happens, so bad input never reaches the database or 0Pools.
 */
public class OrderValidator {

    public static final String ORDER = "order";
    public static final String PAYLOAD_SHA256 = "orderPayloadSha256";

    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final JsonSchema schema;

    public OrderValidator() {
        try (InputStream in = getClass().getResourceAsStream("/schemas/order.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException("order schema missing from the classpath", e);
        }
    }

    /** Sets exchange properties {@link #ORDER} and {@link #PAYLOAD_SHA256}; the body is left untouched. */
    public void validate(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
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
            String detail = errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; "));
            throw new InvalidOrderException("schema_violation", detail);
        }
        OrderMessage order = new OrderMessage(
                json.get("orderId").asText(),
                json.get("poolId").asText(),
                json.get("side").asText(),
                new BigDecimal(json.get("amount").asText()),
                json.get("cryptoNetwork").asText(),
                PoolsJson.text(json, "destAddress"),
                PoolsJson.text(json, "destNetwork"));
        exchange.setProperty(ORDER, order);
        exchange.setProperty(PAYLOAD_SHA256, fingerprint(order));
    }

    /** What makes two messages "the same order": its terms, not its formatting or field order. */
    static String fingerprint(OrderMessage order) {
        String terms = String.join("|", order.orderId(), order.poolId(), order.side(),
                order.amount().stripTrailingZeros().toPlainString(), order.cryptoNetwork(),
                String.valueOf(order.destAddress()), String.valueOf(order.destNetwork()));
        return sha256(terms.getBytes(StandardCharsets.UTF_8));
    }


    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
