package com.poolsbridge.check;

/** A step's finding that fails it; the message is evidence an approver reads (ids and facts, never a secret). */
final class CheckFailure extends RuntimeException {
    CheckFailure(String message) {
        super(message);
    }
}
