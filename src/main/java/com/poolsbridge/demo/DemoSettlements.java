package com.poolsbridge.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/** Collects the settlement messages of the demo's accepted orders and prints them as a table. */
final class DemoSettlements {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoSettlements() {
    }

    /** Reads pools.settlements until every expected (orderId, status) arrived or the time is up. */
    static List<JsonNode> await(Session session, String queue, Map<String, List<String>> expected, long timeoutMs)
            throws Exception {
        int wanted = expected.values().stream().mapToInt(List::size).sum();
        List<JsonNode> received = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            while (received.size() < wanted && System.currentTimeMillis() < deadline) {
                Message message = consumer.receive(Math.max(1, deadline - System.currentTimeMillis()));
                if (message != null) {
                    received.add(JSON.readTree(((TextMessage) message).getText()));
                }
            }
        } catch (JMSException e) {
            throw new IllegalStateException("cannot read settlements", e);
        }
        return received;
    }

    static String table(List<JsonNode> settlements, Map<String, List<String>> expected) {
        String format = "%-18s %-26s %-20s %-10s %-10s %-8s %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "ORDER", "TRADE", "TRANSITION", "FIAT", "CRYPTO", "SOURCE", "OK"));
        for (JsonNode s : settlements) {
            String orderId = s.path("orderId").asText();
            boolean ok = expected.getOrDefault(orderId, List.of()).contains(s.path("status").asText());
            out.append(String.format(format, orderId, s.path("transactId").asText(),
                    s.path("previousStatus").asText() + " -> " + s.path("status").asText(),
                    s.path("fiatAmount").asText(), s.path("cryptoAmount").asText(), s.path("source").asText(),
                    ok ? "yes" : "NO"));
        }
        return out.toString();
    }
}
