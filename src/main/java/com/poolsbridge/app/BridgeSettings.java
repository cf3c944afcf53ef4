package com.poolsbridge.app;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every connection setting of pools-bridge, read from environment variables so the same jar runs on
 * Kubernetes, in an ESB host or on a laptop. {@link #validate()} fails closed before anything starts.
 * {@link #toString()} never prints a secret.
 */
public record BridgeSettings(
        String poolsBaseUrl,
        String poolsSecretKey,
        String poolsPublishableKey,
        String poolsWebhookSecret,
        String brokerUrl,
        String brokerUser,
        String brokerPassword,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int httpPort,
        String poolsMode) {

    /** The one host whose keys must be live; every other host (sandbox, local simulator) takes test keys. */
    public static final String LIVE_HOST = "pools-api.0bit.app";

    public static BridgeSettings fromEnvironment(Map<String, String> env) {
        return new BridgeSettings(
                env.get("POOLS_BASE_URL"),
                env.get("POOLS_SECRET_KEY"),
                env.get("POOLS_PUBLISHABLE_KEY"),
                env.get("POOLS_WEBHOOK_SECRET"),
                env.get("BROKER_URL"),
                env.get("BROKER_USER"),
                env.get("BROKER_PASSWORD"),
                env.get("DB_URL"),
                env.get("DB_USER"),
                env.get("DB_PASSWORD"),
                parsePort(env.getOrDefault("HTTP_PORT", "8080")),
                env.get("POOLS_MODE"));
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** @throws InvalidSettingsException listing every problem at once, so an operator fixes them in one go */
    public BridgeSettings validate() {
        List<String> problems = new ArrayList<>();
        require(problems, "POOLS_BASE_URL", poolsBaseUrl);
        require(problems, "POOLS_SECRET_KEY", poolsSecretKey);
        require(problems, "POOLS_WEBHOOK_SECRET", poolsWebhookSecret);
        require(problems, "BROKER_URL", brokerUrl);
        require(problems, "DB_URL", dbUrl);
        require(problems, "DB_USER", dbUser);
        if (httpPort < 0 || httpPort > 65535) {
            problems.add("HTTP_PORT must be a port number (0-65535)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        String host = hostOf(poolsBaseUrl, problems);
        String expectedMode = expectedKeyMode(host);
        checkKey(problems, "POOLS_SECRET_KEY", poolsSecretKey, "sk_", expectedMode);
        if (poolsPublishableKey != null && !poolsPublishableKey.isBlank()) {
            checkKey(problems, "POOLS_PUBLISHABLE_KEY", poolsPublishableKey, "pk_", expectedMode);
        }
        if (!poolsWebhookSecret.startsWith("whsec_")) {
            problems.add("POOLS_WEBHOOK_SECRET must be a whsec_ signing secret");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return this;
    }

    private String expectedKeyMode(String host) {
        if (poolsMode != null && !poolsMode.isBlank()) {
            return poolsMode.trim().toLowerCase();
        }
        return LIVE_HOST.equalsIgnoreCase(host) ? "live" : "test";
    }

    private static String hostOf(String url, List<String> problems) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                problems.add("POOLS_BASE_URL must be an http(s) URL, e.g. https://" + LIVE_HOST + "/v1");
                return "";
            }
            if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
                problems.add("POOLS_BASE_URL must use https except on loopback (the local sandbox)");
            }
            return uri.getHost();
        } catch (IllegalArgumentException e) {
            problems.add("POOLS_BASE_URL is not a valid URL");
            return "";
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    /** The key's mode must match the host: a live key on a test host, or the reverse, stops start-up. */
    private static void checkKey(List<String> problems, String name, String key, String prefix, String expectedMode) {
        String mode = key.startsWith(prefix + "live_") ? "live" : key.startsWith(prefix + "test_") ? "test" : null;
        if (mode == null) {
            problems.add(name + " must start with " + prefix + "test_ or " + prefix + "live_");
        } else if (!mode.equals(expectedMode)) {
            problems.add(name + " is a " + mode + " key but the configured 0Pools host takes " + expectedMode
                    + " keys (key_mode_mismatch)");
        }
    }

    private static void require(List<String> problems, String name, String value) {
        if (value == null || value.isBlank()) {
            problems.add(name + " is not set");
        }
    }

    public String keyMode() {
        return Objects.requireNonNull(poolsSecretKey).startsWith("sk_live_") ? "live" : "test";
    }

    @Override
    public String toString() {
        return "BridgeSettings[poolsBaseUrl=" + poolsBaseUrl + ", keyMode=" + (poolsSecretKey == null ? "?" : keyMode())
                + ", brokerUrl=" + brokerUrl + ", brokerUser=" + brokerUser + ", dbUrl=" + dbUrl
                + ", dbUser=" + dbUser + ", httpPort=" + httpPort + "]";
    }

    /** Start-up configuration error; its message names settings, never their secret values. */
    public static final class InvalidSettingsException extends RuntimeException {
        public InvalidSettingsException(List<String> problems) {
            super("pools-bridge cannot start: " + String.join("; ", problems));
        }
    }
}
