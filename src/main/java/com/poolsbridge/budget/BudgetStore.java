package com.poolsbridge.budget;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.poolsbridge.budget.BudgetSettings.Tier;
import com.poolsbridge.infra.Jdbc;
import com.poolsbridge.pools.CallClass;

/**
 * The partner budget's tables (V6__partner_budget.sql): one short transaction, and one round trip, per attempt
 * at a permit. It locks the budget's tier rows, and one statement counts per tier the permits in its window (in
 * the database), decides, and writes the permit when every tier allows it (a new one, and the one held for a
 * quote's transact; or the held one, sent); a refusal writes nothing and says when to ask again. A held permit
 * is usually used in one statement without the lock ({@link #sendHeld}). Permits out of every window are deleted
 * once every {@value #CLEANUP_EVERY} grants.
 */
public class BudgetStore {

    /** A permit row still counting: sent at {@code sentAt}, or held (sentAt null) until {@code heldUntil}. */
    record Live(long id, Instant sentAt, Instant heldUntil) {
    }

    /** What one attempt got: granted (permit id, held id) or the time worth asking again. */
    public record Grant(boolean granted, long permitId, Instant sentAt, Long heldId, Instant heldUntil,
                        Instant retryAt) {
        static Grant refused(Instant retryAt) {
            return new Grant(false, 0, null, null, null, retryAt);
        }
    }

    private static final int CLEANUP_EVERY = 64;
    private static final String LOCK_TIERS = "SELECT tier FROM partner_budget_tier WHERE budget = ? ORDER BY tier FOR UPDATE";

    private final DataSource dataSource;
    private final BudgetSettings settings;

