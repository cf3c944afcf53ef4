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
 * The partner budget's tables (V6__partner_budget.sql): one short transaction per permit. The transaction locks
 * the budget's tier rows, reads the permits still inside the longest window (at most the long tier's limit),
 * decides in {@link #decide} and, when granted, inserts the permit (and the held one of a quote).
 */
public class BudgetStore {

    /** A permit row still counting: sent at {@code sentAt}, or held (sentAt null) until {@code heldUntil}. */
    record Live(long id, Instant sentAt, Instant heldUntil) {
        boolean counts(Instant since, Instant now) {
            return sentAt != null ? sentAt.isAfter(since) : heldUntil.isAfter(now);
        }
    }

    /** A tier row: its 429 pause and the server's last word on it. */
    record TierState(String tier, Instant pausedUntil, Integer serverRemaining, Instant serverSeenAt,
                     Instant serverResetAt) {
    }

    /** What one attempt got: granted (permit id, held id) or the time worth asking again. */
    public record Grant(boolean granted, long permitId, Instant sentAt, Long heldId, Instant heldUntil,
                        Instant retryAt) {
        static Grant refused(Instant retryAt) {
            return new Grant(false, 0, null, null, null, retryAt);
        }
    }

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
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Grant grant = take(c, now, callClass, share, heldId);
                c.commit();
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
        List<TierState> tiers = Jdbc.query(c, """
                SELECT tier, paused_until, server_remaining, server_seen_at, server_reset_at
                FROM partner_budget_tier WHERE budget = ? ORDER BY tier FOR UPDATE""",
                rs -> new TierState(rs.getString(1), instant(rs.getTimestamp(2)),
                        (Integer) rs.getObject(3), instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5))),
                settings.name());
        Instant since = now.minusMillis(settings.longestWindowMs() + settings.marginMs());
        List<Live> live = Jdbc.query(c, """
                SELECT id, sent_at, held_until FROM partner_budget_permit
                WHERE budget = ? AND (sent_at > ? OR (sent_at IS NULL AND held_until > ?))""",
                rs -> new Live(rs.getLong(1), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3))),
                settings.name(), Timestamp.from(since), Timestamp.from(now));
        boolean useHeld = heldId != null && live.stream().anyMatch(p -> p.id() == heldId && p.sentAt() == null);
        Instant retryAt = decide(settings, tiers, live, now, useHeld ? 0 : 1 + callClass.heldFollowUps(), share, useHeld);
        if (retryAt != null) {
            return Grant.refused(retryAt);
        }
        Jdbc.update(c, "DELETE FROM partner_budget_permit WHERE budget = ? AND (sent_at <= ? OR (sent_at IS NULL AND held_until <= ?))",
                settings.name(), Timestamp.from(since), Timestamp.from(now));
        if (useHeld) {
            Jdbc.update(c, "UPDATE partner_budget_permit SET sent_at = ?, held_until = NULL WHERE id = ?",
                    Timestamp.from(now), heldId);
            return new Grant(true, heldId, now, null, null, null);
        }
        long id = insert(c, callClass, now, null);
        if (callClass.heldFollowUps() == 0) {
            return new Grant(true, id, now, null, null, null);
        }
        Instant heldUntil = now.plusMillis(settings.holdMs());
        return new Grant(true, id, now, insert(c, callClass, null, heldUntil), heldUntil, null);
    }

    /**
     * Null when {@code needed} more permits fit every tier (a held permit being used needs none), else the time
     * worth asking again. The 429 pause and the server's remaining count bind every call, a held one too; the
     * local sliding windows (scaled by the class's share) bind new permits only.
     */
    static Instant decide(BudgetSettings settings, List<TierState> states, List<Live> live, Instant now, int needed,
                          double share, boolean useHeld) {
        Instant retryAt = null;
        for (Tier tier : settings.tiers()) {
            TierState state = states.stream().filter(s -> s.tier().equals(tier.name())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("partner budget: no row for tier " + tier.name()));
            if (state.pausedUntil() != null && state.pausedUntil().isAfter(now)) {
                retryAt = later(retryAt, state.pausedUntil());
            }
            if (state.serverRemaining() != null && state.serverResetAt() != null && state.serverResetAt().isAfter(now)) {
                // calls sent after the one the server answered may not have reached its count yet
                long pending = live.stream().filter(p -> p.counts(state.serverSeenAt(), now)).count();
                if (pending + needed > state.serverRemaining()) {
                    retryAt = later(retryAt, state.serverResetAt());
                }
            }
            if (useHeld) {
                continue;
            }
            Instant since = now.minusMillis(tier.windowMs() + settings.marginMs());
            List<Live> inWindow = live.stream().filter(p -> p.counts(since, now)).toList();
            int allowed = share >= 1.0 ? tier.limit() : Math.max(1, (int) Math.floor(tier.limit() * share));
            if (inWindow.size() + needed > allowed) {
                // the earliest moment the window holds one permit less
                Instant freed = inWindow.stream()
                        .map(p -> p.sentAt() != null ? p.sentAt().plusMillis(tier.windowMs() + settings.marginMs()) : p.heldUntil())
                        .min(Instant::compareTo).orElse(now);
                retryAt = later(retryAt, freed);
            }
        }
        return retryAt;
    }

    /** A 429 named this tier: nobody (no class, no replica) sends before {@code until}. */
    public void pause(String tier, Instant until) {
        Jdbc.update(dataSource, """
                UPDATE partner_budget_tier SET paused_until = GREATEST(COALESCE(paused_until, ?), ?)
                WHERE budget = ? AND tier = ?""", Timestamp.from(until), Timestamp.from(until), settings.name(), tier);
    }

    /** The server's remaining count for a tier, as answered to the call sent at {@code sentAt}; newest wins. */
    public void serverView(String tier, int remaining, Instant sentAt, Instant resetAt) {
        Jdbc.update(dataSource, """
                UPDATE partner_budget_tier SET server_remaining = ?, server_seen_at = ?, server_reset_at = ?
                WHERE budget = ? AND tier = ? AND (server_seen_at IS NULL OR server_seen_at <= ?)""",
                remaining, Timestamp.from(sentAt), Timestamp.from(resetAt), settings.name(), tier, Timestamp.from(sentAt));
    }

    private long insert(Connection c, CallClass callClass, Instant sentAt, Instant heldUntil) throws SQLException {
        return Jdbc.query(c, """
                INSERT INTO partner_budget_permit (budget, call_class, sent_at, held_until) VALUES (?, ?, ?, ?)
                RETURNING id""", rs -> rs.getLong(1), settings.name(), callClass.name(),
                sentAt == null ? null : Timestamp.from(sentAt), heldUntil == null ? null : Timestamp.from(heldUntil)).get(0);
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
