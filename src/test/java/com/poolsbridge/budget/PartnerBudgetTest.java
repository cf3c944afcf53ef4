package com.poolsbridge.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.poolsbridge.pools.CallClass;
import com.poolsbridge.pools.PoolsRequest;
import com.poolsbridge.support.LogCapture;
import com.poolsbridge.support.TestInfrastructure;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partner budget against the embedded PostgreSQL, on a clock the test moves: tiers, class shares and
 * starvation, the quote's held transact, the server's headers and 429 pauses, and two budgets on two
 * independent connection pools (two replicas) that together never exceed a tier.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnerBudgetTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-06-01T10:00:00Z"));
    private HikariDataSource poolA;
    private HikariDataSource poolB;

    @BeforeAll
    void connect() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        poolA = infra.connect(8);
        poolB = infra.connect(8);
    }

    @AfterAll
    void close() {
        poolA.close();
        poolB.close();
    }

    @Test
    void everyTierBindsAndAPermitReturnsWhenItLeavesItsWindow() {
        PartnerBudget budget = budget(poolA, settings("short=3/10s,medium=5/60s", 0));
        assertThat(grants(budget, CallClass.ORDER, 3)).isEqualTo(3);
        Permit refused = budget.acquire(request(CallClass.ORDER), null, null);
        assertThat(refused.granted()).isFalse();

        clock.advance(Duration.ofMillis(10_499));
        assertThat(budget.acquire(request(CallClass.ORDER), null, null).granted()).as("window + margin not over").isFalse();
        clock.advance(Duration.ofMillis(2));
        // the short tier has room again, the medium tier (5 per 60 s) stops the sixth call
        assertThat(grants(budget, CallClass.ORDER, 3)).isEqualTo(2);
        clock.advance(Duration.ofSeconds(61));
        assertThat(grants(budget, CallClass.ORDER, 1)).isEqualTo(1);
    }

    @Test
    void aWideTierStandsInForItsCountWhileANarrowOneStillBinds() {
        // the short tier is far from its limit (no count needed), the medium one binds at its third permit
        PartnerBudget budget = budget(poolA, settings("short=100000/10s,medium=3/60s", 0));
        assertThat(grants(budget, CallClass.ORDER, 5)).isEqualTo(3);
        // the wide tier alone: every call granted
        BudgetSettings wideOnly = settings("short=100000/10s", 0);
        assertThat(grants(budget(poolA, wideOnly), CallClass.ORDER, 20)).isEqualTo(20);
        assertThat(new BudgetStore(poolA, wideOnly).live(clock.instant())).hasSize(20);
    }

    @Test
    void lowerClassesYieldTheirShareToOrdersAndAStarvedCallMayUseTheWholeTier() {
        PartnerBudget budget = budget(poolA, settings("short=10/10s", 0));
        // reconciliation may fill 60 %, later polls 80 %, orders all of it
        assertThat(grants(budget, CallClass.RECONCILIATION, 10)).isEqualTo(6);
        assertThat(grants(budget, CallClass.LATER_POLL, 10)).isEqualTo(2);
        assertThat(grants(budget, CallClass.ORDER, 10)).isEqualTo(2);

        // ten seconds later orders keep the tier busy: the walk waits, up to the starvation bound
        clock.advance(Duration.ofMillis(10_501));
        PoolsRequest walk = request(CallClass.RECONCILIATION);
        Permit waiting = null;
        for (int i = 0; i < 3; i++) {
            assertThat(grants(budget, CallClass.ORDER, 10)).isEqualTo(10);
            waiting = budget.acquire(walk, null, waiting);
            assertThat(waiting.granted()).isFalse();
            clock.advance(Duration.ofMillis(10_501));
        }
        try (LogCapture logs = LogCapture.attach()) {
            clock.advance(Duration.ofSeconds(30)); // 61.5 s waited in all
            assertThat(grants(budget, CallClass.ORDER, 9)).isEqualTo(9);
            Permit starved = budget.acquire(walk, null, waiting);
            assertThat(starved.granted()).as("a starved call may use the whole tier").isTrue();
            assertThat(starved.starved()).isTrue();
            assertThat(logs.all()).contains("RECONCILIATION call listTrades has waited");
        }
        assertThat(budget.stats().getStarved()).containsEntry("RECONCILIATION", 1L);
        assertThat(budget.stats().getLongestWaitMillis().get("RECONCILIATION")).isGreaterThanOrEqualTo(60_000L);
    }

    @Test
    void aQuoteIsGrantedOnlyWithItsTransactHeldAndTheTransactUsesIt() {
        PartnerBudget budget = budget(poolA, settings("short=3/10s", 0));
        Permit quote = budget.acquire(request(CallClass.ORDER_QUOTE), null, null);
        assertThat(quote.granted()).isTrue();
        assertThat(quote.held()).isNotNull();
        // one permit left: a second quote cannot hold its transact, so it is not quoted
        assertThat(budget.acquire(request(CallClass.ORDER_QUOTE), null, null).granted()).isFalse();
        assertThat(grants(budget, CallClass.ORDER, 1)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(5));
        Permit transact = budget.acquire(request(CallClass.ORDER), quote, null);
        assertThat(transact.granted()).as("the held permit, even with the tier full").isTrue();
        assertThat(transact.held()).isNull();
        assertThat(budget.acquire(request(CallClass.ORDER), quote, null).granted()).as("used once").isFalse();
    }

    @Test
    void aHeldPermitWaitsOutA429PauseLikeAnyOther() {
        PartnerBudget budget = budget(poolA, settings("short=10/10s", 0));
        Permit quote = budget.acquire(request(CallClass.ORDER_QUOTE), null, null);
        budget.observe(quote, 429, Map.of("Retry-After-short", "2"));

        assertThat(budget.acquire(request(CallClass.ORDER), quote, null).granted()).isFalse();
        clock.advance(Duration.ofMillis(2_001));
        Permit transact = budget.acquire(request(CallClass.ORDER), quote, null);
        assertThat(transact.granted()).isTrue();
        assertThat(transact.id()).as("the held permit itself").isEqualTo(quote.held().id());
    }

    @Test
    void anUnusedHoldLapsesWithTheQuote() {
        PartnerBudget budget = budget(poolA, settings("short=2/60s", 0));
        Permit quote = budget.acquire(request(CallClass.ORDER_QUOTE), null, null);
        assertThat(quote.granted()).isTrue();
        assertThat(budget.acquire(request(CallClass.ORDER), null, null).granted()).isFalse();
        clock.advance(Duration.ofMillis(15_001));
        Permit late = budget.acquire(request(CallClass.ORDER), quote, null);
        assertThat(late.granted()).as("the hold lapsed and freed its place").isTrue();
        assertThat(grants(budget, CallClass.ORDER, 1)).isZero();
    }

    @Test
    void aPermitWhoseCallLeavesLateCountsFromItsSend() {
        PartnerBudget budget = budget(poolA, settings("short=1/10s", 0));
        Permit granted = budget.acquire(request(CallClass.ORDER), null, null);
        assertThat(granted.granted()).isTrue();
        clock.advance(Duration.ofMillis(200));
        assertThat(budget.sending(granted)).as("sent within half the margin: counts as granted").isSameAs(granted);
        clock.advance(Duration.ofMillis(2_800));   // an order's lease renewal took 3 s
        assertThat(budget.sending(granted).sentAt()).isEqualTo(clock.instant());
        clock.advance(Duration.ofMillis(7_502));   // the grant's window (10 s + 500 ms margin) is over, the send's is not
        assertThat(budget.acquire(request(CallClass.ORDER), null, null).granted()).isFalse();
        clock.advance(Duration.ofMillis(3_000));
        assertThat(budget.acquire(request(CallClass.ORDER), null, null).granted()).isTrue();
    }

    @Test
    void theServersRemainingCountTightensTheLocalView() {
        PartnerBudget budget = budget(poolA, settings("short=10/10s", 0));
        Permit sent = budget.acquire(request(CallClass.ORDER), null, null);
        // someone else behind our egress IP spent most of the tier: the server says 2 left for 4 s
        budget.observe(sent, 200, Map.of("X-RateLimit-Remaining-short", "2", "X-RateLimit-Reset-short", "4"));
        clock.advance(Duration.ofMillis(1));
        assertThat(grants(budget, CallClass.ORDER, 5)).isEqualTo(2);
        Permit refused = budget.acquire(request(CallClass.ORDER), null, null);
        assertThat(refused.waitMillis()).isBetween(10L, 1000L);
        clock.advance(Duration.ofMillis(4_000));
        assertThat(grants(budget, CallClass.ORDER, 10)).as("server window over: the local tier again").isEqualTo(7);
    }

    @Test
    void aRateLimitPausesTheNamedTierForEveryClassAndTheVelocityCapPausesNothing() {
        BudgetSettings shared = settings("short=10/10s,medium=60/60s", 0);
        PartnerBudget budget = budget(poolA, shared);
        PartnerBudget otherReplica = budget(poolB, shared);
        Permit sent = budget.acquire(request(CallClass.ORDER), null, null);
        budget.observe(sent, 429, Map.of("Retry-After-medium", "3"));
        assertThat(budget.stats().getRateLimited()).containsEntry("medium", 1L);

        Permit refused = otherReplica.acquire(request(CallClass.ORDER), null, null);
        assertThat(refused.granted()).as("the pause is shared through the database").isFalse();
        clock.advance(Duration.ofMillis(2_999));
        assertThat(otherReplica.acquire(request(CallClass.ORDER), null, null).granted()).isFalse();
        clock.advance(Duration.ofMillis(2));
        assertThat(otherReplica.acquire(request(CallClass.ORDER), null, null).granted()).isTrue();

        Permit transact = budget.acquire(request(CallClass.ORDER), null, null);
        budget.observe(transact, 429, Map.of("X-RateLimit-Remaining-short", "7", "X-RateLimit-Reset-short", "9"));
        assertThat(budget.acquire(request(CallClass.ORDER), null, null).granted()).isTrue();
    }

    @Test
    void twoReplicasOnTwoConnectionPoolsTogetherNeverExceedATier() throws Exception {
        BudgetSettings shared = settings("short=10/10s,medium=25/60s", 0);
        PartnerBudget replicaA = budget(poolA, shared);
        PartnerBudget replicaB = budget(poolB, shared);
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            // time stands still: every thread asks 5 times, each replica believing it is alone
            assertThat(race(threads, replicaA, replicaB)).isEqualTo(10);
            clock.advance(Duration.ofMillis(10_501));
            assertThat(race(threads, replicaA, replicaB)).isEqualTo(10);
            clock.advance(Duration.ofMillis(10_501));
            assertThat(race(threads, replicaA, replicaB)).as("medium tier: 25 per 60 s").isEqualTo(5);
        } finally {
            threads.shutdownNow();
        }
        assertThat(new BudgetStore(poolA, shared).live(clock.instant())).hasSize(25);
    }

    private static long race(ExecutorService threads, PartnerBudget a, PartnerBudget b) throws Exception {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            PartnerBudget budget = t % 2 == 0 ? a : b;
            tasks.add(() -> grants(budget, CallClass.ORDER, 5));
        }
        long total = 0;
        for (Future<Integer> f : threads.invokeAll(tasks)) {
            total += f.get();
        }
        return total;
    }

    private static int grants(PartnerBudget budget, CallClass callClass, int attempts) {
        int granted = 0;
        for (int i = 0; i < attempts; i++) {
            if (budget.acquire(request(callClass), null, null).granted()) {
                granted++;
            }
        }
        return granted;
    }

    private static PoolsRequest request(CallClass callClass) {
        return PoolsRequest.get("listTrades", "/pools/trades", null).as(callClass);
    }

    private PartnerBudget budget(HikariDataSource pool, BudgetSettings settings) {
        BudgetStore store = new BudgetStore(pool, settings);
        store.ensureTiers();
        return new PartnerBudget(store, settings, new BudgetStats(), clock);
    }

    private static BudgetSettings settings(String tiers, long jitterMs) {
        return new BudgetSettings("test-" + UUID.randomUUID(), BudgetSettings.parseTiers(tiers),
                BudgetSettings.parseShares("first-poll=0.9,later-poll=0.8,returned-watch=0.7,reconciliation=0.6,capabilities-refresh=0.5"),
                60_000, 500, 15_000, 1_000, jitterMs);
    }

    /** A clock the test moves (budget decisions use the bridge's clock). */
    private static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
