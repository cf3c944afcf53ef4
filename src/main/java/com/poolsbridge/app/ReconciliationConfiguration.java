package com.poolsbridge.app;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.poolsbridge.reconciliation.ReconciliationSettings;
import com.poolsbridge.reconciliation.ReconciliationStore;
import com.poolsbridge.reconciliation.ReconciliationWalk;
import com.poolsbridge.reconciliation.TradeComparator;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** The beans of reconciliation (routes/reconciliation.camel.yaml): the walk and its store. */
public final class ReconciliationConfiguration implements CamelConfiguration {

    @BindToRegistry("reconciliationStore")
    public ReconciliationStore reconciliationStore(DataSource dataSource) {
        return new ReconciliationStore(dataSource);
    }

    @BindToRegistry("reconciliationWalk")
    public ReconciliationWalk reconciliationWalk(
            ReconciliationStore store, Clock clock,
            @PropertyInject("reconciliation.walk-name") String walkName,
            @PropertyInject("reconciliation.trades-page-size") int tradesPageSize,
            @PropertyInject("reconciliation.ledger-page-size") int ledgerPageSize,
            @PropertyInject("reconciliation.max-pages-per-tick") int maxPagesPerTick,
            @PropertyInject("reconciliation.recheck-window-ms") long recheckWindowMs,
            @PropertyInject("reconciliation.returned-window-ms") long returnedWindowMs,
            @PropertyInject("reconciliation.ledger-sides") String ledgerSides,
            @PropertyInject("reconciliation.lease-ms") long leaseMs,
            @PropertyInject("reconciliation.publish-batch") int publishBatch) {
        ReconciliationSettings settings = new ReconciliationSettings(walkName, tradesPageSize, ledgerPageSize,
                maxPagesPerTick, Duration.ofMillis(recheckWindowMs), Duration.ofMillis(returnedWindowMs),
                Arrays.stream(ledgerSides.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()),
                Duration.ofMillis(leaseMs), publishBatch);
        return new ReconciliationWalk(store, new TradeComparator(settings.ledgerSides()), settings, clock);
    }
}
