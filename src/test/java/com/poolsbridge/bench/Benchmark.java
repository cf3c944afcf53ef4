package com.poolsbridge.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import com.poolsbridge.process.BrokerMain;
import com.poolsbridge.process.Collector;
import com.poolsbridge.process.JavaProcess;
import com.poolsbridge.process.PartnerCallAudit;
import com.poolsbridge.process.ProcessHarness;
import com.poolsbridge.process.ProcessHarness.BrokerProfile;
import com.poolsbridge.process.ProcessHarness.Links;
import com.poolsbridge.sandbox.JournalOperations;
import com.poolsbridge.sandbox.RecordedRequest;
import com.poolsbridge.sandbox.SandboxConfig;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.Orders;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import static com.poolsbridge.bench.BenchReport.f;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8 §3: every performance figure of the bridge from one command, {@code mvn -B -ntp -Pbenchmark verify}
 * (packages the jar, then runs this class against {@code target/pools-bridge.jar} as a separate process; see README
 * "Benchmark"). Figures and their goals are printed and written to {@code target/benchmark.txt}; nothing is asserted
 * about speed — a phase that fails prints its error in place of its figures and the others still run.
 *
 * <ul>
 * <li>P6 + P1 + P2 + P5 on one {@link ProcessHarness}: a first start on an empty database and queues (P6), a backlog
 * through the bare Camel reference and then through the app (P1), offered load at 20 and 50 orders/s (P2), the
 * app's peak RSS over all of that (P6), and a poll cycle's database time on a database of its own (P5);</li>
 * <li>P3 on a fresh harness: a day of orders with every time setting of the watch compressed;</li>
 * <li>P4 on a fresh harness: the sandbox's documented throttle tiers on, a backlog of 100, a measured window.</li>
 * <li>P4-all, only on request ({@code -Dbench.phases=P4-all}, over an hour): the same backlog under the same tiers
 * drained to its end by two app processes sharing one budget, every order accepted and settled.</li>
 * </ul>
 */
class Benchmark {

    private static final int BACKLOG = Integer.getInteger("bench.backlog", 2000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 300);
    private static final int P1_ROUNDS = Integer.getInteger("bench.p1.rounds", 2);
    private static final List<Integer> P2_RATES = Arrays.stream(System.getProperty("bench.p2.rates", "20,50").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    private static final int P2_SECONDS = Integer.getInteger("bench.p2.seconds", 30);
    /** 1,440 a day = 60 an hour, the worked example of README "Partner calls per settled order". */
    private static final int P3_ORDERS_PER_DAY = Integer.getInteger("bench.p3.orders", 1440);
    private static final int P3_COMPRESSION = Integer.getInteger("bench.p3.compression", 1440);
    private static final int P4_BACKLOG = Integer.getInteger("bench.p4.backlog", 100);
    private static final int P4_SECONDS = Integer.getInteger("bench.p4.seconds", 180);
    private static final int P4_ALL_REPLICAS = Integer.getInteger("bench.p4all.replicas", 2);
    private static final Duration P4_ALL_DEADLINE = Duration.ofMinutes(Long.getLong("bench.p4all.minutes", 150));
    /** Phases to run: every figure by default; P4-all (over an hour) only when named. */
    private static final Set<String> PHASES = Set.of(System.getProperty("bench.phases", "P1,P2,P3,P4,P5,P6").split(","));
    private static final int P5_OPEN = Integer.getInteger("bench.p5.open", 10_000);
    private static final int P5_LARGE = Integer.getInteger("bench.p5.large", 100_000);
    private static final int P5_CYCLES = Integer.getInteger("bench.p5.cycles", 50);
    /** The container's JVM: 1 GiB limit, heap 75 % of it, C1 only (k8s/base, README "Container image"). */
    private static final List<String> APP_JVM = List.of(System.getProperty("bench.app.jvm",
            "-XX:MaxRAM=1g -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1").trim().split("\\s+"));
    /** The contract minimum per settled order: a firm quote, its transact, and the sandbox's pollsToTerminal (2). */
    private static final int POLLS_THE_SERVER_NEEDS = 2;
    private static final int CONTRACT_MINIMUM = 2 + POLLS_THE_SERVER_NEEDS;

    private static final Random RANDOM = new Random(Long.getLong("bench.seed", 8L));
    private final BenchReport report = new BenchReport();

    @Test
    void allFigures() throws Exception {
        report.header(f("BENCHMARK pools-bridge  %s  app=%s  cores=%d  app JVM: %s",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), ProcessHarness.bridgeJar() == null ? "test classpath"
                        : Path.of("").toAbsolutePath().relativize(ProcessHarness.bridgeJar()),
                Runtime.getRuntime().availableProcessors(), String.join(" ", APP_JVM)));
        report.header("load average at the start: " + loadAverage());
        boolean throughput = PHASES.contains("P1") || PHASES.contains("P2") || PHASES.contains("P6");
        if (throughput || PHASES.contains("P5")) {
            onHarness("P6/P1/P2/P5", h -> {
                if (throughput) {
                    phase("P6/P1/P2", () -> startThroughputLatency(h));
                }
                if (PHASES.contains("P5")) {
                    phase("P5", () -> pollCycle(h));
                }
            });
        }
        if (PHASES.contains("P3")) {
            onHarness("P3", h -> phase("P3", () -> partnerCallsPerOrder(h)));
        }
        if (PHASES.contains("P4")) {
            onHarness("P4", h -> phase("P4", () -> documentedTiers(h)));
        }
        if (PHASES.contains("P4-all")) {
            onHarness("P4-all", h -> phase("P4-all", () -> documentedTiersToTheEnd(h)));
        }
        report.detail("load average at the end (other work on the machine): " + loadAverage());
        report.write(Path.of("target", "benchmark.txt"));
    }

