package com.poolsbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.infra.EmbeddedBroker;
import com.poolsbridge.infra.EmbeddedDatabase;
import com.poolsbridge.infra.QueueNames;
import com.poolsbridge.process.ProcessHarness;
import com.poolsbridge.sandbox.SandboxTls;

/**
 * One embedded PostgreSQL and one embedded Artemis per test JVM (they take seconds to start); tests stay
 * independent by using unique order ids and draining the queues they read.
 */
public final class TestInfrastructure {

    public static final String SECRET_KEY = "sk_test_PLANTEDsecret0000000000001";
    public static final String PUBLISHABLE_KEY = "pk_test_demo000000000000000001";
    public static final String WEBHOOK_SECRET = "whsec_PLANTEDwebhook000000000000001";
    public static final String DB_PASSWORD = "PLANTED-db-password-1";

    private static TestInfrastructure instance;

    private final EmbeddedDatabase database;
    private final EmbeddedBroker broker;

    private TestInfrastructure() throws Exception {
        Path dir = Files.createTempDirectory("pools-bridge-test");
        database = EmbeddedDatabase.start(null);
        broker = EmbeddedBroker.start(dir.resolve("broker"), QueueNames.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
                database.close();
            } catch (Exception ignored) {
                // JVM is exiting
            }
        }));
    }

    public static synchronized TestInfrastructure get() throws Exception {
        if (instance == null) {
            instance = new TestInfrastructure();
        }
        return instance;
    }

    public EmbeddedDatabase database() {
        return database;
    }

    /** A pool of its own on the shared test database, for a store tested as a plain bean. */
    public com.zaxxer.hikari.HikariDataSource connect(int poolSize) {
        return com.poolsbridge.infra.Database.connect(database.jdbcUrl(), database.user(), DB_PASSWORD, poolSize);
    }

    public EmbeddedBroker broker() {
        return broker;
    }

    public BridgeSettings settings(String poolsBaseUrl) {
        return settings(poolsBaseUrl, database.jdbcUrl());
    }

    /** As {@link #settings(String)}, with another JDBC URL for the same database (e.g. a counting driver's). */
    public BridgeSettings settings(String poolsBaseUrl, String dbUrl) {
        return BridgeSettings.fromEnvironment(environment(poolsBaseUrl, dbUrl));
    }

    /** The environment a bridge process on this infrastructure is started with, as an operator would set it. */
    public Map<String, String> environment(String poolsBaseUrl) {
        return environment(poolsBaseUrl, database.jdbcUrl());
    }

    private Map<String, String> environment(String poolsBaseUrl, String dbUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("POOLS_BASE_URL", poolsBaseUrl);
        env.put("POOLS_SECRET_KEY", SECRET_KEY);
        env.put("POOLS_PUBLISHABLE_KEY", PUBLISHABLE_KEY);
        env.put("POOLS_WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.put("BROKER_URL", broker.url());
        env.put("DB_URL", dbUrl);
        env.put("DB_USER", database.user());
        env.put("DB_PASSWORD", DB_PASSWORD);
        env.put("HTTP_PORT", Integer.toString(freeHttpPort()));   // known before start: webhookUrl needs no lookup
        // a budget of its own: permits of earlier tests in this database must not count against this process
        env.put("POOLS_BUDGET_NAME", "test-" + java.util.UUID.randomUUID());
        if (poolsBaseUrl.startsWith("https:")) {
            // the sandbox's self-signed certificate, as a bank would configure a private CA
            env.put("POOLS_TRUST_STORE", SandboxTls.selfSigned().trustStorePath().toString());
            env.put("POOLS_TRUST_STORE_PASSWORD", SandboxTls.selfSigned().trustStorePassword());
        }
        return env;
    }

    private static int freeHttpPort() {
        try {
            return ProcessHarness.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Short delays so retry tests stay fast; the production values live in config/application.properties. */
    public static Map<String, String> fastRetries() {
        Map<String, String> props = new HashMap<>();
        props.put("retry.transient.initial-delay-ms", "20");
        props.put("retry.transient.max-delay-ms", "200");
        props.put("retry.rate-limited.jitter-ms", "50");
        props.put("retry.database.initial-delay-ms", "20");
        props.put("retry.database.max-delay-ms", "200");
        props.put("orders.busy-retry-ms", "250");
        props.put("orders.consumers", "2");
        props.put("orders.lease-ms", "3000");
        props.put("camel.main.shutdown-timeout", "5");
        props.put("camel.management.port", "0");
        // JMX off: two bridges in one JVM would get different management names ("pools-bridge-1" on a clash),
        // and clustered Quartz finds a job's CamelContext by that name, so one replica's jobs would fail on the
        // other (replicas in their own JVMs all have "pools-bridge"); OperationsIntegrationTest turns it on
        props.put("camel.main.jmx-enabled", "false");
        // the test JVM's bridges share one database: each gets its own partner budget, wide enough not to pace
        // tests that are not about the budget (those set their own tiers)
        props.put("pools.budget.name", "test-" + java.util.UUID.randomUUID());
        props.put("pools.budget.tiers", "short=100000/10s");
        // ... and its own Quartz cluster: a job left BLOCKED by an earlier test's bridge would otherwise not fire
        // here until Quartz recovers the dead instance (seconds); SettlementClusterTest joins two on purpose
        props.put("settlement.cluster-name", "test-" + java.util.UUID.randomUUID());
        return props;
    }
}