    public BudgetStore(DataSource dataSource, BudgetSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /** Creates the tier rows of this budget (idempotent; every replica does it at start). */
    public void ensureTiers() {
        for (Tier tier : settings.tiers()) {
            Jdbc.update(dataSource, "INSERT INTO partner_budget_tier (budget, tier) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    settings.name(), tier.name());
        }
    }

    /**
     * One attempt at a permit for a call of {@code callClass} at {@code now}. {@code heldId} is the permit a quote
     * held for this call, used first while it lasts; {@code share} is the part of each tier the call may fill.
     */
    public Grant take(Instant now, CallClass callClass, double share, Long heldId) {
        if (heldId != null && sendHeld(now, heldId)) {
            return new Grant(true, heldId, now, null, null, null);
        }
        int needed = 1 + callClass.heldFollowUps();
        List<Object> params = new ArrayList<>(List.of(settings.name()));
        StringBuilder windows = new StringBuilder();
        for (Tier tier : settings.tiers()) {
            windows.append(windows.length() == 0 ? "" : ", ").append("(?, ?::bigint, ?::integer)");
            params.addAll(List.of(tier.name(), tier.windowMs() + settings.marginMs(), allowed(tier, share) - needed));
        }
        Timestamp at = Timestamp.from(now);
        Instant since = now.minusMillis(settings.longestWindowMs() + settings.marginMs());
        Instant heldUntil = now.plusMillis(settings.holdMs());
        long held = heldId == null ? -1L : heldId;
        params.addAll(List.of(held, settings.name(), at, at, at, Timestamp.from(since), settings.name(),
                at, at, needed, at, settings.tiers().size(), at, held,
                settings.name(), callClass.name(), at, Timestamp.from(heldUntil), callClass.heldFollowUps() > 0));
        // After the tier rows' lock (its own statement first, so this one sees what the lock's last holder
        // committed), one statement counts, decides and writes, and the round trip's transaction commits it:
        // - per tier, the permits in its window (in the database: one row per tier; the held permits count once
        //   for every tier), from the (budget, sent_at) index range of the window. A tier far from its limit is
        //   not counted: the table holds at most max(id) - min(id) + 1 permits (two ends of the primary key), and
        //   while that leaves room for this call it stands in for the count, so a wide budget's grant does not
        //   grow with it;
        // - per tier, when it allows this call again, or null when it allows it now: a 429 pause and the server's
        //   remaining count bind every call (a held one too, which needs no room of its own); the sliding window,
        //   scaled by the class's share, binds a new permit only;
        // - when every tier allows it: the held permit is sent, or a new one inserted (with the one held for its
        //   transact, for a quote). The count does not see rows this statement writes.
        String sql = "WITH w (tier, window_ms, room) AS (VALUES " + windows + "), "
                + """
                held AS (SELECT count(*) AS n, min(held_until) AS first_lapse, COALESCE(bool_or(id = ?::bigint), false) AS ours
                         FROM partner_budget_permit WHERE budget = ? AND sent_at IS NULL AND held_until > ?),
                bound AS (SELECT COALESCE(max(id) - min(id) + 1, 0) AS n FROM partner_budget_permit),
                tiers AS (
                    SELECT t.paused_until, t.server_remaining, t.server_reset_at, held.ours, w.room,
                           CASE WHEN bound.n <= w.room THEN bound.n ELSE held.n + (SELECT count(*) FROM partner_budget_permit p
                               WHERE p.budget = t.budget AND p.sent_at > ?::timestamptz - w.window_ms * INTERVAL '1 millisecond') END AS in_window,
                           CASE WHEN bound.n <= w.room THEN NULL ELSE LEAST((SELECT min(p.sent_at) FROM partner_budget_permit p
                               WHERE p.budget = t.budget AND p.sent_at > ?::timestamptz - w.window_ms * INTERVAL '1 millisecond')
                               + w.window_ms * INTERVAL '1 millisecond', held.first_lapse) END AS first_freed,
                           held.n + CASE WHEN t.server_seen_at IS NULL THEN 0 ELSE (SELECT count(*) FROM partner_budget_permit p
                               WHERE p.budget = t.budget AND p.sent_at > GREATEST(t.server_seen_at, ?::timestamptz)) END AS sent_since_view
                    FROM partner_budget_tier t JOIN w ON w.tier = t.tier CROSS JOIN held CROSS JOIN bound
                    WHERE t.budget = ?),
                verdicts AS (
                    SELECT ours, GREATEST(
                        CASE WHEN paused_until > ?::timestamptz THEN paused_until END,
                        CASE WHEN server_remaining IS NOT NULL AND server_reset_at > ?::timestamptz
                                  AND sent_since_view + CASE WHEN ours THEN 0 ELSE ?::integer END > server_remaining
                             THEN server_reset_at END,
                        CASE WHEN NOT ours AND in_window > room THEN COALESCE(first_freed, ?::timestamptz) END) AS retry_at
                    FROM tiers),
                verdict AS (SELECT max(retry_at) AS retry_at, count(*) AS tiers, COALESCE(bool_or(ours), false) AS use_held,
                                   count(*) = ?::integer AND bool_and(retry_at IS NULL) AS ok
                            FROM verdicts),
                sent AS (UPDATE partner_budget_permit SET sent_at = ?, held_until = NULL
                         WHERE id = ?::bigint AND (SELECT ok AND use_held FROM verdict) RETURNING id),
                fresh AS (INSERT INTO partner_budget_permit (budget, call_class, sent_at, held_until)
                          SELECT ?, ?, v.sent_at, v.held_until
                          FROM (VALUES (?::timestamptz, NULL::timestamptz), (NULL, ?::timestamptz)) v (sent_at, held_until)
                          WHERE (SELECT ok AND NOT use_held FROM verdict) AND (v.sent_at IS NOT NULL OR ?::boolean)
                          RETURNING id, sent_at IS NULL AS holds)
                SELECT verdict.retry_at, verdict.tiers, (SELECT id FROM sent),
                       (SELECT id FROM fresh WHERE NOT holds), (SELECT id FROM fresh WHERE holds)
                FROM verdict""";
        Outcome outcome = Jdbc.queryAfterLock(dataSource, LOCK_TIERS, sql, rs -> new Outcome(instant(rs.getTimestamp(1)),
                rs.getInt(2), (Long) rs.getObject(3), (Long) rs.getObject(4), (Long) rs.getObject(5)), params.toArray()).get(0);
        if (outcome.tiers() != settings.tiers().size()) {
            throw new IllegalStateException("partner budget: " + outcome.tiers() + " tier rows of " + settings.tiers().size());
        }
        if (outcome.sentHeldId() != null) {
            return new Grant(true, outcome.sentHeldId(), now, null, null, null);
        }
        if (outcome.permitId() == null) {
            return Grant.refused(outcome.retryAt() == null ? now : outcome.retryAt());
        }
        if (outcome.permitId() % CLEANUP_EVERY == 0) {
            Jdbc.update(dataSource, "DELETE FROM partner_budget_permit WHERE budget = ? AND (sent_at <= ? OR (sent_at IS NULL AND held_until <= ?))",
                    settings.name(), Timestamp.from(since), at);
        }
        return new Grant(true, outcome.permitId(), now, outcome.heldId(), outcome.heldId() == null ? null : heldUntil, null);
    }

    /** What one statement of {@link #take} decided: the permit sent or inserted (and held), or when to ask again. */
    private record Outcome(Instant retryAt, int tiers, Long sentHeldId, Long permitId, Long heldId) {
    }

    /**
     * The common case of a held permit (a quote's transact), in one statement without the tier lock: its place is
     * counted already, as held or as sent, so a grant running beside it counts it once either way and only a 429
     * pause or the server's remaining count could stop it. While either is in force, the locked path decides.
     */
    private boolean sendHeld(Instant now, long heldId) {
        Timestamp at = Timestamp.from(now);
        return Jdbc.update(dataSource, """
                UPDATE partner_budget_permit SET sent_at = ?, held_until = NULL
                WHERE id = ? AND budget = ? AND sent_at IS NULL AND held_until > ?
                  AND NOT EXISTS (SELECT 1 FROM partner_budget_tier WHERE budget = ?
                                  AND (paused_until > ? OR (server_remaining IS NOT NULL AND server_reset_at > ?)))""",
                at, heldId, settings.name(), at, settings.name(), at, at) == 1;
    }

    /** The call of permit {@code id} went out at {@code sentAt}, later than its grant. */
    public void sentAt(long id, Instant sentAt) {
        Jdbc.update(dataSource, "UPDATE partner_budget_permit SET sent_at = ? WHERE id = ? AND sent_at < ?",
                Timestamp.from(sentAt), id, Timestamp.from(sentAt));
    }

    /** A 429 named this tier: nobody (no class, no replica) sends before {@code until}. */
    public void pause(String tier, Instant until) {
        Jdbc.update(dataSource, """
                UPDATE partner_budget_tier SET paused_until = GREATEST(COALESCE(paused_until, ?), ?)
                WHERE budget = ? AND tier = ?""", Timestamp.from(until), Timestamp.from(until), settings.name(), tier);
    }

    /** The server's remaining count of one tier, as answered to the call sent at {@code sentAt}. */
    public record ServerView(String tier, int remaining, Instant resetAt) {
    }

    /** The server's remaining counts, as answered to the call sent at {@code sentAt}, in one statement; newest wins. */
    public void serverView(Instant sentAt, List<ServerView> views) {
        if (views.isEmpty()) {
            return;
        }
        List<Object> args = new ArrayList<>();
        StringBuilder values = new StringBuilder();
        for (ServerView v : views) {
            values.append(values.length() == 0 ? "" : ", ").append("(?, ?::integer, ?::timestamptz)");
            args.addAll(List.of(v.tier(), v.remaining(), Timestamp.from(v.resetAt())));
        }
        args.addAll(List.of(Timestamp.from(sentAt), settings.name(), Timestamp.from(sentAt)));
        Jdbc.update(dataSource, "WITH v (tier, remaining, reset_at) AS (VALUES " + values + ") "
                + "UPDATE partner_budget_tier t SET server_remaining = v.remaining, server_seen_at = ?, "
                + "server_reset_at = v.reset_at FROM v "
                + "WHERE t.budget = ? AND t.tier = v.tier AND (t.server_seen_at IS NULL OR t.server_seen_at <= ?)",
                args.toArray());
    }

    /** The permits a class with {@code share} of the tier may have in its window. */
    private static int allowed(Tier tier, double share) {
        return share >= 1.0 ? tier.limit() : Math.max(1, (int) Math.floor(tier.limit() * share));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** For tests and operators: the permits currently counting (sent inside the longest window, or held). */
    public List<Live> live(Instant now) {
        Instant since = now.minusMillis(settings.longestWindowMs() + settings.marginMs());
        return new ArrayList<>(Jdbc.query(dataSource, """
                SELECT id, sent_at, held_until FROM partner_budget_permit
                WHERE budget = ? AND (sent_at > ? OR (sent_at IS NULL AND held_until > ?)) ORDER BY id""",
                rs -> new Live(rs.getLong(1), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3))),
                settings.name(), Timestamp.from(since), Timestamp.from(now)));
    }
}