    interface Phase {
        void run() throws Exception;
    }

    interface OnHarness {
        void run(ProcessHarness h) throws Exception;
    }

    /** A fresh harness for some phases; a harness that cannot start or stop cleanly is reported, not fatal. */
    private void onHarness(String phases, OnHarness body) {
        // the app connects to its peers directly, as in production (the proxies are the fault suite's instrument)
        try (ProcessHarness h = ProcessHarness.start(BrokerProfile.RECOMMENDED, Links.DIRECT)) {
            body.run(h);
        } catch (Throwable e) {
            report.row(phases, "harness failed", e.getClass().getSimpleName() + ": " + e.getMessage(), "—", null);
            e.printStackTrace(System.out);
        }
    }

    private void phase(String name, Phase phase) {
        Instant start = Instant.now();
        try {
            phase.run();
        } catch (Throwable e) {
            report.row(name, "phase failed", e.getClass().getSimpleName() + ": " + e.getMessage(), "—", null);
            e.printStackTrace(System.out);
        }
        report.detail(f("(%s took %d s)", name, Duration.between(start, Instant.now()).toSeconds()));
    }

    // --- P6, P1, P2 ------------------------------------------------------------------------------------------

    private void startThroughputLatency(ProcessHarness h) throws Exception {
        // production pace of the settlement poller (the harness default of 20/s is for the fault scenarios)
        Map<String, String> env = Map.of("SETTLEMENT_MAX_POLLS_PER_SECOND", "1");

        // P6: a first start (Flyway creates the schema) on empty queues, to the first 200 of /observe/health/ready
        String coldQuiet = awaitQuietMachine();
        JavaProcess app = h.startApp(env, APP_JVM);
        Duration coldReady = app.startToReady();

        // P1: the app and the bare reference (both started and warmed up; the one not measured idles) each drain the
        // backlog, in rounds taking turns, so load from elsewhere on the machine falls on both alike
        Collector bareReplies = new Collector(h.brokerAddress(), List.of(BareCamelReference.RESULTS));
        BareCamelReference ref = new BareCamelReference("tcp://127.0.0.1:" + h.appBrokerPort(),
                "jdbc:postgresql://127.0.0.1:" + h.appDatabasePort() + "/postgres", h.database().user(),
                h.databasePassword(), "http://127.0.0.1:" + h.appPoolsPort() + "/v1",
                ProcessHarness.SECRET_KEY, 4);
        double[] drained = new double[4];   // app orders, app seconds, bare orders, bare seconds
        CpuTimes[] cpu = {CpuTimes.NONE, CpuTimes.NONE};   // used while the app [0] and the bare reference [1] drained
        try {
            ref.start();
            throughWarm(h, "pools.orders", () -> replies(h, id -> true).size(), "p1w");
            throughWarm(h, BareCamelReference.ORDERS, () -> bareReplies.count(BareCamelReference.RESULTS), "barew");
            StringBuilder rounds = new StringBuilder();
            for (int round = 1; round <= P1_ROUNDS; round++) {
                double[][] side = new double[2][];
                // A B B A …: neither side always goes first
                for (int s : round % 2 == 1 ? new int[] {0, 1} : new int[] {1, 0}) {
                    CpuTimes before = CpuTimes.of(app.pid(), h.broker().pid());
                    side[s] = s == 0
                            ? drainRound(h, "pools.orders", "p1", BACKLOG, () -> h.collector().on(Collector.RESULTS))
                            : drainRound(h, BareCamelReference.ORDERS, "bare", BACKLOG,
                                    () -> bareReplies.on(BareCamelReference.RESULTS));
                    cpu[s] = cpu[s].plus(CpuTimes.of(app.pid(), h.broker().pid()).since(before));
                }
                double[] app1 = side[0];
                double[] bare1 = side[1];
                drained[0] += app1[0];
                drained[1] += app1[1];
                drained[2] += bare1[0];
                drained[3] += bare1[1];
                rounds.append(f(" %d: app %.1f/s, bare %.1f/s;", round, app1[0] / app1[1], bare1[0] / bare1[1]));
            }
            report.detail(f("P1: %d rounds, each a backlog of %d for each side, taking turns (A B B A):%s app %.0f "
                    + "orders answered in %.1f s, bare %.0f in %.1f s (first quote to last reply, summed over rounds); "
                    + "app DLQ %d", P1_ROUNDS, BACKLOG, rounds, drained[0], drained[1], drained[2], drained[3],
                    h.collector().count(Collector.DLQ)));
            // where the CPU went, per answered order: a drain on 2 busy cores is bounded by the whole machine's figure,
            // so bare / app of it is the ratio P1 would show on a quiet machine (steadier than orders/s here)
            report.detail("P1: CPU per answered order while the app drained: " + cpu[0].perOrder(drained[0]));
            report.detail("P1: CPU per answered order while the bare reference drained (it runs in the benchmark JVM): "
                    + cpu[1].perOrder(drained[2]));
            report.detail(f("P1: whole-machine CPU per order, bare / app = %.2f",
                    (cpu[1].machine() / drained[2]) / (cpu[0].machine() / drained[0])));
        } finally {
            ref.close();
            bareReplies.close();
        }
        double bridge = drained[0] / drained[1];
        double bare = drained[2] / drained[3];

        // P2: offered load, open loop (a sender on a fixed schedule, whatever the replies do)
        for (int rate : P2_RATES) {
            offeredLoad(h, rate);
        }

        // P6: the app's peak resident set over the cold start, P1 and P2
        long hwmKiB = app.procStatusKiB("VmHWM");
        double hwmMiB = hwmKiB / 1024.0;
        report.detail(f("P6: app JVM options %s; VmRSS at the end %d MiB", String.join(" ", APP_JVM),
                app.procStatusKiB("VmRSS") / 1024));
        app.stop(Duration.ofSeconds(60));

        // P6: a restart, as on a rollout: the schema is in place, P1/P2's trades are still being polled
        String restartQuiet = awaitQuietMachine();
        JavaProcess restarted = h.startApp(env, APP_JVM);
        Duration restartReady = restarted.startToReady();
        restarted.stop(Duration.ofSeconds(60));
        report.detail("P6: before the first start " + coldQuiet + "; before the restart " + restartQuiet);

        report.row("P1", f("throughput, backlog of %d (x%d rounds)", BACKLOG, P1_ROUNDS), f("%.1f orders/s (bare Camel %.1f/s) = %.2f x bare",
                bridge, bare, bridge / bare), ">= 0.70 x bare", bridge / bare >= 0.7);
        report.row("P6", "start-to-ready, first start (empty database and queues)", f("%.1f s", coldReady.toMillis() / 1000.0), "<= 5 s",
                coldReady.toMillis() <= 5000);
        report.row("P6", "start-to-ready, restart (schema in place)", f("%.1f s", restartReady.toMillis() / 1000.0),
                "<= 5 s", restartReady.toMillis() <= 5000);
        report.row("P6", "peak RSS (VmHWM) after P1+P2", f("%.0f MiB", hwmMiB), "<= 512 MiB", hwmMiB <= 512);
    }

