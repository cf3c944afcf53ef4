package com.poolsbridge.settlement;

/**
 * One poller cycle's shared state. The split hands every per-trade exchange a reference to the same object, so
 * a trade that exhausts the server's request budget stops the rest of the cycle (those trades stay due).
 */
public final class PollCycle {

    private volatile String stopReason;
    private volatile int polled;

    public boolean isStopped() {
        return stopReason != null;
    }

    public String stopReason() {
        return stopReason;
    }

    public void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    void countPoll() {
        polled++;
    }

    public int polled() {
        return polled;
    }
}
