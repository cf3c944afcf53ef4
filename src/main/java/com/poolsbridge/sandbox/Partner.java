package com.poolsbridge.sandbox;

import java.math.BigDecimal;
import java.util.List;

/**
 * Run-time entitlement row of one partner (the "PartnerPoolAccess" of the contract). Mutable so tests and the
 * admin endpoint can flip status, KYC, balance or webhook URL while the sandbox runs; fields are volatile
 * because the HTTP threads read them without a lock.
 */
public final class Partner {
    private final String id;
    private final String publishableKey;
    private final String secretKey;
    private final String webhookSecret;
    private final String fundingIban;
    private final String fundingReference;
    private final String depositAddress;
    private volatile boolean productEnabled;
    private volatile String status;
    private volatile String kycStatus;
    private volatile String tier;
    private volatile List<String> allowedPools;
    private volatile boolean balanceGate;
    private volatile BigDecimal balance;
    private volatile boolean offRampEnabled;
    private volatile String webhookUrl;
    private volatile BigDecimal velocityCapEur;
    private volatile boolean keysRevoked;

    Partner(SandboxConfig.PartnerConfig c) {
        this.id = c.id();
        this.publishableKey = c.publishableKey();
        this.secretKey = c.secretKey();
        this.webhookSecret = c.webhookSecret();
        this.fundingIban = c.fundingIban();
        this.fundingReference = c.fundingReference() == null ? "0P-" + c.id().toUpperCase() : c.fundingReference();
        this.depositAddress = c.depositAddress();
        this.productEnabled = c.productEnabled();
        this.status = c.status();
        this.kycStatus = c.kycStatus();
        this.tier = c.tier();
        this.allowedPools = c.allowedPools() == null ? List.of() : List.copyOf(c.allowedPools());
        this.balanceGate = c.balanceGate();
        this.balance = c.balance() == null ? BigDecimal.ZERO.setScale(2) : c.balance();
        this.offRampEnabled = c.offRampEnabled();
        this.webhookUrl = c.webhookUrl();
        this.velocityCapEur = c.velocityCapEur();
    }

    public String id() { return id; }
    public String publishableKey() { return publishableKey; }
    public String secretKey() { return secretKey; }
    public String webhookSecret() { return webhookSecret; }
    public String fundingIban() { return fundingIban; }
    public String fundingReference() { return fundingReference; }
    public String depositAddress() { return depositAddress; }
    public boolean productEnabled() { return productEnabled; }
    public String status() { return status; }
    public String kycStatus() { return kycStatus; }
    public String tier() { return tier; }
    public List<String> allowedPools() { return allowedPools; }
    public boolean balanceGate() { return balanceGate; }
    public BigDecimal balance() { return balance; }
    public boolean offRampEnabled() { return offRampEnabled; }
    public String webhookUrl() { return webhookUrl; }
    public BigDecimal velocityCapEur() { return velocityCapEur; }
    /** Both keys revoked (an operator's key rotation): every call with them is 401, as an unknown key. */
    public boolean keysRevoked() { return keysRevoked; }

    public Partner productEnabled(boolean v) { productEnabled = v; return this; }
    public Partner status(String v) { status = v; return this; }
    public Partner kycStatus(String v) { kycStatus = v; return this; }
    public Partner tier(String v) { tier = v; return this; }
    public Partner allowedPools(List<String> v) { allowedPools = List.copyOf(v); return this; }
    public Partner balanceGate(boolean v) { balanceGate = v; return this; }
    /** Sets the prefunded balance directly (no ledger entry: this is an operator override, not a pay-in). */
    public Partner balance(BigDecimal v) { balance = v; return this; }
    public Partner offRampEnabled(boolean v) { offRampEnabled = v; return this; }
    public Partner webhookUrl(String v) { webhookUrl = v; return this; }
    public Partner velocityCapEur(BigDecimal v) { velocityCapEur = v; return this; }
    public Partner keysRevoked(boolean v) { keysRevoked = v; return this; }
}