    /** Warm-up (JIT, pools, caches): {@code bench.warmup} orders through the consumer, awaited, not measured. */
    private static void throughWarm(ProcessHarness h, String queue, Count replies, String prefix) throws Exception {
        int before = replies.get();
        send(h, queue, ids(prefix, WARMUP));
        awaitCount(replies, before + WARMUP, Duration.ofMinutes(5));
    }

    interface Replies {
        List<Collector.Received> get();
    }

    /**
     * One round: {@code n} orders sent at once to {@code queue}, awaited; returns {orders answered, seconds from the
     * first createQuote after the send began to the last reply}.
     */
    private static double[] drainRound(ProcessHarness h, String queue, String prefix, int n, Replies replies)
            throws Exception {
        List<String> ids = ids(prefix, n);
        Set<String> idSet = new HashSet<>(ids);
        Instant mark = Instant.now();
        send(h, queue, ids);
        awaitCount(() -> (int) replies.get().stream().map(Collector.Received::correlationId).filter(idSet::contains)
                .distinct().count(), n, Duration.ofMinutes(10));
        Instant first = h.sandbox().journal().stream()
                .filter(r -> !r.receivedAt().isBefore(mark) && "createQuote".equals(JournalOperations.operation(r)))
                .map(RecordedRequest::receivedAt).min(Instant::compareTo).orElseThrow();
        List<Collector.Received> answered = replies.get().stream().filter(r -> idSet.contains(r.correlationId())).toList();
        Instant last = answered.stream().map(Collector.Received::receivedAt).max(Instant::compareTo).orElseThrow();
        long orders = answered.stream().map(Collector.Received::correlationId).distinct().count();
        return new double[] {orders, Duration.between(first, last).toNanos() / 1e9};
    }

