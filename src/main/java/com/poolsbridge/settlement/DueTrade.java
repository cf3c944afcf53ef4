package com.poolsbridge.settlement;

/** A trade whose next status poll is due. */
public record DueTrade(String orderId, String quoteId, String transactId, String tradeStatus, int pollCount) {
}
