package com.poolsbridge.check;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one check step: what was proven (or what failed), the 0Pools request ids behind it, and the
 * ids an approver or 0Bit support can follow (quote, trade, event, order).
 */
record StepResult(String name, boolean passed, String evidence, List<String> requestIds, Map<String, String> ids,
                  Instant startedAt, Instant finishedAt) {

    String result() {
        return passed ? "PASS" : "FAIL";
    }
}