    private void offeredLoad(ProcessHarness h, int rate) throws Exception {
        int total = rate * P2_SECONDS;
        Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        Instant start = Instant.now();
        try (JmsClient jms = new JmsClient(h.brokerUrl())) {
            sender.scheduleAtFixedRate(() -> {
                if (sent.get() >= total) {
                    return;
                }
                String id = Orders.newId("p2-" + rate);
                try {
                    sentAt.put(id, Instant.now());
                    jms.sendText("pools.orders", Orders.onRamp(id, "EUR-USDT", amount()));
                    sent.incrementAndGet();
                } catch (Exception e) {
                    sentAt.remove(id);
                    throw new IllegalStateException(e);
                }
            }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
            awaitCount(sent::get, total, Duration.ofSeconds(P2_SECONDS * 3L));
        } finally {
            sender.shutdownNow();
        }
        double offered = total / (Duration.between(start, Instant.now()).toNanos() / 1e9);
        awaitCount(() -> replies(h, sentAt::containsKey).size(), total, Duration.ofMinutes(3));
        List<Collector.Received> replies = replies(h, sentAt::containsKey);
        double[] ms = millisSorted(replies, r -> Duration.between(sentAt.get(r.correlationId()), r.receivedAt()));
        double p99 = pct(ms, 99);
        report.row("P2", f("order->reply latency at %d/s", rate), f("p50 %.0f ms, p95 %.0f ms, p99 %.0f ms",
                pct(ms, 50), pct(ms, 95), p99), rate == 50 ? "p99 <= 50 ms" : "— (p99 <= 50 ms at 50/s)",
                rate == 50 ? p99 <= 50 : null);
        report.detail(f("P2 %d/s: offered %.1f/s for %d s, %d orders, %d replies, max %.0f ms", rate, offered,
                P2_SECONDS, total, ms.length, ms.length == 0 ? 0 : ms[ms.length - 1]));
        // where the time went: the order's transact reached the sandbox (its Idempotency-Key pool-tx:<orderId>:…)
        Map<String, Instant> transactAt = new HashMap<>();
        for (RecordedRequest r : h.sandbox().journal()) {
            String key = r.header("Idempotency-Key");
            if (key != null && key.startsWith("pool-tx:")) {
                transactAt.putIfAbsent(key.split(":")[1], r.receivedAt());
            }
        }
        List<Collector.Received> traded = replies.stream().filter(r -> transactAt.containsKey(r.correlationId())).toList();
        double[] toTransact = millisSorted(traded, r -> Duration.between(sentAt.get(r.correlationId()),
                transactAt.get(r.correlationId())));
        double[] transactToReply = millisSorted(traded, r -> Duration.between(transactAt.get(r.correlationId()),
                r.receivedAt()));
        report.detail(f("P2 %d/s: order sent -> its transact at the sandbox p50 %.0f, p95 %.0f, p99 %.0f ms; "
                + "transact -> reply p50 %.0f, p95 %.0f, p99 %.0f ms", rate, pct(toTransact, 50), pct(toTransact, 95),
                pct(toTransact, 99), pct(transactToReply, 50), pct(transactToReply, 95), pct(transactToReply, 99)));
    }

    // --- P5 ------------------------------------------------------------------------------------------------

    private void pollCycle(ProcessHarness h) throws Exception {
        String server = "jdbc:postgresql://127.0.0.1:" + h.database().port();
        try (PollCycleBench smallDb = new PollCycleBench(server, h.database().user(), h.databasePassword(), "bench_p5_small");
             PollCycleBench largeDb = new PollCycleBench(server, h.database().user(), h.databasePassword(), "bench_p5_large")) {
            smallDb.plantUpTo(P5_OPEN);
            largeDb.plantUpTo(P5_LARGE);
            PollCycleBench.Result[] results = PollCycleBench.compare(smallDb, largeDb, 5, P5_CYCLES);
            PollCycleBench.Result small = results[0];
            PollCycleBench.Result large = results[1];
            double ratio = large.median() / small.median();
            report.row("P5", f("poll cycle DB time, %d due", PollCycleBench.DUE), f("%,d open: %.1f ms; %,d open: %.1f ms (x%.2f)",
                    small.open(), small.median(), large.open(), large.median(), ratio), "flat (x <= 1.25)", ratio <= 1.25);
            report.row("P5", "  of which the 5 queries that find work", f("%.2f ms; %.2f ms (x%.2f)", small.queriesMedian(),
                    large.queriesMedian(), large.queriesMedian() / small.queriesMedian()), "flat (x <= 1.25)",
                    large.queriesMedian() / small.queriesMedian() <= 1.25);
            report.detail(f("P5: medians of %d cycles each after 5 warm-up, the two sizes on two databases taking turns; cycle p90 %.1f / %.1f ms; "
                            + "trades polled per cycle %d / %d (each: apply 'reserved' + reschedule)", P5_CYCLES,
                    small.p90(), large.p90(), small.polled(), large.polled()));
        }
    }

    // --- P3 ------------------------------------------------------------------------------------------------

    /**
     * A day's orders arriving evenly, with the time settings of the watch, the returned read, reconciliation and
     * the capabilities cache divided by the compression factor (1440: a day in 60 s, the 72 h watch in 3 min), so
     * the periodic calls keep their real count per day. The partner's own pace (first poll, backoff) and the quote
     * life stay real; the sandbox settles a trade on its 2nd poll, so they do not change the count.
     */
    private void partnerCallsPerOrder(ProcessHarness h) throws Exception {
        long k = P3_COMPRESSION;
        // the packaged defaults (config/application.properties), compressed
        long watch = 259_200_000L / k;
        long returnedRead = 900_000L / k;
        long walkInterval = 1_800_000L / k;
        long capabilities = 3_600_000L / k;
        Map<String, String> env = new TreeMap<>(Map.of(
                // the poller's own pace keeps up with the compressed day (a trade still needs its 2 polls)
                "SETTLEMENT_MAX_POLLS_PER_SECOND", "100",
                "SETTLEMENT_BATCH_SIZE", "200",
                "SETTLEMENT_RETURNED_WATCH_MS", Long.toString(watch),
                "SETTLEMENT_RETURNED_READ_INTERVAL_MS", Long.toString(returnedRead),
                "RECONCILIATION_INTERVAL_MS", Long.toString(walkInterval),
                "RECONCILIATION_INITIAL_DELAY_MS", Long.toString(60_000L / k),
                "RECONCILIATION_RECHECK_WINDOW_MS", Long.toString(3_600_000L / k),
                "RECONCILIATION_RETURNED_WINDOW_MS", Long.toString(watch),
                "RECONCILIATION_MAX_CALLS_PER_SECOND", Long.toString(k),
                "POOLS_CAPABILITIES_TTL_MS", Long.toString(capabilities)));
        JavaProcess app = h.startApp(env, APP_JVM);
        h.sandbox().clearJournal();
        Duration day = Duration.ofMillis(86_400_000L / k);
        List<String> ids = ids("p3", P3_ORDERS_PER_DAY);
        Set<String> idSet = new HashSet<>(ids);
        Instant t0 = Instant.now();
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try (JmsClient jms = new JmsClient(h.brokerUrl())) {
            sender.scheduleAtFixedRate(() -> {
                int i = sent.get();
                if (i < ids.size()) {
                    try {
                        jms.sendText("pools.orders", Orders.onRamp(ids.get(i), "EUR-USDT", amount()));
                        sent.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, 0, day.toNanos() / ids.size(), TimeUnit.NANOSECONDS);
            awaitCount(sent::get, ids.size(), day.multipliedBy(3));
        } finally {
            sender.shutdownNow();
        }
        // the simulated day ends; then every order's settlement (or the deadline)
        awaitInstant(t0.plus(day));
        awaitCount(() -> settled(h, idSet).size(), ids.size(), Duration.ofMinutes(3));
        Instant end = Instant.now();
        Instant dayEnd = t0.plus(day);
        Set<String> settled = settled(h, idSet);
        // calls made for orders count until the last settlement; the periodic reads (returned watch,
        // reconciliation) count for the simulated day only: their number per day is what a day's orders share
        Map<String, Long> byOp = new TreeMap<>();
        long calls = 0;
        for (RecordedRequest r : h.sandbox().journal()) {
            String op = JournalOperations.operation(r);
            boolean periodic = op.equals("listTrades") || op.equals("listLedger");
            if (r.receivedAt().isBefore(t0) || r.receivedAt().isAfter(periodic ? dayEnd : end)) {
                continue;
            }
            if (op.equals("listTrades")) {
                op = r.pathAndQuery().contains("status=returned") ? "listTrades(returned read)" : "listTrades(reconciliation)";
            }
            byOp.merge(op, 1L, Long::sum);
            calls++;
        }
        long reconciliation = byOp.getOrDefault("listTrades(reconciliation)", 0L) + byOp.getOrDefault("listLedger", 0L);
        double n = Math.max(1, settled.size());
        double all = calls / n;
        double orderPath = (calls - reconciliation) / n;
        if (settled.size() < ids.size() * 0.9) {
            throw new IllegalStateException(f("only %d of %d orders settled by the deadline: no figure (see the app's log)",
                    settled.size(), ids.size()));
        }
        report.row("P3", "partner calls per settled order, all", f("%.2f = %.2f x minimum %d", all, all / CONTRACT_MINIMUM,
                CONTRACT_MINIMUM), "<= 1.05 x minimum", all / CONTRACT_MINIMUM <= 1.05);
        report.row("P3", "  without the reconciliation walk", f("%.2f = %.2f x minimum %d", orderPath,
                orderPath / CONTRACT_MINIMUM, CONTRACT_MINIMUM), "<= 1.05 x minimum", orderPath / CONTRACT_MINIMUM <= 1.05);
        StringBuilder ops = new StringBuilder();
        byOp.forEach((op, count) -> ops.append(f(" %s %d (%.2f/order);", op, count, count / n)));
        report.detail(f("P3: %d orders over a simulated day (x%d: %d s real, watch %d ms, returned read every %d ms, "
                        + "reconciliation every %d ms, capabilities cached %d ms), %d settled (last %d s after the "
                        + "first order), %d calls:%s", ids.size(), k, day.toSeconds(), watch, returnedRead,
                walkInterval, capabilities, settled.size(), Duration.between(t0, end).toSeconds(), calls, ops));
        report.detail(f("P3: contract minimum = createQuote 1 + transact 1 + getTransactionByQuote %d (sandbox pollsToTerminal)",
                POLLS_THE_SERVER_NEEDS));
        app.stop(Duration.ofSeconds(60));
    }

    private static Set<String> settled(ProcessHarness h, Set<String> ids) {
        Set<String> out = new HashSet<>();
        for (Collector.Received r : h.collector().on(Collector.SETTLEMENTS)) {
            if (ids.contains(r.correlationId()) && r.body().contains("\"settled\"")) {
                out.add(r.correlationId());
            }
        }
        return out;
    }

    // --- P4 ------------------------------------------------------------------------------------------------

    /**
     * The documented tiers on both sides (sandbox enforcing, the app's budget at its default), a backlog of 100:
     * calls, 429s and outcomes over a window of whole short and medium windows. The long tier (300/h) is not
     * reached within the window; the full backlog (>= 400 calls) would need more than an hour because of it.
     */
    private void documentedTiers(ProcessHarness h) throws Exception {
        SandboxConfig.RateLimits tiers = SandboxConfig.RateLimits.documented(true);
        JavaProcess app = h.startApp(Map.of(
                "POOLS_BUDGET_TIERS", PartnerCallAudit.budgetTiers(tiers),
                "SETTLEMENT_MAX_POLLS_PER_SECOND", "1"), APP_JVM);
        h.sandbox().setRateLimits(tiers);   // enforcement on, every window starts afresh
        h.sandbox().clearJournal();
        List<String> ids = ids("p4", P4_BACKLOG);
        Set<String> idSet = new HashSet<>(ids);
        send(h, "pools.orders", ids);
        await("first call under the tiers").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> h.sandbox().journal().stream().anyMatch(r -> r.pathAndQuery().startsWith("/v1/")));
        Instant w0 = h.sandbox().journal().stream().filter(r -> r.pathAndQuery().startsWith("/v1/")).findFirst()
                .orElseThrow().receivedAt();
        Instant w1 = w0.plusSeconds(P4_SECONDS);
        awaitInstant(w1.plusSeconds(1));
        List<RecordedRequest> calls = h.sandbox().journal().stream()
                .filter(r -> r.receivedAt().isBefore(w1) && r.pathAndQuery().startsWith("/v1/")).toList();
        long refused = calls.stream().filter(r -> r.status() == 429).count();
        long allowed = Math.min(Math.min(allowed(tiers.shortTier()), allowed(tiers.medium())), allowed(tiers.longTier()));
        double used = 100.0 * calls.size() / allowed;
        long accepted = replies(h, idSet::contains).stream().filter(r -> r.receivedAt().isBefore(w1)
                && r.body().contains("\"accepted\"")).count();
        long answered = replies(h, idSet::contains).stream().filter(r -> r.receivedAt().isBefore(w1)).count();
        long settled = h.collector().on(Collector.SETTLEMENTS).stream().filter(r -> idSet.contains(r.correlationId())
                && r.receivedAt().isBefore(w1) && r.body().contains("\"settled\"")).count();
        List<Collector.Received> dead = h.collector().all().stream().filter(r -> r.queue().equals(Collector.DLQ)
                || r.queue().equals(BrokerMain.BROKER_DLQ)).toList();
        long throttled = dead.stream().filter(r -> String.valueOf(r.property("PoolsDeadLetterCode")).contains("rate")
                || r.body().contains("rate_limited")).count();
        report.row("P4", f("429s, backlog %d, %d s under the tiers", P4_BACKLOG, P4_SECONDS), Long.toString(refused),
                "0", refused == 0);
        report.row("P4", "budget used while work waits", f("%.0f %% (%d of %d calls allowed)", used, calls.size(), allowed),
                ">= 90 %", used >= 90);
        report.row("P4", "orders accepted / settled in the window", f("%d / %d (of %d; %d answered)", accepted, settled,
                P4_BACKLOG, answered), "—", null);
        report.row("P4", "dead-lettered for throttling", f("%d (dead letters in all: %d)", throttled, dead.size()), "0",
                throttled == 0);
        Map<String, Long> byOp = new TreeMap<>();
        calls.forEach(r -> byOp.merge(JournalOperations.operation(r), 1L, Long::sum));
        report.detail(f("P4: tiers short %d/%ds, medium %d/%ds, long %d/%ds; window %s + %d s; calls by operation %s; "
                        + "orders still waiting at the end %d", tiers.shortTier().limit(), tiers.shortTier().windowSeconds(),
                tiers.medium().limit(), tiers.medium().windowSeconds(), tiers.longTier().limit(),
                tiers.longTier().windowSeconds(), w0.truncatedTo(ChronoUnit.SECONDS), P4_SECONDS, byOp,
                P4_BACKLOG - answered));
        app.stop(Duration.ofSeconds(60));
    }

    /**
     * The done-when of issue 8: a backlog of 100 under the documented tiers (sandbox enforcing, each app's budget at
     * the same tiers) drained to its end by {@code bench.p4all.replicas} app processes behind the sandbox's one
     * client IP. The long tier (300/h) cannot carry the ~400 calls in an hour, so the orders wait for budget longer
     * than the default maximum age of 15 min: the run sets orders.max-age-ms to its own deadline, as a bank whose
     * orders may wait that long would.
     */
    private void documentedTiersToTheEnd(ProcessHarness h) throws Exception {
        SandboxConfig.RateLimits tiers = SandboxConfig.RateLimits.documented(true);
        h.sandbox().setRateLimits(tiers);
        h.sandbox().clearJournal();
        Instant from = Instant.now();
        Map<String, String> env = Map.of("POOLS_BUDGET_TIERS", PartnerCallAudit.budgetTiers(tiers),
                "SETTLEMENT_MAX_POLLS_PER_SECOND", "1", "ORDERS_MAX_AGE_MS", Long.toString(P4_ALL_DEADLINE.toMillis()));
        List<JavaProcess> apps = new ArrayList<>();
        for (int i = 0; i < P4_ALL_REPLICAS; i++) {
            apps.add(h.startApp(env, APP_JVM));
        }
        List<String> ids = ids("p4all", P4_BACKLOG);
        Set<String> idSet = new HashSet<>(ids);
        send(h, "pools.orders", ids);
        Instant[] lastPrint = {Instant.now()};
        awaitCount(() -> {
            int settled = settled(h, idSet).size();
            if (Duration.between(lastPrint[0], Instant.now()).toMinutes() >= 5) {
                lastPrint[0] = Instant.now();
                System.out.println(f("BENCH   P4-all after %d min: %d answered, %d settled, %d calls, %d x 429",
                        Duration.between(from, Instant.now()).toMinutes(), replies(h, idSet::contains).size(), settled,
                        PartnerCallAudit.since(h, from).calls().size(), PartnerCallAudit.since(h, from).refused()));
            }
            return settled;
        }, ids.size(), P4_ALL_DEADLINE);
        Duration took = Duration.between(from, Instant.now());
        PartnerCallAudit audit = PartnerCallAudit.since(h, from);
        List<Long> byReplica = new ArrayList<>();
        for (JavaProcess app : apps) {
            byReplica.add(PartnerCallAudit.sentBy(app));
        }
        long accepted = replies(h, idSet::contains).stream().filter(r -> r.body().contains("\"accepted\"")).count();
        int settled = settled(h, idSet).size();
        long dead = h.collector().all().stream().filter(r -> r.queue().equals(Collector.DLQ)
                || r.queue().equals(BrokerMain.BROKER_DLQ)).count();
        report.row("P4-all", f("backlog of %d, %d replicas, documented tiers, to the end", P4_BACKLOG, apps.size()),
                f("%d accepted, %d settled in %.1f min", accepted, settled, took.toSeconds() / 60.0),
                "all accepted and settled", accepted == P4_BACKLOG && settled == P4_BACKLOG);
        report.row("P4-all", "429s", Long.toString(audit.refused()), "0", audit.refused() == 0);
        report.row("P4-all", "busiest 10 s / 60 s / 1 h (sliding, at the partner)", f("%d / %d / %d",
                audit.busiest(tiers.shortTier()), audit.busiest(tiers.medium()), audit.busiest(tiers.longTier())),
                f("<= %d / %d / %d", tiers.shortTier().limit(), tiers.medium().limit(), tiers.longTier().limit()),
                audit.busiest(tiers.shortTier()) <= tiers.shortTier().limit()
                        && audit.busiest(tiers.medium()) <= tiers.medium().limit()
                        && audit.busiest(tiers.longTier()) <= tiers.longTier().limit());
        long sum = byReplica.stream().mapToLong(Long::longValue).sum();
        report.row("P4-all", "calls by replica (own metrics) vs calls the partner saw", f("%s = %d; partner %d",
                byReplica, sum, audit.calls().size()), "equal, every replica > 0",
                sum == audit.calls().size() && byReplica.stream().allMatch(n -> n > 0));
        report.row("P4-all", "dead letters", Long.toString(dead), "0", dead == 0);
        report.detail(f("P4-all: orders.max-age-ms %d; calls by operation %s", P4_ALL_DEADLINE.toMillis(),
                audit.byOperation()));
        for (JavaProcess app : apps) {
            app.stop(Duration.ofSeconds(60));
        }
    }

    /** Calls a tier allows in the window from its start (fixed windows, each started window full). */
    private static long allowed(SandboxConfig.Tier tier) {
        return (long) tier.limit() * (long) Math.ceil((double) P4_SECONDS / tier.windowSeconds());
    }

    // --- plumbing ------------------------------------------------------------------------------------------

    private static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Orders.newId(prefix));
        }
        return ids;
    }

