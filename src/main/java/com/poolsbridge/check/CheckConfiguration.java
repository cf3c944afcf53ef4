package com.poolsbridge.check;

import java.time.Clock;

import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.infra.Database;
import com.poolsbridge.pools.PoolsResponses;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/**
 * What the check's pools-api calls need besides {@link com.poolsbridge.app.PoolsApiConfiguration}: a small
 * database pool, since the check's calls spend the same partner budget as the running replicas (one egress IP).
 */
final class CheckConfiguration implements CamelConfiguration {

    private final BridgeSettings settings;

    CheckConfiguration(BridgeSettings settings) {
        this.settings = settings;
    }

    @BindToRegistry("clock")
    public Clock clock() {
        return Clock.systemUTC();
    }

    @BindToRegistry(value = "dataSource", destroyMethod = "close")
    public HikariDataSource dataSource() {
        return Database.connect(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), 2);
    }

    /** No jitter: the check makes one call at a time and reports what 0Pools answered. */
    @BindToRegistry("poolsResponses")
    public PoolsResponses poolsResponses(
            @PropertyInject(value = "retry.rate-limited.max-wait-ms", defaultValue = "30000") long maxWaitMs) {
        return new PoolsResponses(maxWaitMs, 0);
    }
}
