package com.poolsbridge.app;

import java.time.Clock;

import javax.sql.DataSource;

import com.poolsbridge.budget.BudgetSettings;
import com.poolsbridge.budget.BudgetStats;
import com.poolsbridge.budget.BudgetStore;
import com.poolsbridge.budget.PartnerBudget;
import com.poolsbridge.pools.PoolsHttpClient;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.http.HttpComponent;

/**
 * What route pools-api needs besides poolsResponses: the one 0Pools HTTP client configuration and the partner
 * budget. Shared by the bridge and the check command, so the check calls 0Pools exactly as the bridge does and
 * spends the same budget. Takes the {@link DataSource} and {@link Clock} its user binds.
 */
public final class PoolsApiConfiguration implements CamelConfiguration {

    private final BridgeSettings settings;

    public PoolsApiConfiguration(BridgeSettings settings) {
        this.settings = settings;
    }

    /** Limits from pools.http.*; the secret key goes straight into the client, never into a property. */
    @BindToRegistry("http")
    public HttpComponent http(@PropertyInject("pools.http.connect-timeout-ms") long connectMs,
                              @PropertyInject("pools.http.response-timeout-ms") long responseMs,
                              @PropertyInject("pools.http.connection-request-timeout-ms") long connectionRequestMs,
                              @PropertyInject("pools.http.max-response-bytes") long maxResponseBytes) {
        return new PoolsHttpClient(settings.poolsBaseUrl(), settings.poolsSecretKey(), settings.poolsPublishableKey(),
                new PoolsHttpClient.Limits(connectMs, responseMs, connectionRequestMs, maxResponseBytes),
                PoolsHttpClient.trustStore(settings.poolsTrustStore(), settings.poolsTrustStorePassword())).component();
    }

    /** The same component as http: Camel's http and https are separate component instances otherwise. */
    @BindToRegistry("https")
    public HttpComponent https(@BeanInject("http") HttpComponent http) {
        return http;
    }

    @BindToRegistry("partnerBudgetStats")
    public BudgetStats partnerBudgetStats() {
        return new BudgetStats();
    }

    @BindToRegistry("partnerBudget")
    public PartnerBudget partnerBudget(DataSource dataSource, Clock clock,
                                       @BeanInject("partnerBudgetStats") BudgetStats stats,
                                       @PropertyInject("pools.budget.name") String name,
                                       @PropertyInject("pools.budget.tiers") String tiers,
                                       @PropertyInject("pools.budget.shares") String shares,
                                       @PropertyInject("pools.budget.max-starvation-ms") long maxStarvationMs,
                                       @PropertyInject("pools.budget.margin-ms") long marginMs,
                                       @PropertyInject("pools.budget.hold-ms") long holdMs,
                                       @PropertyInject("pools.budget.recheck-max-ms") long recheckMaxMs,
                                       @PropertyInject("pools.budget.jitter-ms") long jitterMs) {
        BudgetSettings budget = new BudgetSettings(name, BudgetSettings.parseTiers(tiers),
                BudgetSettings.parseShares(shares), maxStarvationMs, marginMs, holdMs, recheckMaxMs, jitterMs);
        BudgetStore store = new BudgetStore(dataSource, budget);
        store.ensureTiers();
        return new PartnerBudget(store, budget, stats, clock);
    }
}
