package com.poolsbridge.pools;

import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * Turns a raw 0Pools HTTP response into either a JSON body (2xx) or the exception of its failure class, which
 * the route configuration's onException clauses own: one retry owner per class.
 */
public class PoolsResponses {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final long maxRetryAfterMillis;
    private final long jitterMillis;

    public PoolsResponses(long maxRetryAfterMillis, long jitterMillis) {
        this.maxRetryAfterMillis = maxRetryAfterMillis;
        this.jitterMillis = jitterMillis;
    }

    /** Returns the body of a 2xx answer; any other status becomes the exception of its failure class. */
    public String classify(@Header(Exchange.HTTP_RESPONSE_CODE) int status, @Body String body,
                           @Header("X-Request-Id") String requestId, @Header("Retry-After-short") String retryAfter) {
        if (status >= 200 && status < 300) {
            return body;
        }
        JsonNode error = parse(body);
        String type = text(error, "type", status >= 500 ? "server_error" : "invalid_request");
        String code = text(error, "code", type);
        String text = text(error, "message", null);
        String id = text(error, "request_id", requestId);
        if (status == 429 && !"velocity_limit_exceeded".equals(code)) {
            throw new PoolsApiException.RateLimited(status, type, code, text, id, parseSeconds(retryAfter));
        }
        if (status == 409) {
            throw new PoolsApiException.Conflict(status, type, code, text, id);
        }
        if (status >= 500 && status != 501) {
            throw new PoolsApiException.ServerError(status, type, code, text, id);
        }
        throw new PoolsApiException.Rejected(status, type, code, text, id);
    }

    /** The wait before retrying a 429: the server's Retry-After-short (seconds), bounded, plus jitter. */
    public long retryDelayMillis(String retryAfterShort) {
        return retryDelayMillis(parseSeconds(retryAfterShort));
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
