package com.poolsbridge.infra;

/**
 * A statement failed because the database is unreachable or restarting, not because of what it asked: the work
 * is retried (routes/order-failures.camel.yaml) and, while it lasts, the order circuit breaker stops intake.
 */
public class DatabaseUnavailableException extends IllegalStateException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
