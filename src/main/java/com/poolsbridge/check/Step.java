package com.poolsbridge.check;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.poolsbridge.pools.PoolsRequest;

/**
 * One step while it runs: it makes 0Pools calls (their request ids are recorded), collects ids and facts, and
 * ends as a {@link StepResult}. A {@link CheckFailure} thrown by the body fails the step with its message.
 */
final class Step {

    /** The body of a step. */
    interface Body {
        String run(Step step);
    }

    private final String name;
    private final PoolsCalls calls;
    private final Clock clock;
    private final List<String> requestIds = new ArrayList<>();
    private final Map<String, String> ids = new LinkedHashMap<>();

    private Step(String name, PoolsCalls calls, Clock clock) {
        this.name = name;
        this.calls = calls;
        this.clock = clock;
    }

    static StepResult run(String name, PoolsCalls calls, Clock clock, Body body) {
        Step step = new Step(name, calls, clock);
        Instant started = clock.instant();
        String evidence;
        boolean passed;
        try {
            evidence = body.run(step);
            passed = true;
        } catch (CheckFailure e) {
            evidence = e.getMessage();
            passed = false;
        } catch (RuntimeException e) {
            // a bug or an unexpected answer shape: name the class only, a message may carry outside data
            evidence = "unexpected " + e.getClass().getSimpleName();
            passed = false;
        }
        return new StepResult(name, passed, Evidence.oneLine(evidence), List.copyOf(step.requestIds),
                Map.copyOf(step.ids), started, clock.instant());
    }

    /** A 0Pools call whose request id becomes part of this step's evidence. */
    PoolsCalls.Answer call(PoolsRequest request) {
        PoolsCalls.Answer answer = calls.call(request);
        if (answer.requestId() != null) {
            requestIds.add(answer.requestId());
        }
        return answer;
    }

    /** As {@link #call}, failing the step unless 0Pools answered 2xx. */
    PoolsCalls.Answer callOk(PoolsRequest request) {
        PoolsCalls.Answer answer = call(request);
        if (!answer.ok()) {
            throw new CheckFailure(request.operation() + " answered " + answer.describeError()
                    + hint(answer.error().status()) + " (request " + answer.requestId() + ")");
        }
        return answer;
    }

    void id(String key, String value) {
        if (value != null) {
            ids.put(key, value);
        }
    }

    static void require(boolean condition, String failure) {
        if (!condition) {
            throw new CheckFailure(failure);
        }
    }

    String name() {
        return name;
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> ": the key is unknown or revoked";
            case 403 -> ": access denied (key mode, entitlement or KYC)";
            case 404 -> ": not in this partner's scope";
            default -> "";
        };
    }
}
