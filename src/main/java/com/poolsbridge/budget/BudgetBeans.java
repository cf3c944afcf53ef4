package com.poolsbridge.budget;

import java.time.Clock;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/** Builds and binds the partner budget (called once from BridgeApplication.Beans): partnerBudget, partnerBudgetStats. */
public final class BudgetBeans {

    private BudgetBeans() {
    }

    public static void bind(CamelContext context, PropertiesComponent props, DataSource dataSource, Clock clock) {
        BudgetSettings settings = new BudgetSettings(
                prop(props, "pools.budget.name"),
                BudgetSettings.parseTiers(prop(props, "pools.budget.tiers")),
                BudgetSettings.parseShares(prop(props, "pools.budget.shares")),
                Long.parseLong(prop(props, "pools.budget.max-starvation-ms")),
                Long.parseLong(prop(props, "pools.budget.margin-ms")),
                Long.parseLong(prop(props, "pools.budget.hold-ms")),
                Long.parseLong(prop(props, "pools.budget.recheck-max-ms")),
                Long.parseLong(prop(props, "pools.budget.jitter-ms")));
        BudgetStore store = new BudgetStore(dataSource, settings);
        store.ensureTiers();
        BudgetStats stats = new BudgetStats();
        context.getRegistry().bind("partnerBudget", new PartnerBudget(store, settings, stats, clock));
        context.getRegistry().bind("partnerBudgetStats", stats);
    }

    private static String prop(PropertiesComponent props, String key) {
        return props.resolveProperty(key).orElseThrow(() -> new IllegalStateException("missing property " + key));
    }
}
