package com.poolsbridge.sandbox;

import java.util.HashMap;
import java.util.Map;

/** Key check and the deny-closed entitlement gates, in the §1.3 order with the G-1..G-4 choices. */
final class Auth {
    private final SandboxConfig config;
    private final Map<String, Partner> bySecret = new HashMap<>();
    private final Map<String, Partner> byPublishable = new HashMap<>();

    Auth(SandboxConfig config, Map<String, Partner> partners) {
        this.config = config;
        for (Partner p : partners.values()) {
            bySecret.put(p.secretKey(), p);
            byPublishable.put(p.publishableKey(), p);
        }
    }

    Partner authenticate(String authorization, Operation op) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw ApiException.unauthorized();
        }
        String key = authorization.substring("Bearer ".length()).trim();
        if (key.startsWith("sk_live_") || key.startsWith("pk_live_")) {
            // G-1: the sandbox is test-only; a live key is the wrong environment
            if (config.settings().liveKeyOutcome().equals("unauthorized")) {
                throw ApiException.unauthorized();
            }
            throw ApiException.forbidden("key_mode_mismatch", "Live keys cannot be used against the sandbox");
        }
        Partner partner = bySecret.get(key);
        boolean secret = partner != null;
        if (partner == null) {
            partner = byPublishable.get(key);
        }
        if (partner == null || partner.keysRevoked()) {
            throw ApiException.unauthorized();   // §1.3: unknown or revoked key
        }
        if (op == Operation.LIST_POOLS) {
            if (secret && !config.settings().allowSecretOnDiscovery()) {
                throw ApiException.forbidden("key_mode_mismatch", "Use a publishable key (pk_*) for pool discovery");
            }
        } else if (!secret) {
            throw ApiException.forbidden("key_mode_mismatch", "This route requires a secret key (sk_*)");
        }
        if (op.entitled || (config.settings().gateAllRoutes() && op != Operation.LIST_POOLS)) {
            gate(partner);
        }
        return partner;
    }

    /** §1.3 order: product enabled → access row active → KYC approved → tier assigned ("access suspended"). */
    private static void gate(Partner p) {
        if (!p.productEnabled()) {
            throw ApiException.forbidden("pools_not_enabled", "0Pools is not enabled for this organization");
        }
        if (!"active".equals(p.status())) {
            throw ApiException.forbidden("pool_access_suspended", "Pool access is suspended");
        }
        if (!"approved".equals(p.kycStatus())) {
            throw ApiException.forbidden("kyc_not_approved", "KYC/KYB is not approved");
        }
        if (p.tier() == null || p.tier().isBlank()) {
            throw ApiException.forbidden("pool_access_suspended", "Pool access is suspended");
        }
    }

    /** Pool scope: unknown → 404; known but not allowed → 404 on reads, 403 pool_not_allowed when guarded (G-3). */
    SandboxConfig.PoolConfig pool(Partner partner, String poolId, boolean guardedExecution) {
        SandboxConfig.PoolConfig pool = config.pool(poolId);
        if (pool == null) {
            throw ApiException.notFound();
        }
        if (!partner.allowedPools().contains(poolId)) {
            if (guardedExecution && config.settings().poolNotAllowedAs403()) {
                throw ApiException.forbidden("pool_not_allowed", "This pool is not allowed for your organization");
            }
            throw ApiException.notFound();
        }
        return pool;
    }
}
