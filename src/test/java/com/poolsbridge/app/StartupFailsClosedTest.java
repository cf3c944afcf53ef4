package com.poolsbridge.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void secretsAreReadFromFilesWithoutTheirLineBreak(@TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("secret-key"), TEST_SECRET + "\n");
        Path db = Files.writeString(dir.resolve("db-password"), "PLANTED-file-password\n");
        Map<String, String> env = env("http://127.0.0.1:8099/v1", null);
        env.remove("POOLS_SECRET_KEY");
        env.remove("DB_PASSWORD");
        env.put("POOLS_SECRET_KEY_FILE", key.toString());
        env.put("DB_PASSWORD_FILE", db.toString());
        BridgeSettings settings = BridgeSettings.fromEnvironment(env).validate();
        assertThat(settings.poolsSecretKey()).isEqualTo(TEST_SECRET);
        assertThat(settings.dbPassword()).isEqualTo("PLANTED-file-password");
    }

    @Test
    void aSecretGivenTwiceOrAnUnreadableSecretFileIsRefused(@TempDir Path dir) {
        Map<String, String> both = env("http://127.0.0.1:8099/v1", TEST_SECRET);
        both.put("POOLS_SECRET_KEY_FILE", dir.resolve("key").toString());
        assertThatThrownBy(() -> BridgeSettings.fromEnvironment(both))
                .hasMessageContaining("either POOLS_SECRET_KEY or POOLS_SECRET_KEY_FILE");
        Map<String, String> missing = env("http://127.0.0.1:8099/v1", TEST_SECRET);
        missing.remove("POOLS_WEBHOOK_SECRET");
        missing.put("POOLS_WEBHOOK_SECRET_FILE", dir.resolve("absent").toString());
        assertThatThrownBy(() -> BridgeSettings.fromEnvironment(missing))
                .hasMessageContaining("POOLS_WEBHOOK_SECRET_FILE cannot be read");
    }

    @Test
    void aRemoteBrokerOrDatabaseInPlainTextIsRefusedUnlessAccepted() {
        Map<String, String> env = env("https://pools-api.0bit.app/v1", LIVE_SECRET);
        env.put("BROKER_URL", "tcp://broker.bank.internal:61616");
        env.put("DB_URL", "jdbc:postgresql://db.bank.internal:5432/pools");
        assertThatThrownBy(() -> BridgeSettings.fromEnvironment(env).validate())
                .hasMessageContaining("BROKER_URL reaches a remote broker in plain text")
                .hasMessageContaining("DB_URL reaches a remote database without verified TLS");

        env.put("BROKER_URL", "tcp://broker.bank.internal:61617?sslEnabled=true&trustStorePath=/tls/ca.p12&verifyHost=true");
        env.put("DB_URL", "jdbc:postgresql://db.bank.internal:5432/pools?sslmode=verify-full&sslrootcert=/tls/ca.crt");
        assertThat(BridgeSettings.fromEnvironment(env).validate().plaintextInfrastructure()).isEmpty();

        env.put("BROKER_URL", "tcp://broker.bank.internal:61616");
        env.put("ALLOW_PLAINTEXT_INFRASTRUCTURE", "true");
        assertThat(BridgeSettings.fromEnvironment(env).validate().plaintextInfrastructure()).hasSize(1);
    }

    @Test
    void loopbackInfrastructureNeedsNoTls() {
        assertThat(BridgeSettings.fromEnvironment(env("http://127.0.0.1:8099/v1", TEST_SECRET)).validate()
                .plaintextInfrastructure()).isEmpty();
    }

    @Test
    void anUnknownSchemeIsRefused() {
        assertThatThrownBy(() -> BridgeSettings.fromEnvironment(env("ftp://pools-api.0bit.app/v1", LIVE_SECRET)).validate())
                .hasMessageContaining("must be an http(s) URL");
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
