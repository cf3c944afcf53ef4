package com.poolsbridge.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.app.PoolsApiConfiguration;
import com.poolsbridge.pools.PoolsApiException;
import com.poolsbridge.pools.PoolsRequest;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * 0Pools calls of the check command, made exactly as the bridge makes them: a small Camel Main with the bridge's
 * property sources, the {@code pools-api} route and the bridge's one HTTP client configuration
 * ({@link PoolsApiConfiguration}). No consumer, server or scheduler is started.
 */
final class PoolsCalls implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: the 2xx JSON body, or the 0Pools error (status, code, request id); never both. */
    record Answer(JsonNode body, String requestId, PoolsApiException error) {
        boolean ok() {
            return error == null;
        }

        String describeError() {
            return error.status() + " " + error.type() + "/" + error.code();
        }
    }

    private final Main main = new Main();
    private final ProducerTemplate template;

    PoolsCalls(BridgeSettings settings, java.util.Map<String, String> overrides) throws Exception {
        BridgeApplication.configureProperties(main, settings);
        String routesDir = System.getenv("ROUTES_DIR");
        main.addOverrideProperty("camel.main.routes-include-pattern", routesDir == null
                ? "classpath:routes/pools-api.camel.yaml" : "file:" + routesDir + "/pools-api.camel.yaml");
        main.addOverrideProperty("camel.main.name", "pools-bridge-check");
        for (String off : new String[] {"camel.server.enabled", "camel.management.enabled", "camel.metrics.enabled",
                "camel.health.enabled"}) {
            main.addOverrideProperty(off, "false");
        }
        overrides.forEach(main::addOverrideProperty);
        // in this order: the 0Pools configuration takes the check's DataSource and Clock
        main.configure().addConfiguration(new CheckConfiguration(settings));
        main.configure().addConfiguration(new PoolsApiConfiguration(settings));
        main.start();
        template = main.getCamelContext().createProducerTemplate();
    }

    /** A property as the bridge resolves it (override file, environment, packaged defaults). */
    java.util.Optional<String> property(String key) {
        return main.getCamelContext().getPropertiesComponent().resolveProperty(key);
    }

    Answer call(PoolsRequest request) {
        Exchange exchange = template.send("direct:pools-api", e -> e.setProperty("poolsRequest", request));
        String requestId = exchange.getProperty("poolsRequestId", String.class);
        Exception failure = exchange.getException();
        if (failure instanceof PoolsApiException api) {
            return new Answer(null, api.requestId() != null ? api.requestId() : requestId, api);
        }
        if (failure != null) {
            // no 0Pools answer at all (timeout, refused connection, TLS): report the class, never a stack trace
            throw new CheckFailure("no answer from 0Pools: " + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : " " + Evidence.oneLine(failure.getMessage())));
        }
        try {
            return new Answer(JSON.readTree(exchange.getMessage().getBody(String.class)), requestId, null);
        } catch (Exception e) {
            throw new CheckFailure("0Pools answered a body that is not JSON (request " + requestId + ")");
        }
    }

    /** Stops Camel; the registry then closes the database pool (destroyMethod). */
    @Override
    public void close() {
        main.stop();
    }
}
