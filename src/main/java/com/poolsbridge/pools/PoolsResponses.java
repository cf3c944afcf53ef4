package com.poolsbridge.pools;

import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * Turns a raw 0Pools HTTP response into either a JSON body (2xx) or the exception of its failure class, which
 * the route configuration's onException clauses own: one retry owner per class.
 */
public class PoolsResponses {

    /** Exchange property holding the X-Request-Id of the last 0Pools response. */
    public static final String REQUEST_ID = "poolsRequestId";
    /** Exchange property holding X-RateLimit-Remaining-short of the last response, when sent. */
    public static final String RATE_REMAINING = "poolsRateRemaining";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final long maxRetryAfterMillis;
    private final long jitterMillis;

    public PoolsResponses(long maxRetryAfterMillis, long jitterMillis) {
        this.maxRetryAfterMillis = maxRetryAfterMillis;
        this.jitterMillis = jitterMillis;
    }

    public void classify(Exchange exchange) {
        var message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = message.getBody(String.class);
        String requestId = message.getHeader("X-Request-Id", String.class);
        exchange.setProperty(REQUEST_ID, requestId);
        String remaining = message.getHeader("X-RateLimit-Remaining-short", String.class);
        if (remaining != null) {
            exchange.setProperty(RATE_REMAINING, remaining);
        }
        message.removeHeader(Exchange.REDELIVERY_DELAY);
        if (status >= 200 && status < 300) {
            message.setBody(body);
            return;
        }
        JsonNode error = parse(body);
        String type = text(error, "type", status >= 500 ? "server_error" : "invalid_request");
        String code = text(error, "code", type);
        String text = text(error, "message", null);
        String id = text(error, "request_id", requestId);
        if (status == 429 && !"velocity_limit_exceeded".equals(code)) {
            long retryAfter = parseSeconds(message.getHeader("Retry-After-short", String.class));
            // read by Camel's redelivery error handler as the delay before the next attempt
            message.setHeader(Exchange.REDELIVERY_DELAY, retryDelayMillis(retryAfter));
            throw new PoolsApiException.RateLimited(status, type, code, text, id, retryAfter);
        }
        if (status == 409) {
            throw new PoolsApiException.Conflict(status, type, code, text, id);
        }
        if (status >= 500 && status != 501) {
            throw new PoolsApiException.ServerError(status, type, code, text, id);
        }
        throw new PoolsApiException.Rejected(status, type, code, text, id);
    }

    /** The server's wait, bounded so a hostile or broken header cannot park a consumer, plus jitter. */
    long retryDelayMillis(long retryAfterSeconds) {
        long wait = Math.min(Math.max(retryAfterSeconds, 1) * 1000, maxRetryAfterMillis);
        return wait + (jitterMillis > 0 ? ThreadLocalRandom.current().nextLong(jitterMillis + 1) : 0);
    }

    private static long parseSeconds(String value) {
        try {
            return value == null ? 1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (Exception e) {
            return null; // a proxy's HTML error page: classify by status alone
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        String value = PoolsJson.text(node, field);
        return value == null ? fallback : value;
    }
}
