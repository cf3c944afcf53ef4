package com.poolsbridge.sandbox;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.concurrent.TimeUnit;

/**
 * TLS material of the sandbox: the server key pair (a PKCS12 key store) and what a client must trust. The
 * self-signed certificate is made once per JVM by the JDK's own {@code keytool} (EC P-256, SAN
 * {@code IP:127.0.0.1, DNS:localhost}, 30 days), so no crypto library is needed. The trust store holds only the
 * public certificate; its password is the JDK's conventional {@value #TRUST_STORE_PASSWORD}, not a secret.
 */
public final class SandboxTls {
    public static final String TRUST_STORE_PASSWORD = "changeit";
    private static final String ALIAS = "pools-sandbox";
    private static SandboxTls selfSigned;

    private final KeyStore keyStore;
    private final char[] keyPassword;
    private final X509Certificate certificate;
    private Path trustStorePath;

    private SandboxTls(KeyStore keyStore, char[] keyPassword) throws GeneralSecurityException {
        this.keyStore = keyStore;
        this.keyPassword = keyPassword.clone();
        this.certificate = Collections.list(keyStore.aliases()).stream().filter(a -> isKey(keyStore, a))
                .map(a -> certificate(keyStore, a)).findFirst()
                .orElseThrow(() -> new GeneralSecurityException("the key store holds no private key entry"));
    }

    /** A certificate for 127.0.0.1 and localhost, generated on first use and shared by every sandbox of this JVM. */
    public static synchronized SandboxTls selfSigned() {
        if (selfSigned == null) {
            selfSigned = generate();
        }
        return selfSigned;
    }

    /** The server key and certificate from a PKCS12 file (its first private-key entry). */
    public static SandboxTls fromPkcs12(Path keyStoreFile, char[] password) {
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return new SandboxTls(ks, password);
        } catch (IOException | GeneralSecurityException e) {
            // the message names the file only; a wrong password surfaces as "keystore password was incorrect"
            throw new IllegalArgumentException("cannot load TLS key store " + keyStoreFile + ": " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** An in-memory PKCS12 trust store holding the sandbox certificate. */
    public KeyStore trustStore() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry(ALIAS, certificate);
            return ts;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the sandbox trust store", e);
        }
    }

    /** Writes the trust store (PKCS12, password {@value #TRUST_STORE_PASSWORD}) to {@code file}. */
    public Path writeTrustStore(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                trustStore().store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the sandbox trust store to " + file, e);
        }
    }

    /**
     * A trust store file for a client in another process or a JVM property
     * ({@code -Djavax.net.ssl.trustStore=… -Djavax.net.ssl.trustStorePassword=changeit}); written once, deleted
     * at JVM exit.
     */
    public synchronized Path trustStorePath() {
        if (trustStorePath == null) {
            try {
                Path file = Files.createTempFile("pools-sandbox-trust", ".p12");
                file.toFile().deleteOnExit();
                trustStorePath = writeTrustStore(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trustStorePath;
    }

    public String trustStorePassword() {
        return TRUST_STORE_PASSWORD;
    }

    /** A client SSLContext that trusts exactly the sandbox certificate (for java.net.http or HttpClient 5). */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the sandbox client TLS context", e);
        }
    }

    SSLContext serverContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, keyPassword);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the sandbox server TLS context", e);
        }
    }

    private static SandboxTls generate() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Path dir = Files.createTempDirectory("pools-sandbox-tls");
            Path file = dir.resolve("sandbox.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            ProcessBuilder pb = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "30",
                    "-dname", "CN=localhost, O=pools-bridge 0Pools sandbox", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass:env", "SANDBOX_TLS_PASS")
                    .redirectErrorStream(true);
            pb.environment().put("SANDBOX_TLS_PASS", password);   // never on the command line
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool could not generate the sandbox certificate: " + output);
            }
            try {
                return fromPkcs12(file, password.toCharArray());
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool (needs a JDK/JRE with bin/keytool)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating the sandbox certificate", e);
        }
    }

    private static boolean isKey(KeyStore ks, String alias) {
        try {
            return ks.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate certificate(KeyStore ks, String alias) {
        try {
            return (X509Certificate) ks.getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
