package com.poolsbridge.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.poolsbridge.pools.CallClass;
import com.poolsbridge.pools.PoolsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one budget every 0Pools call takes a permit from (route pools-budget waits for it before pools-api sends),
 * shared by all replicas through {@link BudgetStore}. Orders may fill every tier; lower classes only their share,
 * so they yield under pressure, until they have waited pools.budget.max-starvation-ms (then they may fill the
 * tier too, with a WARN and a counter). The server's view wins: its remaining counts tighten the local view and
 * a 429 pauses the tier it names for every caller and replica.
 */
public class PartnerBudget {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerBudget.class);
    private static final long MIN_WAIT_MS = 10;

    private final BudgetStore store;
    private final BudgetSettings settings;
    private final BudgetStats stats;
    private final Clock clock;

    public PartnerBudget(BudgetStore store, BudgetSettings settings, BudgetStats stats, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.stats = stats;
        this.clock = clock;
    }

    /**
     * One attempt at a permit for {@code request}. {@code last} is the permit of the exchange's last call, whose
     * {@link Permit#held()} (a quote's, for its transact) an order call uses first; {@code previous} is this
     * call's last refusal, if any (its waiting time).
     */
    public Permit acquire(PoolsRequest request, Permit last, Permit previous) {
        Permit.Held held = last == null ? null : last.held();
        Instant now = now();
        CallClass callClass = request.callClass();
        Instant waitingSince = previous != null && !previous.granted() && previous.request() == request
                ? previous.waitingSince() : now;
        long waitedMs = Duration.between(waitingSince, now).toMillis();
        boolean starved = callClass.compareTo(CallClass.ORDER) > 0 && waitedMs >= settings.maxStarvationMs();
        if (starved && (previous == null || !previous.starved())) {
            stats.starved(callClass);
            LOG.warn("partner budget: {} call {} has waited {} ms for a permit (pools.budget.max-starvation-ms {}); "
                    + "it may now use the whole tier", callClass, request.operation(), waitedMs, settings.maxStarvationMs());
        }
        // only a call that needs no hold of its own uses one (a quote's retry takes a new pair)
        Long heldId = callClass == CallClass.ORDER && held != null && held.until().isAfter(now) ? held.id() : null;
        BudgetStore.Grant grant = store.take(now, callClass, starved ? 1.0 : settings.share(callClass), heldId);
        if (grant.granted()) {
            stats.granted(callClass, waitedMs);
            // a held permit is used once; a quote leaves a new one for its transact
            Permit.Held next = grant.heldId() != null ? new Permit.Held(grant.heldId(), grant.heldUntil())
                    : heldId != null ? null : held;
            return new Permit(request, true, 0, waitingSince, starved, grant.permitId(), grant.sentAt(), next);
        }
        stats.refused(callClass);
        // starved calls ask again exactly when budget frees, the others a little later, so they come first
        long wait = Duration.between(now, grant.retryAt()).toMillis()
                + (starved || settings.jitterMs() == 0 ? 0 : ThreadLocalRandom.current().nextLong(settings.jitterMs() + 1));
        wait = Math.max(MIN_WAIT_MS, Math.min(wait, settings.recheckMaxMs()));
        return new Permit(request, false, wait, waitingSince, starved, 0, null, held);
    }

    /**
     * The call of {@code permit} goes out now. A permit counts from its grant, and the margin covers the moment
     * to the send; when the steps between them (an order's lease renewal) took longer than half the margin, the
     * permit is moved to now, so the partner never sees more than a tier's limit within one window.
     */
    public Permit sending(Permit permit) {
        Instant now = now();
        if (permit == null || !permit.granted() || !permit.sentAt().plusMillis(settings.marginMs() / 2).isBefore(now)) {
            return permit;
        }
        store.sentAt(permit.id(), now);
        return new Permit(permit.request(), true, 0, permit.waitingSince(), permit.starved(), permit.id(), now, permit.held());
    }

    /**
     * The server's answer to a call sent with {@code permit}: X-RateLimit-Remaining-/Reset-&lt;tier&gt; tighten the
     * local view of that tier; a 429 with Retry-After-&lt;tier&gt; pauses the tier (plus jitter) for everyone.
     * A 429 without one (the velocity cap) pauses nothing: it is a rejection, not a throttle.
     */
    public void observe(Permit permit, Integer status, Map<String, Object> headers) {
        Instant now = now();
        List<BudgetStore.ServerView> views = new ArrayList<>();
        for (BudgetSettings.Tier tier : settings.tiers()) {
            Long remaining = number(headers.get("X-RateLimit-Remaining-" + tier.name()));
            Long reset = number(headers.get("X-RateLimit-Reset-" + tier.name()));
            Long limit = number(headers.get("X-RateLimit-Limit-" + tier.name()));
            // while over half of the server's tier is left, our own window binds first: no write (it would take the
            // tier rows' lock every permit waits on). A stored lower count lapses at its reset, when the server's
            // window ends: within one window its count only falls.
            if (remaining != null && reset != null && remaining * 2 < (limit != null ? limit : tier.limit())) {
                views.add(new BudgetStore.ServerView(tier.name(), remaining.intValue(), now.plusSeconds(reset)));
            }
            Long retryAfter = number(headers.get("Retry-After-" + tier.name()));
            if (status != null && status == 429 && retryAfter != null) {
                stats.rateLimited(tier.name());
                long jitter = settings.jitterMs() == 0 ? 0 : ThreadLocalRandom.current().nextLong(settings.jitterMs() + 1);
                store.pause(tier.name(), now.plusMillis(Math.max(retryAfter, 1) * 1000 + jitter));
                LOG.warn("partner budget: 429 on the {} tier, every caller pauses {} s plus jitter", tier.name(), retryAfter);
            }
        }
        if (permit != null && permit.sentAt() != null) {
            store.serverView(permit.sentAt(), views);
        }
    }

    public BudgetStats stats() {
        return stats;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Long number(Object header) {
        if (header == null) {
            return null;
        }
        try {
            return Long.parseLong(header.toString().trim());
        } catch (NumberFormatException e) {
            return null; // a header we cannot read tells us nothing
        }
    }
}
