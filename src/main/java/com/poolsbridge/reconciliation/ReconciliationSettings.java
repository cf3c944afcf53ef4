package com.poolsbridge.reconciliation;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.spi.PropertiesComponent;

/** The reconciliation.* properties (config/application.properties, last section). */
public record ReconciliationSettings(String walkName, int tradesPageSize, int ledgerPageSize, int maxPagesPerTick,
                                     Duration recheckWindow, Duration returnedWindow,
                                     Set<String> ledgerSides, Duration lease, int publishBatch) {

    public static ReconciliationSettings from(PropertiesComponent props) {
        return new ReconciliationSettings(
                prop(props, "reconciliation.walk-name"),
                Integer.parseInt(prop(props, "reconciliation.trades-page-size")),
                Integer.parseInt(prop(props, "reconciliation.ledger-page-size")),
                Integer.parseInt(prop(props, "reconciliation.max-pages-per-tick")),
                Duration.ofMillis(Long.parseLong(prop(props, "reconciliation.recheck-window-ms"))),
                Duration.ofMillis(Long.parseLong(prop(props, "reconciliation.returned-window-ms"))),
                Arrays.stream(props.resolveProperty("reconciliation.ledger-sides").orElse("").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()),
                Duration.ofMillis(Long.parseLong(prop(props, "reconciliation.lease-ms"))),
                Integer.parseInt(prop(props, "reconciliation.publish-batch")));
    }

    private static String prop(PropertiesComponent props, String key) {
        return props.resolveProperty(key).orElseThrow(() -> new IllegalStateException("missing property " + key));
    }
}
