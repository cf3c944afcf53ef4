package com.poolsbridge.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * Starts pools-bridge with Camel Main: the beans come from the configuration classes (factory methods with
 * {@code @BindToRegistry} and {@code @PropertyInject}), the routes from the YAML files. Secrets go straight
 * from {@link BridgeSettings} into the beans that need them and never become Camel properties.
 */
public final class BridgeApplication implements AutoCloseable {

    private final BridgeSettings settings;
    private final Map<String, String> overrides;
    private final Main main = new Main();

    public BridgeApplication(BridgeSettings settings, Map<String, String> overrides) {
        this.settings = settings.validate();
        this.overrides = new LinkedHashMap<>(overrides);
    }

    /** Starts Camel without blocking (tests, demo). */
    public CamelContext start() throws Exception {
        configure();
        main.start();
        return main.getCamelContext();
    }

    /** Runs until the JVM is asked to stop (production). */
    public void run() throws Exception {
        configure();
        main.run();
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    private void configure() {
        configureProperties(main, settings);
        main.addOverrideProperty("camel.server.port", String.valueOf(settings.httpPort()));
        String routesDir = System.getenv("ROUTES_DIR");
        if (routesDir != null) {
            main.addOverrideProperty("camel.main.routes-include-pattern", "file:" + routesDir + "/*.camel.yaml");
        }
        overrides.forEach(main::addOverrideProperty);
        // Camel runs the configurations' factory methods once every property source is resolved, in this order:
        // each takes what it needs from the ones before it (by type, e.g. the DataSource); within one class,
        // Camel runs a method before those that take its type as a parameter (only one level deep)
        List.of(new InfrastructureConfiguration(settings), new PoolsApiConfiguration(settings),
                new OrderConfiguration(), new SettlementConfiguration(settings), new ReconciliationConfiguration(),
                new OperationsConfiguration(settings)).forEach(main.configure()::addConfiguration);
    }

    /**
     * Where properties come from, for the bridge and the check command alike: the first location holding a key
     * wins, so the operator's file (a mounted ConfigMap) comes before the packaged defaults; environment
     * variables (ORDERS_CONSUMERS for orders.consumers) override both.
     */
    public static void configureProperties(Main main, BridgeSettings settings) {
        main.setDefaultPropertyPlaceholderLocation(propertyLocations(System.getenv()));
        main.addOverrideProperty("pools.base-url", settings.poolsBaseUrl());
    }

    /** The operator's file (POOLS_BRIDGE_CONFIG), if any, then the packaged defaults: the first holding a key wins. */
    public static String propertyLocations(Map<String, String> env) {
        String configFile = env.get("POOLS_BRIDGE_CONFIG");
        return (configFile == null || configFile.isBlank() ? "" : "file:" + configFile + ",")
                + "classpath:config/application.properties";
    }

    /** Stops Camel; the registry then closes the database and broker pools (destroyMethod). */
    @Override
    public void close() {
        main.stop();
    }
}
