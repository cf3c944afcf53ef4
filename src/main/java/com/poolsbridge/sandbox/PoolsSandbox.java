package com.poolsbridge.sandbox;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Local simulator of the 0Pools Partner API (/v1) over http or https, with fault injection, run-time controls
 * (partners, pay-ins, pool availability, rate limits) and a request journal.
 */
public final class PoolsSandbox implements AutoCloseable {
    private final HttpServer server;
    private final SandboxTls tls;
    private final ExecutorService executor;
    private final Faults faults = new Faults();
    private final ApiHandler.Journal journal = new ApiHandler.Journal();
    private final Map<String, Partner> partners = new LinkedHashMap<>();
    private final Store store;
    private final PoolAvailability pools;
    private final RateLimiter rateLimiter;
    private final WebhookDispatcher webhooks;
    private final Clock clock;

    private PoolsSandbox(SandboxConfig config, int port, Clock clock, SandboxTls tls) throws IOException {
        this.clock = clock;
        this.tls = tls;
        for (SandboxConfig.PartnerConfig pc : config.partners()) {
            partners.put(pc.id(), new Partner(pc));
        }
        config.faults().forEach(faults::apply);
        SandboxConfig.Settings s = config.settings();
        store = new Store(partners, clock.instant());
        pools = new PoolAvailability(config);
        rateLimiter = new RateLimiter(s.rateLimits(), clock);
        webhooks = new WebhookDispatcher(s.webhooks(), clock);
        Auth auth = new Auth(config, partners);
        AccountOperations account = new AccountOperations(config, auth, pools);
        QuoteOperations quotes = new QuoteOperations(config, auth, store, pools, clock);
        TradeOperations trades = new TradeOperations(config, auth, store,
                new IdempotencyStore(Duration.ofHours(s.idempotencyRetentionHours())), faults, webhooks, clock);
        ListOperations lists = new ListOperations(s, store);
        ApiHandler.Operations ops = call -> {
            trades.applyDueReturns();   // downstream returns become visible to whatever reads next
            return switch (call.op()) {
                case LIST_POOLS -> account.listPools(call);
                case GET_CAPABILITIES -> account.capabilities(call);
                case GET_BALANCE -> account.balance(call);
                case GET_FUNDING -> account.funding(call);
                case CREATE_QUOTE -> quotes.create(call);
                case GET_QUOTE -> quotes.get(call);
                case REJECT_QUOTE -> quotes.reject(call);
                case TRANSACT -> trades.transact(call);
                case GET_TRANSACTION_BY_QUOTE -> trades.poll(call);
                case GET_TRADE -> trades.get(call);
                case LIST_TRADES -> lists.trades(call);
                case LIST_LEDGER -> lists.ledger(call);
            };
        };
        // without nodelay every response waits ~40 ms for Nagle + delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        InetSocketAddress address = new InetSocketAddress(config.bindHost(), port);
        if (tls == null) {
            server = HttpServer.create(address, 128);
        } else {
            HttpsServer https = HttpsServer.create(address, 128);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
            server = https;
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "sandbox-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", new ApiHandler(auth, rateLimiter, faults, journal, ops, clock,
                new AdminHandler(this), s.requestIdFormat()));
        server.start();
    }

    /** Plain http on loopback. */
    public static PoolsSandbox start(SandboxConfig config, int port) {
        return start(config, port, Clock.systemUTC());
    }

    /** Plain http, with an injected clock, so tests can expire quotes or idempotency keys without waiting. */
    public static PoolsSandbox start(SandboxConfig config, int port, Clock clock) {
        return start(config, port, clock, null);
    }

    /** https with the JVM's self-signed sandbox certificate ({@link SandboxTls#selfSigned()}). */
    public static PoolsSandbox startTls(SandboxConfig config, int port) {
        return start(config, port, Clock.systemUTC(), SandboxTls.selfSigned());
    }

    /** https when {@code tls} is given (self-signed or {@link SandboxTls#fromPkcs12}), plain http when null. */
    public static PoolsSandbox start(SandboxConfig config, int port, Clock clock, SandboxTls tls) {
        try {
            return new PoolsSandbox(config, port, clock, tls);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start 0Pools sandbox on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/v1} or {@code https://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return (tls == null ? "http" : "https") + "://" + server.getAddress().getAddress().getHostAddress() + ":"
                + port() + "/v1";
    }

    /** The TLS material (trust store for clients), or null when serving plain http. */
    public SandboxTls tls() {
        return tls;
    }

    public Faults faults() {
        return faults;
    }

    public List<RecordedRequest> journal() {
        return journal.snapshot();
    }

    public void clearJournal() {
        journal.clear();
    }

    public long tradeCount() {
        return store.tradeCount();
    }

    public void setPartnerWebhookUrl(String partnerId, String url) {
        updatePartner(partnerId, p -> p.webhookUrl(url));
    }

    public void updatePartner(String partnerId, Consumer<Partner> change) {
        Partner p = partner(partnerId);
        synchronized (store) {   // balance edits must not interleave with a debit
            change.accept(p);
        }
    }

    /** A pay-in credited at run time: raises the balance and writes the {@code payin_credit} ledger row. */
    public void payIn(String partnerId, BigDecimal amount) {
        if (amount == null || amount.signum() <= 0) {
            throw new IllegalArgumentException("a pay-in amount must be positive");
        }
        Partner p = partner(partnerId);
        synchronized (store) {
            store.post(p, amount, "payin_credit", p.fundingReference(), clock.instant());
        }
    }

    /**
     * Takes a pool's pricing offline (quotes answer 200 {@code available:false} with {@code reason}, default
     * {@code rate_unavailable}; discovery and balance show it unavailable) or brings it back.
     */
    public void setPoolAvailable(String poolId, boolean available, String reason) {
        pools.set(poolId, available, reason);
    }

    /** Replaces the throttle tiers and enforcement at run time (every window starts afresh). */
    public void setRateLimits(SandboxConfig.RateLimits limits) {
        rateLimiter.reconfigure(limits);
    }

    public SandboxConfig.RateLimits rateLimits() {
        return rateLimiter.config();
    }

    private Partner partner(String partnerId) {
        Partner p = partners.get(partnerId);
        if (p == null) {
            throw new IllegalArgumentException("unknown partner " + partnerId);
        }
        return p;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        webhooks.close();
    }
}