    /** 20.00-99.99 EUR, clear of the sandbox's scenario cents (.13 .14 .15 .66 .67): every trade settles. */
    private static String amount() {
        return (20 + RANDOM.nextInt(80)) + "." + List.of("00", "10", "25", "50", "99").get(RANDOM.nextInt(5));
    }

    private static void send(ProcessHarness h, String queue, List<String> ids) throws Exception {
        try (JmsClient jms = new JmsClient(h.brokerUrl())) {
            for (String id : ids) {
                jms.sendText(queue, Orders.onRamp(id, "EUR-USDT", amount()));
            }
        }
    }

    private static double[] millisSorted(List<Collector.Received> replies,
                                         Function<Collector.Received, Duration> span) {
        return replies.stream().mapToDouble(r -> span.apply(r).toNanos() / 1e6).sorted().toArray();
    }

    private static List<Collector.Received> replies(ProcessHarness h, Predicate<String> orderId) {
        return h.collector().on(Collector.RESULTS).stream().filter(r -> orderId.test(r.correlationId())).toList();
    }

    interface Count {
        int get() throws Exception;
    }

    /** Waits for a count to reach {@code target}; at the deadline the figures are taken as they are. */
    private static void awaitCount(Count count, int target, Duration deadline) {
        try {
            await().atMost(deadline).pollInterval(Duration.ofMillis(100)).until(() -> count.get() >= target);
        } catch (ConditionTimeoutException e) {
            System.out.println("BENCH   (deadline " + deadline + " passed short of " + target + ")");
        }
    }

