package com.poolsbridge.budget;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.poolsbridge.budget.BudgetSettings.Tier;
import com.poolsbridge.infra.Jdbc;
import com.poolsbridge.pools.CallClass;

/**
 * The partner budget's tables (V6__partner_budget.sql): one short transaction per permit. It locks the budget's
 * tier rows and counts per tier the permits in its window (in the database: one row per tier comes back) in one
 * round trip, with the insert of a new permit (and the held one of a quote) after the count; it decides in
 * {@link #decide} and commits a grant or rolls a refusal back: two round trips per new permit. A held permit is
 * usually used in one statement without the lock ({@link #sendHeld}). Permits out of every window are deleted
 * once every {@value #CLEANUP_EVERY} grants.
 */
public class BudgetStore {

    /** A permit row still counting: sent at {@code sentAt}, or held (sentAt null) until {@code heldUntil}. */
    record Live(long id, Instant sentAt, Instant heldUntil) {
    }

    /**
     * A tier row (its 429 pause and the server's last word on it) with the permits counting against it: how many
     * are in its window, when the first of them leaves it, and how many were sent since the server's last word.
     */
    record TierState(String tier, Instant pausedUntil, Integer serverRemaining, Instant serverSeenAt,
                     Instant serverResetAt, int inWindow, Instant firstFreed, int sentSinceServerView) {
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
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Grant grant = take(c, now, callClass, share, heldId);
                // a refusal undoes the permit rows inserted beside the count
                if (grant.granted()) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return grant;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("partner budget: permit transaction failed", e);
        }
    }

    private Grant take(Connection c, Instant now, CallClass callClass, double share, Long heldId) throws SQLException {
        int needed = 1 + callClass.heldFollowUps();
        List<Object> params = new ArrayList<>(List.of(settings.name()));
        StringBuilder windows = new StringBuilder();
        for (Tier tier : settings.tiers()) {
            windows.append(windows.length() == 0 ? "" : ", ").append("(?, ?::bigint, ?::integer)");
            params.addAll(List.of(tier.name(), tier.windowMs() + settings.marginMs(), allowed(tier, share) - needed));
        }
        Timestamp at = Timestamp.from(now);
        Instant since = now.minusMillis(settings.longestWindowMs() + settings.marginMs());
        params.addAll(List.of(heldId == null ? -1L : heldId, settings.name(), at, at, at, Timestamp.from(since), settings.name()));
        // the tier rows' lock, then one row per tier counted in the database (the permits of a long window never
        // cross the wire), in one round trip. Counts and minimums come from the (budget, sent_at) index range of
        // each window; the held permits are counted once for every tier. A tier far from its limit is not counted:
        // the table holds at most max(id) - min(id) + 1 permits (two ends of the primary key), and while that
        // leaves room for this call, it stands in for the count, so a wide budget's grant does not grow with it.
        String countSql = "WITH w (tier, window_ms, room) AS (VALUES " + windows + "), "
                + """
                held AS (SELECT count(*) AS n, min(held_until) AS first_lapse, bool_or(id = ?::bigint) AS ours
                         FROM partner_budget_permit WHERE budget = ? AND sent_at IS NULL AND held_until > ?),
                bound AS (SELECT COALESCE(max(id) - min(id) + 1, 0) AS n FROM partner_budget_permit)
                SELECT t.tier, t.paused_until, t.server_remaining, t.server_seen_at, t.server_reset_at,
                       CASE WHEN bound.n <= w.room THEN bound.n ELSE held.n + (SELECT count(*) FROM partner_budget_permit p
                           WHERE p.budget = t.budget AND p.sent_at > ?::timestamptz - w.window_ms * INTERVAL '1 millisecond') END,
                       CASE WHEN bound.n <= w.room THEN NULL ELSE LEAST((SELECT min(p.sent_at) FROM partner_budget_permit p
                           WHERE p.budget = t.budget AND p.sent_at > ?::timestamptz - w.window_ms * INTERVAL '1 millisecond')
                           + w.window_ms * INTERVAL '1 millisecond', held.first_lapse) END,
                       held.n + CASE WHEN t.server_seen_at IS NULL THEN 0 ELSE (SELECT count(*) FROM partner_budget_permit p
                           WHERE p.budget = t.budget AND p.sent_at > GREATEST(t.server_seen_at, ?::timestamptz)) END,
                       COALESCE(held.ours, false)
                FROM partner_budget_tier t JOIN w ON w.tier = t.tier CROSS JOIN held CROSS JOIN bound
                WHERE t.budget = ?""";
        Jdbc.Row<Object[]> tierRow = rs -> new Object[] {new TierState(rs.getString(1), instant(rs.getTimestamp(2)),
                        (Integer) rs.getObject(3), instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)),
                        rs.getInt(6), instant(rs.getTimestamp(7)), rs.getInt(8)), rs.getBoolean(9)};
        // a fresh permit's rows are inserted in the same round trip, after the count (so it does not see them);
        // a refusal rolls them back. A call with a held permit decides first: it may use that one instead.
        Instant heldUntil = now.plusMillis(settings.holdMs());
        String insertSql = "INSERT INTO partner_budget_permit (budget, call_class, sent_at, held_until) VALUES (?, ?, ?, NULL)"
                + (callClass.heldFollowUps() > 0 ? ", (?, ?, NULL, ?)" : "") + " RETURNING id, sent_at IS NULL";
        List<Object> insertArgs = new ArrayList<>(List.of(settings.name(), callClass.name(), at));
        if (callClass.heldFollowUps() > 0) {
            insertArgs.addAll(List.of(settings.name(), callClass.name(), Timestamp.from(heldUntil)));
        }
        Jdbc.Row<long[]> idRow = rs -> new long[] {rs.getLong(1), rs.getBoolean(2) ? 1 : 0};
        List<Object[]> rows;
        List<long[]> inserted = null;
        if (heldId == null) {
            params.addAll(insertArgs);
            Jdbc.Both<Object[], long[]> both = Jdbc.queryAfterLock(c, LOCK_TIERS, countSql, tierRow, insertSql, idRow,
                    params.toArray());
            rows = both.first();
            inserted = both.then();
        } else {
            rows = Jdbc.queryAfterLock(c, LOCK_TIERS, countSql, tierRow, params.toArray());
        }
        List<TierState> tiers = rows.stream().map(r -> (TierState) r[0]).toList();
        boolean useHeld = heldId != null && rows.stream().anyMatch(r -> (Boolean) r[1]);
        Instant retryAt = decide(settings, tiers, now, useHeld ? 0 : needed, share, useHeld);
        if (retryAt != null) {
            return Grant.refused(retryAt);
        }
        if (useHeld) {
            Jdbc.update(c, "UPDATE partner_budget_permit SET sent_at = ?, held_until = NULL WHERE id = ?",
                    Timestamp.from(now), heldId);
            return new Grant(true, heldId, now, null, null, null);
        }
        if (inserted == null) {
            inserted = Jdbc.query(c, insertSql, idRow, insertArgs.toArray());
        }
        Long permitId = null;
        Long held = null;
        for (long[] row : inserted) {
            if (row[1] == 1) {
                held = row[0];
            } else {
                permitId = row[0];
            }
        }
        if (permitId % CLEANUP_EVERY == 0) {
            Jdbc.update(c, "DELETE FROM partner_budget_permit WHERE budget = ? AND (sent_at <= ? OR (sent_at IS NULL AND held_until <= ?))",
                    settings.name(), Timestamp.from(since), Timestamp.from(now));
        }
        return new Grant(true, permitId, now, held, held == null ? null : heldUntil, null);
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

    /**
     * Null when {@code needed} more permits fit every tier (a held permit being used needs none), else the time
     * worth asking again. The 429 pause and the server's remaining count bind every call, a held one too; the
     * local sliding windows (scaled by the class's share) bind new permits only.
     */
    static Instant decide(BudgetSettings settings, List<TierState> states, Instant now, int needed, double share,
                          boolean useHeld) {
        Instant retryAt = null;
        for (Tier tier : settings.tiers()) {
            TierState state = states.stream().filter(s -> s.tier().equals(tier.name())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("partner budget: no row for tier " + tier.name()));
            if (state.pausedUntil() != null && state.pausedUntil().isAfter(now)) {
                retryAt = later(retryAt, state.pausedUntil());
            }
            if (state.serverRemaining() != null && state.serverResetAt() != null && state.serverResetAt().isAfter(now)) {
                // calls sent after the one the server answered may not have reached its count yet
                if (state.sentSinceServerView() + needed > state.serverRemaining()) {
                    retryAt = later(retryAt, state.serverResetAt());
                }
            }
            if (useHeld) {
                continue;
            }
            if (state.inWindow() + needed > allowed(tier, share)) {
                // the earliest moment the window holds one permit less
                retryAt = later(retryAt, state.firstFreed() == null ? now : state.firstFreed());
            }
        }
        return retryAt;
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

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
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
