package com.poolsbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Immutable sandbox configuration, read from YAML (see config/sandbox.yaml for every key). */
public record SandboxConfig(String bindHost, Settings settings, List<PoolConfig> pools,
                            List<PartnerConfig> partners, List<FaultSpec> faults) {

    public SandboxConfig {
        bindHost = bindHost == null ? "127.0.0.1" : bindHost;
        pools = pools == null ? List.of() : List.copyOf(pools);
        partners = partners == null ? List.of() : List.copyOf(partners);
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    public record Settings(int quoteTtlSeconds, int pollsToTerminal, boolean allowSecretOnDiscovery,
                           boolean poolNotAllowedAs403, boolean gateAllRoutes, boolean consumedQuoteReplays,
                           int idempotencyRetentionHours, RateLimits rateLimits, WebhookSettings webhooks) {
    }

    public record RateLimits(boolean enabled,
                             @com.fasterxml.jackson.annotation.JsonProperty("short") Tier shortTier,
                             Tier medium,
                             @com.fasterxml.jackson.annotation.JsonProperty("long") Tier longTier) {
    }

    public record Tier(int limit, int windowSeconds) {
    }

    public record WebhookSettings(String signatureHeader, int maxAttempts, List<Duration> backoff, int timeoutSeconds) {
    }

    public record PoolConfig(String id, String fiatCurrency, String cryptoCurrency, List<String> networks,
                             List<String> sides, BigDecimal rate, int spreadBps, int spreadCapBps, int drawFeeBps,
                             BigDecimal minOrderUsdt, BigDecimal maxOrderUsdt, boolean available) {
    }

    public record PartnerConfig(String id, String publishableKey, String secretKey, boolean productEnabled,
                                String status, String kycStatus, String tier, List<String> allowedPools,
                                boolean balanceGate, BigDecimal balance, boolean offRampEnabled, String webhookUrl,
                                String webhookSecret, BigDecimal velocityCapEur, String fundingIban,
                                String fundingReference, String depositAddress) {
    }

    /** One fault; same shape as the body of POST /__admin/faults. */
    public record FaultSpec(String route, String mode, Integer count, Long latencyMs, Integer retryAfterSeconds) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).registerModule(new JavaTimeModule());

    public static SandboxConfig load(Path yaml) {
        try (InputStream in = Files.newInputStream(yaml)) {
            return YAML.readValue(in, SandboxConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox config " + yaml, e);
        }
    }

    public static SandboxConfig loadResource(String classpathResource) {
        try (InputStream in = SandboxConfig.class.getClassLoader().getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalArgumentException("no classpath resource " + classpathResource);
            }
            return YAML.readValue(in, SandboxConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox config " + classpathResource, e);
        }
    }

    public static SandboxConfig parse(String yaml) {
        try {
            return YAML.readValue(yaml, SandboxConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException("invalid sandbox config", e);
        }
    }

    /** The default configuration shipped in the jar (classpath config/sandbox.yaml). */
    public static SandboxConfig defaults() {
        return loadResource("config/sandbox.yaml");
    }

    /**
     * Copy with one value replaced, addressed by a dotted YAML path, e.g.
     * {@code with("settings.rateLimits.enabled", true)} or {@code with("partners.0.velocityCapEur", "100.00")};
     * keeps tests from rebuilding whole records.
     */
    public SandboxConfig with(String dottedPath, Object value) {
        ObjectNode root = YAML.valueToTree(this);
        String[] parts = dottedPath.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.isArray() ? node.get(Integer.parseInt(parts[i])) : node.get(parts[i]);
            if (node == null) {
                throw new IllegalArgumentException("no config path " + dottedPath);
            }
        }
        String last = parts[parts.length - 1];
        JsonNode v = YAML.valueToTree(value);
        if (node instanceof ObjectNode o) {
            o.set(last, v);
        } else {
            ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(Integer.parseInt(last), v);
        }
        try {
            return YAML.treeToValue(root, SandboxConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid override " + dottedPath, e);
        }
    }

    PoolConfig pool(String id) {
        return pools.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }
}
