package com.poolsbridge.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox over https: generated certificate, exported trust material, journal of scheme and credentials. */
class TlsSandboxTest {

    @Test
    void servesHttpsWithTheGeneratedCertificateAndJournalsSchemeAndCredentials() throws Exception {
        try (PoolsSandbox sandbox = PoolsSandbox.startTls(SandboxConfig.defaults(), 0)) {
            assertThat(sandbox.baseUrl()).startsWith("https://127.0.0.1:");
            HttpClient client = HttpClient.newBuilder().sslContext(sandbox.tls().clientContext())
                    .connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/pools"))
                    .header("Authorization", "Bearer " + SandboxTestSupport.PK).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/pools"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(anonymous.statusCode()).isEqualTo(401);

            List<RecordedRequest> journal = sandbox.journal();
            assertThat(journal).extracting(RecordedRequest::scheme).containsExactly("https", "https");
            assertThat(journal).extracting(RecordedRequest::authorizationPresent).containsExactly(true, false);
            assertThat(journal.get(0).header("Authorization")).isEqualTo("Bearer pk_test_…");

            // the certificate names the loopback address and localhost
            assertThat(sandbox.tls().certificate().getSubjectAlternativeNames())
                    .extracting(san -> (Object) san.get(1)).contains("127.0.0.1", "localhost");
            // a client that trusts only the JDK's CAs refuses it
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(sandbox.baseUrl() + "/pools")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void trustStoreFileIsAPkcs12WithTheCertificate(@TempDir Path dir) throws Exception {
        SandboxTls tls = SandboxTls.selfSigned();
        for (Path file : List.of(tls.trustStorePath(), tls.writeTrustStore(dir.resolve("out/trust.p12")))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, tls.trustStorePassword().toCharArray());
            }
            assertThat(ks.isCertificateEntry("pools-sandbox")).isTrue();
            assertThat(ks.getCertificate("pools-sandbox")).isEqualTo(tls.certificate());
        }
    }

    @Test
    void givenPkcs12IsServed(@TempDir Path dir) throws Exception {
        // a key store as an operator would hand it over, made by keytool with its own password
        Path p12 = dir.resolve("given.p12");
        char[] password = "given-password".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", new String(password)).redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(keytool.waitFor()).isZero();
        SandboxTls tls = SandboxTls.fromPkcs12(p12, password);
        try (PoolsSandbox sandbox = PoolsSandbox.start(SandboxConfig.defaults(), 0, Clock.systemUTC(), tls)) {
            HttpClient client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> SandboxTls.fromPkcs12(p12, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("given-password");
    }
}