    /**
     * Waits (up to 30 s) until the machine is quiet, as it is when a pod starts beside a broker and a database that
     * have long been running: less than a quarter of one core busy over half a second. Just after the harness
     * starts them (or the app stops), their own start-up, JIT and clean-up would otherwise be timed as the app's.
     * Returns how long that took and how busy the machine was.
     */
    private static String awaitQuietMachine() throws Exception {
        Instant start = Instant.now();
        double[] last = {CpuTimes.machineSeconds(), System.nanoTime(), 0};   // busy seconds, at, cores busy since
        try {
            await().pollDelay(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        double busy = CpuTimes.machineSeconds();
                        long at = System.nanoTime();
                        last[2] = (busy - last[0]) / ((at - last[1]) / 1e9);
                        last[0] = busy;
                        last[1] = at;
                        return last[2] < 0.25;
                    });
            return f("the machine was quiet after %.1f s (%.0f %% of one core busy)",
                    Duration.between(start, Instant.now()).toMillis() / 1000.0, last[2] * 100);
        } catch (ConditionTimeoutException e) {
            return f("the machine was still busy after 30 s (%.0f %% of one core)", last[2] * 100);
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    /** Nearest-rank percentile of sorted values. */
    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** Waits for the end of a measurement window (a time, not a state: the clock is what is polled). */
    private static void awaitInstant(Instant when) {
        Duration left = Duration.between(Instant.now(), when);
        await("the window ends at " + when).atMost(left.isNegative() ? Duration.ofSeconds(1) : left.plusSeconds(5))
                .pollInterval(Duration.ofMillis(100)).until(() -> !Instant.now().isBefore(when));
    }
}
