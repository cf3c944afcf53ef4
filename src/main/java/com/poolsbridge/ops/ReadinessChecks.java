package com.poolsbridge.ops;

import java.sql.Connection;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * What readiness means for pools-bridge: the database answers, the broker accepts a connection, and every route
 * is started (an operator who suspends the order consumer over JMX takes the pod out of service, not down).
 * Camel's own routes check is switched off (camel.health.routes-enabled=false): it also fails liveness.
 */
public final class ReadinessChecks {

    private ReadinessChecks() {
    }

    public static ReadinessCheck database(DataSource database, long timeoutMillis) {
        return new ReadinessCheck("database", timeoutMillis, () -> {
            try (Connection connection = database.getConnection()) {
                return connection.isValid((int) Math.max(1, timeoutMillis / 1000)) ? null : "connection not valid";
            }
        });
    }

    /**
     * @param broker a connection factory that opens a fresh connection (not the pool, which may hand out a
     *               connection that died a moment ago without noticing)
     */
    public static ReadinessCheck broker(ConnectionFactory broker, long timeoutMillis) {
        return new ReadinessCheck("broker", timeoutMillis, () -> {
            try (jakarta.jms.Connection connection = broker.createConnection()) {
                return null;
            }
        });
    }

    public static ReadinessCheck routes(CamelContext context, long timeoutMillis) {
        return new ReadinessCheck("routes", timeoutMillis, () -> notStarted(context));
    }

    private static String notStarted(CamelContext context) {
        String stopped = context.getRoutes().stream()
                .filter(route -> context.getRouteController().getRouteStatus(route.getRouteId()) != ServiceStatus.Started)
                .map(Route::getRouteId)
                .sorted()
                .map(id -> id + " " + context.getRouteController().getRouteStatus(id))
                .collect(Collectors.joining(", "));
        return stopped.isEmpty() ? null : "routes not started: " + stopped;
    }
}
