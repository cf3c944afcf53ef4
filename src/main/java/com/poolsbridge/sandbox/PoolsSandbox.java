package com.poolsbridge.sandbox;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/** Local HTTP simulator of the 0Pools Partner API (/v1), with fault injection and a request journal. */
public final class PoolsSandbox implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Faults faults = new Faults();
    private final ApiHandler.Journal journal = new ApiHandler.Journal();
    private final Map<String, Partner> partners = new LinkedHashMap<>();
    private final Store store;
    private final WebhookDispatcher webhooks;

    private PoolsSandbox(SandboxConfig config, int port, Clock clock) throws IOException {
        for (SandboxConfig.PartnerConfig pc : config.partners()) {
            partners.put(pc.id(), new Partner(pc));
        }
        config.faults().forEach(faults::apply);
        SandboxConfig.Settings s = config.settings();
        store = new Store(partners, clock.instant());
        webhooks = new WebhookDispatcher(s.webhooks(), clock);
        Auth auth = new Auth(config, partners);
        AccountOperations account = new AccountOperations(config, auth);
        QuoteOperations quotes = new QuoteOperations(config, auth, store, clock);
        TradeOperations trades = new TradeOperations(config, auth, store,
                new IdempotencyStore(Duration.ofHours(s.idempotencyRetentionHours())), faults, webhooks, clock);
        ListOperations lists = new ListOperations(store);
        ApiHandler.Operations ops = call -> switch (call.op()) {
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
        // without nodelay every response waits ~40 ms for Nagle + delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(config.bindHost(), port), 128);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "sandbox-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", new ApiHandler(auth, new RateLimiter(s.rateLimits(), clock), faults, journal, ops,
                clock, new AdminHandler(faults, journal, partners)));
        server.start();
    }

    public static PoolsSandbox start(SandboxConfig config, int port) {
        return start(config, port, Clock.systemUTC());
    }

    /** Starts with an injected clock, so tests can expire quotes or idempotency keys without waiting. */
    public static PoolsSandbox start(SandboxConfig config, int port, Clock clock) {
        try {
            return new PoolsSandbox(config, port, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start 0Pools sandbox on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + "/v1";
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
        Partner p = partners.get(partnerId);
        if (p == null) {
            throw new IllegalArgumentException("unknown partner " + partnerId);
        }
        synchronized (store) {   // balance edits must not interleave with a debit
            change.accept(p);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        webhooks.close();
    }
}
