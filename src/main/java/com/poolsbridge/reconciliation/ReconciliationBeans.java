package com.poolsbridge.reconciliation;

import java.time.Clock;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** Builds and binds the reconciliation beans (called once from BridgeApplication.Beans). */
public final class ReconciliationBeans {

    private ReconciliationBeans() {
    }

    public static void bind(CamelContext context, PropertiesComponent props, DataSource dataSource, Clock clock) {
        ReconciliationSettings settings = ReconciliationSettings.from(props);
        ReconciliationStore store = new ReconciliationStore(dataSource);
        context.getRegistry().bind("reconciliationStore", store);
        context.getRegistry().bind("reconciliationWalk",
                new ReconciliationWalk(store, new TradeComparator(settings.ledgerSides()), settings, clock));
    }
}
