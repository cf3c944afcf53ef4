package com.poolsbridge.reconciliation;

import static com.poolsbridge.app.ConfigProperties.required;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.spi.PropertiesComponent;

/** The reconciliation.* properties (config/application.properties, last section). */
public record ReconciliationSettings(String walkName, int tradesPageSize, int ledgerPageSize, int maxPagesPerTick,
                                     Duration recheckWindow, Duration returnedWindow, Duration stuckReservedAfter,
                                     Set<String> ledgerSides, Duration lease, int publishBatch) {

    public static ReconciliationSettings from(PropertiesComponent props) {
        return new ReconciliationSettings(
                required(props, "reconciliation.walk-name"),
                Integer.parseInt(required(props, "reconciliation.trades-page-size")),
                Integer.parseInt(required(props, "reconciliation.ledger-page-size")),
                Integer.parseInt(required(props, "reconciliation.max-pages-per-tick")),
                Duration.ofMillis(Long.parseLong(required(props, "reconciliation.recheck-window-ms"))),
                Duration.ofMillis(Long.parseLong(required(props, "reconciliation.returned-window-ms"))),
                Duration.ofMillis(Long.parseLong(required(props, "reconciliation.stuck-reserved-after-ms"))),
                Arrays.stream(props.resolveProperty("reconciliation.ledger-sides").orElse("").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()),
                Duration.ofMillis(Long.parseLong(required(props, "reconciliation.lease-ms"))),
                Integer.parseInt(required(props, "reconciliation.publish-batch")));
    }
}
