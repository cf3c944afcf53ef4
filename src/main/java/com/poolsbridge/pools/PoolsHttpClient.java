package com.poolsbridge.pools;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The one HTTP client configuration of every 0Pools call. Camel registers {@code http} and {@code https} as two
 * separate components, so settings given to one never reach the other: {@link #component()} builds each of them
 * from this single place (timeouts, no client retries, no redirects, bounded responses, TLS trust, credentials).
 * The secret key is added inside the client, only for the configured 0Pools host, so it never enters a Camel
 * message, header, log line or endpoint URI. Discovery ({@code GET /pools}) is the one publishable-key route
 * (contract §1.2, G-2): it gets the publishable key when one is configured, every other call the secret key.
 */
public final class PoolsHttpClient implements HttpClientConfigurer {

    /** Connect, response (socket read) and connection-pool wait limits, in milliseconds. */
    public record Limits(long connectMs, long responseMs, long connectionRequestMs, long maxResponseBytes) {
    }

    private final String host;
    private final int port;
    private final String discoveryPath;
    private final String secretKey;
    private final String publishableKey;
    private final Limits limits;
    private final SSLContextParameters tls;

    /**
     * @param publishableKey sent on discovery only, or null (then discovery gets the secret key)
     * @param tls trust material for a private CA, or null for the JVM's default trust store
     */
    public PoolsHttpClient(String baseUrl, String secretKey, String publishableKey, Limits limits,
                           SSLContextParameters tls) {
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost();
        this.port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        this.discoveryPath = (uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "")) + "/pools";
        this.secretKey = secretKey;
        this.publishableKey = publishableKey == null || publishableKey.isBlank() ? null : publishableKey;
        this.limits = limits;
        this.tls = tls;
    }

    /** Trust for a 0Pools endpoint signed by a private CA (PKCS12 or JKS file), or null to use the JVM's. */
    public static SSLContextParameters trustStore(String path, String password) {
        if (path == null || path.isBlank()) {
            return null;
        }
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + path);
        store.setPassword(password == null ? "" : password);
        store.setType(path.endsWith(".jks") ? "JKS" : "PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);
        return tls;
    }

    /** A component for one scheme; call once for {@code http} and once for {@code https}. */
    public HttpComponent component() {
        HttpComponent component = new HttpComponent();
        component.setConnectTimeout(limits.connectMs());
        component.setResponseTimeout(limits.responseMs());
        component.setSoTimeout(limits.responseMs());
        component.setConnectionRequestTimeout(limits.connectionRequestMs());
        // Camel's error handler is the only retry owner; a 3xx is a failure, never followed to another host
        component.setAutomaticRetriesDisabled(true);
        component.setRedirectHandlingDisabled(true);
        component.setFollowRedirects(false);
        component.setHttpClientConfigurer(this);
        if (tls != null) {
            component.setSslContextParameters(tls);
        }
        return component;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addRequestInterceptorFirst((request, entity, context) -> {
            URI target;
            try {
                target = request.getUri();
            } catch (java.net.URISyntaxException e) {
                return; // not a 0Pools URL: no key
            }
            int targetPort = target.getPort() != -1 ? target.getPort() : "https".equals(target.getScheme()) ? 443 : 80;
            if (host.equalsIgnoreCase(target.getHost()) && port == targetPort) {
                boolean discovery = publishableKey != null && "GET".equals(request.getMethod())
                        && discoveryPath.equals(target.getPath());
                request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + (discovery ? publishableKey : secretKey));
            }
        });
        builder.addExecInterceptorLast("pools-response-limit", (request, scope, chain) -> {
            ClassicHttpResponse response = chain.proceed(request, scope);
            HttpEntity entity = response.getEntity();
            if (entity != null) {
                if (entity.getContentLength() > limits.maxResponseBytes()) {
                    response.close();
                    throw new ResponseTooLargeException(limits.maxResponseBytes());
                }
                response.setEntity(new BoundedEntity(entity, limits.maxResponseBytes()));
            }
            return response;
        });
    }

    @Override
    public String toString() {
        return "PoolsHttpClient[" + host + ":" + port + ", " + limits + "]";
    }

    /** A 0Pools response larger than the configured bound: a transient failure, never parsed. */
    public static final class ResponseTooLargeException extends IOException {
        public ResponseTooLargeException(long limit) {
            super("0Pools response larger than " + limit + " bytes");
        }
    }

    /** Stops reading a body without a Content-Length once it passes the bound. */
    private static final class BoundedEntity extends HttpEntityWrapper {
        private final long limit;

        BoundedEntity(HttpEntity entity, long limit) {
            super(entity);
            this.limit = limit;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new FilterInputStream(super.getContent()) {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    count(Math.max(n, 0));
                    return n;
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > limit) {
                        throw new ResponseTooLargeException(limit);
                    }
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }

        @Override
        public boolean isStreaming() {
            return true;
        }
    }
}
