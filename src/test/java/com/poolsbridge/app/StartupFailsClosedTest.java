package com.poolsbridge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up refuses missing settings and key/host mode mismatches before anything connects or consumes. */
class StartupFailsClosedTest {

    private static final String LIVE_SECRET = "sk_live_PLANTEDlive00000000000000001";
    private static final String TEST_SECRET = "sk_test_PLANTEDtest00000000000000001";

    private static Map<String, String> env(String baseUrl, String secret) {
        Map<String, String> env = new HashMap<>();
        env.put("POOLS_BASE_URL", baseUrl);
        env.put("POOLS_SECRET_KEY", secret);
        env.put("POOLS_WEBHOOK_SECRET", "whsec_PLANTEDwebhook0000000000001");
        env.put("BROKER_URL", "tcp://127.0.0.1:1");
        env.put("DB_URL", "jdbc:postgresql://127.0.0.1:1/pools");
        env.put("DB_USER", "pools");
        env.put("DB_PASSWORD", "PLANTED-password");
        return env;
    }

    @Test
    void liveKeyOnTheSandboxHostIsRefused() {
        assertThatThrownBy(() -> BridgeSettings.fromEnvironment(env("http://127.0.0.1:8099/v1", LIVE_SECRET)).validate())
                .hasMessageContaining("POOLS_SECRET_KEY is a live key")
                .hasMessageContaining("key_mode_mismatch")
                .hasMessageNotContaining(LIVE_SECRET);
    }

    @Test
    void testKeyOnTheLiveHostIsRefused() {
        assertThatThrownBy(() -> BridgeSettings.fromEnvironment(env("https://pools-api.0bit.app/v1", TEST_SECRET)).validate())
                .hasMessageContaining("is a test key")
                .hasMessageNotContaining(TEST_SECRET);
    }

    @Test
    void matchingModesAreAccepted() {
        assertThat(BridgeSettings.fromEnvironment(env("https://pools-api.0bit.app/v1", LIVE_SECRET)).validate().keyMode())
                .isEqualTo("live");
        assertThat(BridgeSettings.fromEnvironment(env("http://127.0.0.1:8099/v1", TEST_SECRET)).validate().keyMode())
                .isEqualTo("test");
    }

    @Test
    void everyMissingSettingIsNamedAtOnce() {
        Map<String, String> env = env("http://127.0.0.1:8099/v1", TEST_SECRET);
        env.remove("BROKER_URL");
        env.remove("DB_URL");
        assertThatThrownBy(() -> BridgeSettings.fromEnvironment(env).validate())
                .hasMessageContaining("BROKER_URL is not set")
                .hasMessageContaining("DB_URL is not set");
    }

    @Test
    void plainHttpIsRefusedOutsideLoopback() {
        assertThatThrownBy(() -> BridgeSettings.fromEnvironment(env("http://pools.example.internal/v1", TEST_SECRET)).validate())
                .hasMessageContaining("must use https");
    }

    @Test
    void toStringNeverShowsSecrets() {
        String text = BridgeSettings.fromEnvironment(env("http://127.0.0.1:8099/v1", TEST_SECRET)).toString();
        assertThat(text).doesNotContain(TEST_SECRET).doesNotContain("PLANTED-password").doesNotContain("whsec_");
    }

    @Test
    void theProcessExitsNonZeroWithAClearMessageAndNoSecret() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                java(), "-cp", System.getProperty("java.class.path"), "com.poolsbridge.PoolsBridge")
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env("http://127.0.0.1:8099/v1", LIVE_SECRET));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("pools-bridge cannot start").contains("key_mode_mismatch")
                .doesNotContain(LIVE_SECRET).doesNotContain("PLANTED-password")
                .doesNotContain("Apache Camel"); // nothing started
    }

    private static String java() throws IOException {
        return System.getProperty("java.home") + "/bin/java";
    }
}
