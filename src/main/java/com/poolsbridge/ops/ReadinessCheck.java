package com.poolsbridge.ops;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness-only health check (group pools-bridge): DOWN takes the pod out of the Service, it never fails
 * liveness, because restarting the bridge does not bring back a dead broker or database. The probe answers
 * within a bound: a dependency that hangs (a network partition) is DOWN, not a probe timeout.
 */
public final class ReadinessCheck extends AbstractHealthCheck {

    /** What the check asks; returns null when ready, else why not. */
    @FunctionalInterface
    public interface Probe {
        String problem() throws Exception;
    }

    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "pools-bridge-readiness");
        thread.setDaemon(true);
        return thread;
    });

    private final Probe probe;
    private final long timeoutMillis;

    public ReadinessCheck(String id, long timeoutMillis, Probe probe) {
        super("pools-bridge", id);
        this.probe = probe;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Future<String> answer = PROBES.submit(probe::problem);
        String problem;
        try {
            problem = answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            problem = "no answer within " + timeoutMillis + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            problem = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        if (problem == null) {
            builder.up();
        } else {
            builder.message(problem).down();
        }
    }
}
