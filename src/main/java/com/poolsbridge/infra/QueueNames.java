package com.poolsbridge.infra;

/** The JMS queues pools-bridge reads and writes; defaults match config/application.properties. */
public record QueueNames(String orders, String results, String settlements, String reconciliation,
                         String deadLetter, String expiry) {

    public static QueueNames defaults() {
        return new QueueNames("pools.orders", "pools.orders.results", "pools.settlements", "pools.reconciliation",
                "pools.orders.dlq", "pools.expiry");
    }
}
