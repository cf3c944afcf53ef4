package com.poolsbridge.app;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every connection setting of pools-bridge, read from environment variables so the same jar runs on
 * Kubernetes, in an ESB host or on a laptop. Each secret may instead be read from a file named by
 * {@code <NAME>_FILE} (a mounted Kubernetes Secret, a systemd credential). {@link #validate()} fails closed
 * before anything starts. {@link #toString()} never prints a secret.
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
        String poolsMode,
        String poolsTrustStore,
        String poolsTrustStorePassword,
        boolean allowPlaintextInfrastructure) {

    /** The one host whose keys must be live; every other host (sandbox, local simulator) takes test keys. */
    public static final String LIVE_HOST = "pools-api.0bit.app";

    /** @throws InvalidSettingsException when a secret file is named but cannot be read, or a secret is given twice */
    public static BridgeSettings fromEnvironment(Map<String, String> env) {
        return new BridgeSettings(
                env.get("POOLS_BASE_URL"),
                secret(env, "POOLS_SECRET_KEY"),
                env.get("POOLS_PUBLISHABLE_KEY"),
                secret(env, "POOLS_WEBHOOK_SECRET"),
                env.get("BROKER_URL"),
                env.get("BROKER_USER"),
                secret(env, "BROKER_PASSWORD"),
                env.get("DB_URL"),
                env.get("DB_USER"),
                secret(env, "DB_PASSWORD"),
                parsePort(env.getOrDefault("HTTP_PORT", "8080")),
                env.get("POOLS_MODE"),
                env.get("POOLS_TRUST_STORE"),
                secret(env, "POOLS_TRUST_STORE_PASSWORD"),
                "true".equalsIgnoreCase(env.get("ALLOW_PLAINTEXT_INFRASTRUCTURE")));
    }

    /**
     * The value of {@code name}, or the content of the file named by {@code name_FILE} without its trailing
     * line break. Naming both is refused: an operator must know which one is in force.
     */
    public static String secret(Map<String, String> env, String name) {
        String value = env.get(name);
        String file = env.get(name + "_FILE");
        if (file == null || file.isBlank()) {
            return value;
        }
        if (value != null && !value.isBlank()) {
            throw new InvalidSettingsException(List.of("set either " + name + " or " + name + "_FILE, not both"));
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            throw new InvalidSettingsException(List.of(name + "_FILE cannot be read: " + file));
        }
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
        if (poolsTrustStore != null && !poolsTrustStore.isBlank() && !Files.isReadable(Path.of(poolsTrustStore))) {
            problems.add("POOLS_TRUST_STORE cannot be read: " + poolsTrustStore);
        }
        if (!allowPlaintextInfrastructure) {
            for (String plaintext : plaintextInfrastructure()) {
                problems.add(plaintext + " (encrypt it, or set ALLOW_PLAINTEXT_INFRASTRUCTURE=true to accept the risk)");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return this;
    }

    /**
     * Connections to a broker or database beyond this host that would travel in plain text: the broker URL
     * without {@code sslEnabled=true}, the JDBC URL without {@code sslmode=verify-full}.
     */
    public List<String> plaintextInfrastructure() {
        List<String> found = new ArrayList<>();
        if (!onLoopback(brokerUrl.replaceFirst("^\\(", "")) && !brokerUrl.toLowerCase().contains("sslenabled=true")) {
            found.add("BROKER_URL reaches a remote broker in plain text (add sslEnabled=true, trustStorePath=…, verifyHost=true)");
        }
        if (!onLoopback(dbUrl.replaceFirst("^jdbc:", "")) && !dbUrl.toLowerCase().contains("sslmode=verify-full")) {
            found.add("DB_URL reaches a remote database without verified TLS (add sslmode=verify-full&sslrootcert=…)");
        }
        return found;
    }

    /** True when every host named in a (possibly multi-host) URL is this machine. */
    private static boolean onLoopback(String url) {
        java.util.regex.Matcher hosts = java.util.regex.Pattern.compile("//([^/?;,)]+(?:,[^/?;,)]+)*)").matcher(url);
        if (!hosts.find()) {
            return false;
        }
        for (String hostPort : hosts.group(1).split(",")) {
            String host = hostPort.contains("@") ? hostPort.substring(hostPort.indexOf('@') + 1) : hostPort;
            host = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceFirst(":\\d+$", "");
            if (!isLoopback(host)) {
                return false;
            }
        }
        return true;
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
                + ", dbUser=" + dbUser + ", httpPort=" + httpPort + ", poolsTrustStore=" + poolsTrustStore + "]";
    }

    /** Start-up configuration error; its message names settings, never their secret values. */
    public static final class InvalidSettingsException extends RuntimeException {
        public InvalidSettingsException(List<String> problems) {
            super("pools-bridge cannot start: " + String.join("; ", problems));
        }
    }
}
