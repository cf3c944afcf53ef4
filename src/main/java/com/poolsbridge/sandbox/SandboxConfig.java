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

    /**
     * Contract choices (§10 G-n) and simulator pacing. Keys added after the first release are optional in YAML
     * (null = the documented default), so older config files and short test configs keep working.
     */
    public record Settings(int quoteTtlSeconds, int pollsToTerminal, boolean allowSecretOnDiscovery,
                           boolean poolNotAllowedAs403, boolean gateAllRoutes, boolean consumedQuoteReplays,
                           int idempotencyRetentionHours, RateLimits rateLimits, WebhookSettings webhooks,
                           String liveKeyOutcome, String offRampQuoteWhenDisabled, Integer idempotencyKeyMaxLength,
                           String idempotencyStoreErrors, Boolean replayOriginalRequestId,
                           Integer transactSuccessStatus, String tradesLimitOutOfRange, Boolean createdBoundsInclusive,
                           Integer settleAfterSeconds, Returned returned, String requestIdFormat,
                           List<String> velocityCountsStatuses, Boolean velocityRetryAfterShort) {
        public Settings {
            liveKeyOutcome = or(liveKeyOutcome, "key_mode_mismatch");
            offRampQuoteWhenDisabled = or(offRampQuoteWhenDisabled, "allow");
            idempotencyKeyMaxLength = or(idempotencyKeyMaxLength, 255);
            idempotencyStoreErrors = or(idempotencyStoreErrors, "none");
            replayOriginalRequestId = or(replayOriginalRequestId, true);
            transactSuccessStatus = or(transactSuccessStatus, 200);
            tradesLimitOutOfRange = or(tradesLimitOutOfRange, "reject");
            createdBoundsInclusive = or(createdBoundsInclusive, false);
            settleAfterSeconds = or(settleAfterSeconds, 0);
            returned = or(returned, new Returned("downstream", Duration.ofSeconds(1)));
            requestIdFormat = or(requestIdFormat, "req_base32");
            velocityCountsStatuses = velocityCountsStatuses == null ? List.of("reserved", "settled")
                    : List.copyOf(velocityCountsStatuses);
            velocityRetryAfterShort = or(velocityRetryAfterShort, false);
            requireOneOf("liveKeyOutcome", liveKeyOutcome, "key_mode_mismatch", "unauthorized");
            requireOneOf("offRampQuoteWhenDisabled", offRampQuoteWhenDisabled, "allow", "not_implemented");
            requireOneOf("idempotencyStoreErrors", idempotencyStoreErrors, "none", "server", "all");
            requireOneOf("tradesLimitOutOfRange", tradesLimitOutOfRange, "reject", "clamp");
            requireOneOf("requestIdFormat", requestIdFormat, "req_base32", "uuid");
            if (transactSuccessStatus != 200 && transactSuccessStatus != 201) {
                throw new IllegalArgumentException("transactSuccessStatus must be 200 or 201");
            }
        }
    }

    /**
     * When a settled trade of the returned scenario flips to returned (issue 8 / §4.2): {@code downstream} =
     * by itself, {@code delay} after it settled, seen by every read and poll; {@code poll} = on the next status
     * poll after settled (the first sandbox's behaviour).
     */
    public record Returned(String mode, Duration delay) {
        public Returned {
            mode = or(mode, "downstream");
            delay = or(delay, Duration.ofSeconds(1));
            requireOneOf("returned.mode", mode, "downstream", "poll");
        }

        boolean downstream() {
            return mode.equals("downstream");
        }
    }

    /**
     * Per-IP throttle tiers (§7.1, G-13). {@code retryAfterHeader}: {@code blocking_tier} names the header after
     * the tier that refused ({@code Retry-After-medium}), {@code short} always sends {@code Retry-After-short}.
     */
    public record RateLimits(boolean enabled,
                             @com.fasterxml.jackson.annotation.JsonProperty("short") Tier shortTier,
                             Tier medium,
                             @com.fasterxml.jackson.annotation.JsonProperty("long") Tier longTier,
                             String retryAfterHeader) {
        public RateLimits {
            retryAfterHeader = or(retryAfterHeader, "blocking_tier");
            requireOneOf("rateLimits.retryAfterHeader", retryAfterHeader, "blocking_tier", "short");
        }

        /** The documented global tiers: short 10/10 s, medium 60/60 s, long 300/1 h. */
        public static RateLimits documented(boolean enabled) {
            return new RateLimits(enabled, new Tier(10, 10), new Tier(60, 60), new Tier(300, 3600), null);
        }
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

    /**
     * One fault; same shape as the body of POST /__admin/faults. {@code status} picks the 5xx of the fail modes
     * (500, 502, 503, 504); {@code count} null means 1, except for the latency modes where it means "until cleared".
     */
    public record FaultSpec(String route, String mode, Integer count, Long latencyMs, Integer retryAfterSeconds,
                            Integer status) {
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

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static void requireOneOf(String key, String value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            throw new IllegalArgumentException(key + " must be one of " + List.of(allowed) + ", not " + value);
        }
    }

    PoolConfig pool(String id) {
        return pools.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }
}
