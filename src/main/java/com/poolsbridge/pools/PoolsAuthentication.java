package com.poolsbridge.pools;

import java.net.URI;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHeaders;

/**
 * Adds {@code Authorization: Bearer sk_…} inside the HTTP client, only for the configured 0Pools host, so the
 * secret key never enters a Camel message, header, log line or endpoint URI.
 */
public class PoolsAuthentication implements HttpClientConfigurer {

    private final String host;
    private final int port;
    private final String secretKey;

    public PoolsAuthentication(String baseUrl, String secretKey) {
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.secretKey = secretKey;
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
            if (host.equalsIgnoreCase(target.getHost()) && (port == -1 || port == target.getPort())) {
                request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + secretKey);
            }
        });
    }

    @Override
    public String toString() {
        return "PoolsAuthentication[" + host + "]";
    }
}
