package com.poolsbridge.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Standalone sandbox. Options: {@code --port 8099}, {@code --config PATH} (default: classpath config/sandbox.yaml),
 * {@code --tls} (https with a self-signed certificate for 127.0.0.1/localhost, or the PKCS12 of
 * {@code --tls-keystore PATH} whose password is read from {@code --tls-keystore-password-file PATH} or the
 * environment variable {@code SANDBOX_TLS_KEYSTORE_PASSWORD}), {@code --trust-store-out PATH} (writes a PKCS12
 * trust store with the certificate, password {@value SandboxTls#TRUST_STORE_PASSWORD}), {@code --rate-limits}
 * (enforce the configured tiers).
 */
public final class SandboxMain {
    private static final String USAGE = "usage: SandboxMain [--port 8099] [--config path/to/sandbox.yaml] [--tls]"
            + " [--tls-keystore file.p12 [--tls-keystore-password-file file]] [--trust-store-out trust.p12]"
            + " [--rate-limits]";

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 8099;
        String configPath = null;
        boolean tls = false;
        Path keyStore = null;
        Path passwordFile = null;
        Path trustStoreOut = null;
        boolean rateLimits = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--config" -> configPath = args[++i];
                    case "--tls" -> tls = true;
                    case "--tls-keystore" -> keyStore = Path.of(args[++i]);
                    case "--tls-keystore-password-file" -> passwordFile = Path.of(args[++i]);
                    case "--trust-store-out" -> trustStoreOut = Path.of(args[++i]);
                    case "--rate-limits" -> rateLimits = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
        if (!tls && (keyStore != null || trustStoreOut != null)) {
            System.err.println("--tls-keystore and --trust-store-out need --tls\n" + USAGE);
            System.exit(2);
        }
        SandboxConfig config = configPath == null ? SandboxConfig.defaults() : SandboxConfig.load(Path.of(configPath));
        if (rateLimits) {
            config = config.with("settings.rateLimits.enabled", true);
        }
        SandboxTls material = !tls ? null
                : keyStore == null ? SandboxTls.selfSigned() : SandboxTls.fromPkcs12(keyStore, password(passwordFile));
        PoolsSandbox sandbox = PoolsSandbox.start(config, port, Clock.systemUTC(), material);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
        if (trustStoreOut != null) {
            material.writeTrustStore(trustStoreOut);
            System.out.println("trust store (PKCS12) written to " + trustStoreOut.toAbsolutePath());
        }
        System.out.println("0Pools sandbox listening on " + sandbox.baseUrl());
        new CountDownLatch(1).await();   // run until killed
    }

    /** From the file when given, else from the environment: never from the command line. */
    private static char[] password(Path file) {
        try {
            String value = file != null ? Files.readString(file).strip() : System.getenv("SANDBOX_TLS_KEYSTORE_PASSWORD");
            if (value == null) {
                throw new IllegalArgumentException("--tls-keystore needs --tls-keystore-password-file or"
                        + " SANDBOX_TLS_KEYSTORE_PASSWORD");
            }
            return value.toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
