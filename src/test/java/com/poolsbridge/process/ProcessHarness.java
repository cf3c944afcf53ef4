package com.poolsbridge.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.poolsbridge.sandbox.PoolsSandbox;
import com.poolsbridge.support.BridgeHarness;
import com.poolsbridge.support.JmsClient;
import com.poolsbridge.support.TestInfrastructure;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The production shape on loopback, for fault scenarios and benchmarks: PostgreSQL (a child process on a fixed
 * port and data directory), Artemis as its own JVM with a persistent journal, the 0Pools sandbox in this JVM (so a
 * scenario reads its trades and journal and changes its faults directly), and pools-bridge as one or more separate
 * JVMs — the packaged jar given by {@code -Dbridge.jar=target/pools-bridge.jar}, otherwise {@code PoolsBridge} from
 * the test classpath — configured only by environment variables. In a fault scenario the app reaches the broker,
 * the database and 0Pools through {@link TcpProxy}s (the faults' instrument); a benchmark connects it to them
 * directly, as in production, since each relayed round trip costs two thread hand-offs in this JVM, and its pauses.
 * This JVM (sender, collector, checker) always talks to them directly.
 */
public final class ProcessHarness implements AutoCloseable {

    /** Broker address settings: the README's recommendation, or what {@code artemis create} gives. */
    public enum BrokerProfile { RECOMMENDED, DEFAULTS }

    /** How the app reaches its peers: through the proxies (faults can be injected), or directly. */
    public enum Links { RELAYED, DIRECT }

    public static final String SECRET_KEY = TestInfrastructure.SECRET_KEY;
    private static final String DB_PASSWORD = TestInfrastructure.DB_PASSWORD;

    private final Path workDir;
    private final BrokerProfile profile;
    private final Links links;
    private final int brokerPort;
    private final DatabaseServer database;
    private final PoolsSandbox sandbox;
    private final TcpProxy brokerProxy;
    private final TcpProxy poolsProxy;
    private final TcpProxy dbProxy;
    private final List<JavaProcess> apps = new ArrayList<>();
    private final Collector collector;
    private JavaProcess broker;
    private int appCount;

    private ProcessHarness(BrokerProfile profile, Links links) throws Exception {
        this.profile = profile;
        this.links = links;
        workDir = Files.createTempDirectory("pools-bridge-faults");
        database = DatabaseServer.start(workDir.resolve("pgdata"), freePort());
        brokerPort = freePort();
        startBroker();
        sandbox = PoolsSandbox.start(BridgeHarness.sandboxConfig(), 0);
        brokerProxy = new TcpProxy("broker", brokerPort);
        poolsProxy = new TcpProxy("0pools", sandbox.port());
        dbProxy = new TcpProxy("db", database.port());
        collector = new Collector("tcp://127.0.0.1:" + brokerPort);
    }

    public static ProcessHarness start(BrokerProfile profile) throws Exception {
        return start(profile, Links.RELAYED);
    }

    public static ProcessHarness start(BrokerProfile profile, Links links) throws Exception {
        return new ProcessHarness(profile, links);
    }

    /** The packaged jar when {@code bridge.jar} is set (the -Pfaults build), else null (test classpath). */
    public static Path bridgeJar() {
        String jar = System.getProperty("bridge.jar");
        return jar == null || jar.isBlank() ? null : Path.of(jar).toAbsolutePath();
    }

    // --- the app -------------------------------------------------------------------------------------------

    /** Starts one more pools-bridge process and waits until it reports ready; extraEnv overrides any setting. */
    public JavaProcess startApp(Map<String, String> extraEnv) throws Exception {
        return startApp(extraEnv, JavaProcess.DEFAULT_JVM_ARGS);
    }

    /** As {@link #startApp(Map)}, with the app JVM's options (benchmarks: the production options). */
    public JavaProcess startApp(Map<String, String> extraEnv, List<String> jvmArgs) throws Exception {
        int management = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("POOLS_BASE_URL", "http://127.0.0.1:" + appPoolsPort() + "/v1");
        env.put("POOLS_SECRET_KEY", SECRET_KEY);
        env.put("POOLS_WEBHOOK_SECRET", TestInfrastructure.WEBHOOK_SECRET);
        env.put("BROKER_URL", "tcp://127.0.0.1:" + appBrokerPort());
        env.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + appDatabasePort() + "/postgres");
        env.put("DB_USER", database.user());
        env.put("DB_PASSWORD", DB_PASSWORD);
        env.put("HTTP_PORT", Integer.toString(freePort()));
        env.put("MANAGEMENT_PORT", Integer.toString(management));
        // settlement within the scenario's minutes (production: first cycle after 30 s, 1 poll/s)
        env.put("SETTLEMENT_START_DELAY_SECONDS", "1");
        env.put("SETTLEMENT_MAX_POLLS_PER_SECOND", "20");
        // the sandbox's rate limits are off here: a partner budget wide enough not to pace the scenarios
        env.put("POOLS_BUDGET_TIERS", "short=100000/10s");
        env.putAll(extraEnv);
        String name = "app-" + (++appCount);
        JavaProcess app = JavaProcess.start(name, bridgeJar(), "com.poolsbridge.PoolsBridge", jvmArgs, List.of(), env,
                workDir.resolve(name + ".log"));
        apps.add(app);
        app.awaitReady(management);
        return app;
    }

    public JavaProcess startApp() throws Exception {
        return startApp(Map.of());
    }

    public List<JavaProcess> apps() {
        return List.copyOf(apps);
    }

    // --- the broker ----------------------------------------------------------------------------------------

    /** Starts (or restarts) the broker process on the same port and journal. */
    public void startBroker() throws Exception {
        broker = JavaProcess.start("broker", null, BrokerMain.class.getName(),
                List.of(workDir.resolve("broker").toString(), Integer.toString(brokerPort),
                        profile.name().toLowerCase()), Map.of(), workDir.resolve("broker.log"));
        await("broker up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!broker.isAlive()) {
                throw new IllegalStateException("broker exited; see " + broker.log());
            }
            return !isClosed(brokerPort);
        });
    }

    public JavaProcess broker() {
        return broker;
    }

    public BrokerProfile profile() {
        return profile;
    }

    /** Direct URL (no proxy) without client reconnection options, for further {@link Collector}s. */
    public String brokerAddress() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    /** Direct URL (no proxy) with client reconnection, for the sender and the collector. */
    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort + "?reconnectAttempts=-1&retryInterval=250&maxRetryInterval=1000";
    }

    // --- the others ----------------------------------------------------------------------------------------

    public DatabaseServer database() {
        return database;
    }

    public PoolsSandbox sandbox() {
        return sandbox;
    }

    /** The ports the app connects to (the bare reference of the benchmark too): the proxies', or the peers' own. */
    public int appBrokerPort() {
        return appPort(brokerProxy, brokerPort);
    }

    public int appDatabasePort() {
        return appPort(dbProxy, database.port());
    }

    public int appPoolsPort() {
        return appPort(poolsProxy, sandbox.port());
    }

    private int appPort(TcpProxy proxy, int peerPort) {
        return links == Links.DIRECT ? peerPort : proxy.port();
    }

    public TcpProxy brokerProxy() {
        return brokerProxy;
    }

    public TcpProxy poolsProxy() {
        return poolsProxy;
    }

    public TcpProxy dbProxy() {
        return dbProxy;
    }

    public Collector collector() {
        return collector;
    }

    public Path workDir() {
        return workDir;
    }

    // --- driving and judging -------------------------------------------------------------------------------

    /** Sends the orders as core banking does (persistent, straight to the broker). */
    public void send(List<String> orderBodies) throws Exception {
        try (JmsClient jms = new JmsClient(brokerUrl())) {
            for (String body : orderBodies) {
                jms.sendText("pools.orders", body);
            }
        }
    }

    /** The database password (the same for every connection: app, checker, benchmark). */
    public String databasePassword() {
        return DB_PASSWORD;
    }

    /** One number from the bridge's database, read directly (e.g. {@code count(*) FROM order_record WHERE …}). */
    public long queryLong(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(database.port()), database.user(), DB_PASSWORD);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    public int replies() {
        return collector.count(Collector.RESULTS);
    }

    /**
     * Waits until every order has an outcome (a reply or a dead letter anywhere) and the queues have been quiet for
     * a few seconds, or the deadline passes; the checker judges whatever is there then.
     */
    public void awaitOutcomes(List<String> orderIds, Duration deadline) {
        try {
            await("outcomes").atMost(deadline).pollInterval(Duration.ofMillis(500))
                    .until(() -> Checker.unaccounted(orderIds, collector) == 0);
        } catch (ConditionTimeoutException e) {
            // the checker reports the orders without an outcome as lost
        }
        // then until the queues have been quiet for 5 s and every trade has had time to send its settlement
        int[] last = {collector.all().size()};
        long[] since = {System.nanoTime()};
        try {
            await("quiet").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                int now = collector.all().size();
                if (now != last[0]) {
                    last[0] = now;
                    since[0] = System.nanoTime();
                }
                return System.nanoTime() - since[0] > Duration.ofSeconds(5).toNanos()
                        && collector.count(Collector.SETTLEMENTS) >= sandbox.tradeCount();
            });
        } catch (ConditionTimeoutException e) {
            // still busy after a minute: judge now
        }
    }

    public Checker.Verdict check(List<String> orderIds) throws Exception {
        return Checker.judge(orderIds, collector, sandbox, SECRET_KEY);
    }

    @Override
    public void close() throws Exception {
        for (JavaProcess app : apps) {
            app.kill9();
        }
        if (broker != null) {
            broker.kill9();
        }
        collector.close();
        Stream.of(brokerProxy, poolsProxy, dbProxy).forEach(TcpProxy::close);
        sandbox.close();
        database.close();
        if (!Boolean.getBoolean("faults.keep")) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** True while nothing listens on the loopback port (a stopped broker or database). */
    public static boolean isClosed(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
