package com.poolsbridge.settlement;

import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Input limits of the webhook endpoint that Camel's platform-http options do not cover (the body size limit is
 * {@code camel.server.max-body-size}: Vert.x answers 413 from the Content-Length, or as soon as a chunked body
 * passes it, without buffering more). Installed on the platform-http Vert.x router ahead of the webhook route:
 * <ul>
 *   <li>bounded concurrency: past {@code max-concurrent} deliveries in flight a new one is answered 503 before its
 *   body is read (0Pools retries any non-2xx), so memory and database connections stay bounded;</li>
 *   <li>read timeout: a delivery whose body has not fully arrived within {@code read-timeout-ms} is answered 408
 *   and its connection closed (a slow sender cannot hold a slot);</li>
 *   <li>every failure answered by Vert.x itself (413, a failed handler) is a short JSON error, never a stack trace
 *   or an internal message.</li>
 * </ul>
 */
public final class WebhookServerLimits implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServerLimits.class);

    private final int serverPort;
    private final String path;
    private final int maxConcurrent;
    private final long readTimeoutMs;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** @param serverPort the configured {@code camel.server.port}: Camel names the server's router after it */
    public WebhookServerLimits(int serverPort, String path, int maxConcurrent, long readTimeoutMs) {
        this.serverPort = serverPort;
        this.path = path;
        this.maxConcurrent = maxConcurrent;
        this.readTimeoutMs = readTimeoutMs;
    }

    /** The router exists once the embedded HTTP server has started, which is before the routes start. */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(serverPort));
        if (router == null) {
            throw new IllegalStateException("platform-http router not found: webhook limits cannot be installed");
        }
        Vertx vertx = router.vertx();
        // a lower order runs first: ahead of the body handler of the webhook route
        router.route(path).order(-1000).handler(ctx -> admit(vertx, ctx)).failureHandler(WebhookServerLimits::failure);
        LOG.info("webhook limits on {}: {} concurrent deliveries, {} ms to read a body", path, maxConcurrent, readTimeoutMs);
    }

    private void admit(Vertx vertx, RoutingContext ctx) {
        if (inFlight.incrementAndGet() > maxConcurrent) {
            inFlight.decrementAndGet();
            ctx.response().putHeader("Retry-After", "1");
            answer(ctx, 503, "busy", false);
            return;
        }
        long timer = vertx.setTimer(readTimeoutMs, id -> {
            if (!ctx.request().isEnded() && !ctx.response().ended()) {
                answer(ctx, 408, "request_timeout", true);
            }
        });
        ctx.addEndHandler(done -> {
            vertx.cancelTimer(timer);
            inFlight.decrementAndGet();
        });
        ctx.next();
    }

    /**
     * Vert.x's own failures (413 from the body limit, a handler that threw): status and a code, nothing else. After
     * a 413 the connection is closed: the rest of an oversized body is never read.
     */
    private static void failure(RoutingContext ctx) {
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        answer(ctx, status, status == 413 ? "body_too_large" : status < 500 ? "bad_request" : "internal_error",
                status == 413);
    }

    private static void answer(RoutingContext ctx, int status, String code, boolean close) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        if (close) {
            ctx.response().putHeader("Connection", "close");
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end("{\"error\":\"" + code + "\"}").onComplete(done -> {
                    if (close) {
                        ctx.request().connection().close();
                    }
                });
    }

    @Override
    public String toString() {
        return "WebhookServerLimits[" + path + ", maxConcurrent=" + maxConcurrent + ", readTimeoutMs=" + readTimeoutMs + "]";
    }
}
