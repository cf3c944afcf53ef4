package com.poolsbridge.settlement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.poolsbridge.sandbox.WebhookSigner;
import com.poolsbridge.support.TestInfrastructure;
import org.apache.camel.CamelContext;

/** Short settlement intervals for tests, database peeks and a signing webhook sender. */
final class SettlementTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SettlementTestSupport() {
    }

    /** Poll every 150 ms, first poll after 50 ms, backoff 50 ms … 300 ms, settled watched for returned 4 s (read every 200 ms). */
    static Map<String, String> fastSettlement() {
        Map<String, String> props = new HashMap<>();
        props.put("settlement.poll-interval-ms", "150");
        props.put("settlement.start-delay-seconds", "0");
        props.put("settlement.cluster-checkin-ms", "1000");
        props.put("settlement.initial-delay-ms", "50");
        props.put("settlement.backoff-initial-ms", "50");
        props.put("settlement.backoff-max-ms", "300");
        props.put("settlement.returned-watch-ms", "4000");
        props.put("settlement.returned-read-interval-ms", "200");
        props.put("settlement.stuck-after-ms", "3600000");
        props.put("settlement.republish-after-ms", "1000");
        props.put("settlement.max-polls-per-second", "100");
        props.put("webhooks.retry-after-ms", "1000");
        props.put("reconciliation.initial-delay-ms", "3600000");   // its list reads are not these tests' business
        return props;
    }

    static HttpResponse<String> postWebhook(String url, String header, String signature, byte[] body) throws Exception {
        return postWebhook(url, header, signature, body, Map.of());
    }

    static HttpResponse<String> postWebhook(String url, String header, String signature, byte[] body,
                                            Map<String, String> extraHeaders) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        extraHeaders.forEach(request::header);
        if (signature != null) {
            request.header(header, signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postSigned(String url, byte[] body, long timestamp) throws Exception {
        return postWebhook(url, "Pools-Signature", WebhookSigner.sign(TestInfrastructure.WEBHOOK_SECRET, timestamp, body), body);
    }

    static DataSource dataSource(CamelContext context) {
        return context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    static List<Map<String, Object>> query(DataSource dataSource, String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    static Map<String, Object> order(DataSource dataSource, String orderId) throws Exception {
        List<Map<String, Object>> rows = query(dataSource, "SELECT * FROM order_record WHERE order_id = ?", orderId);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }
}
