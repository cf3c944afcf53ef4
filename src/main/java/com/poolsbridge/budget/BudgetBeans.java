package com.poolsbridge.budget;

import static com.poolsbridge.app.ConfigProperties.required;

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
                required(props, "pools.budget.name"),
                BudgetSettings.parseTiers(required(props, "pools.budget.tiers")),
                BudgetSettings.parseShares(required(props, "pools.budget.shares")),
                Long.parseLong(required(props, "pools.budget.max-starvation-ms")),
                Long.parseLong(required(props, "pools.budget.margin-ms")),
                Long.parseLong(required(props, "pools.budget.hold-ms")),
                Long.parseLong(required(props, "pools.budget.recheck-max-ms")),
                Long.parseLong(required(props, "pools.budget.jitter-ms")));
        BudgetStore store = new BudgetStore(dataSource, settings);
        store.ensureTiers();
        BudgetStats stats = new BudgetStats();
        context.getRegistry().bind("partnerBudget", new PartnerBudget(store, settings, stats, clock));
        context.getRegistry().bind("partnerBudgetStats", stats);
    }
}
