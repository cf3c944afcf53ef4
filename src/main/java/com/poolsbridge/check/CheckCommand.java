package com.poolsbridge.check;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.settlement.WebhookVerifier;

/**
 * {@code java -jar pools-bridge.jar check [--controlled-order AMOUNT] [--evidence DIR]}: launch readiness with
 * evidence, from the bridge's own configuration. Exit 0 when every step passes, 1 naming the failed steps, 2 for
 * a configuration the bridge itself would refuse, 64 for a usage error.
 */
public final class CheckCommand {

    static final String USAGE = "usage: java -jar pools-bridge.jar check [--controlled-order AMOUNT] [--evidence DIR]";

    private CheckCommand() {
    }

    public static void main(String[] args) {
        // the table and the evidence packet are the output: Camel's start-up lines would bury them
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
        System.exit(run(args, System.getenv(), Map.of(), System.out));
    }

    /** @param overrides properties above every other source (tests), as {@code BridgeApplication} takes them */
    static int run(String[] args, Map<String, String> env, Map<String, String> overrides, PrintStream out) {
        BigDecimal orderAmount = null;
        Path evidenceDir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--controlled-order") && i + 1 < args.length) {
                try {
                    orderAmount = new BigDecimal(args[++i]);
                } catch (NumberFormatException e) {
                    orderAmount = BigDecimal.ZERO;
                }
                if (orderAmount.signum() <= 0) {
                    out.println("--controlled-order needs a positive decimal amount");
                    return 64;
                }
            } else if (args[i].equals("--evidence") && i + 1 < args.length) {
                evidenceDir = Path.of(args[++i]);
            } else {
                out.println(USAGE);
                return 64;
            }
        }
        BridgeSettings settings;
        try {
            settings = BridgeSettings.fromEnvironment(env).validate();
        } catch (BridgeSettings.InvalidSettingsException e) {
            out.println("check failed at step configuration: " + e.getMessage());
            return 2;
        }
        Clock clock = Clock.systemUTC();
        Instant started = clock.instant();
        List<StepResult> results = new ArrayList<>();
        try (PoolsCalls calls = new PoolsCalls(settings, overrides)) {
            CheckConfig config = CheckConfig.from(key -> calls.property(key).orElse(null));
            results.addAll(new ReadinessSteps(settings, config, calls, webhookProbe(settings, calls, clock), clock).run());
            if (orderAmount != null) {
                if (EvidencePacket.passed(results)) {
                    results.addAll(new ControlledOrder(settings, config, calls, clock, orderAmount).run());
                } else {
                    out.println("controlled order not sent: a readiness step failed");
                }
            }
        } catch (Exception e) {
            out.println("check failed at step start: " + e.getClass().getSimpleName() + " " + Evidence.oneLine(e.getMessage()));
            return 1;
        }
        ConsoleTable.print(out, results);
        if (evidenceDir != null) {
            try {
                EvidencePacket.Run run = new EvidencePacket.Run(ReadinessSteps.environment(settings),
                        ReadinessSteps.host(settings), settings.keyMode(), ReadinessSteps.publishableMode(settings),
                        orderAmount != null, started, clock.instant());
                out.println("evidence: " + EvidencePacket.write(evidenceDir, run, results));
            } catch (java.io.IOException e) {
                out.println("check failed at step evidence: cannot write " + evidenceDir);
                return 1;
            }
        }
        List<String> failed = results.stream().filter(r -> !r.passed()).map(StepResult::name).toList();
        if (!failed.isEmpty()) {
            out.println("check failed at step " + String.join(", ", failed));
            return 1;
        }
        out.println("check passed: " + results.size() + " steps");
        return 0;
    }

    private static WebhookProbe webhookProbe(BridgeSettings settings, PoolsCalls calls, Clock clock) {
        String header = calls.property("webhooks.signature-header").orElse("Pools-Signature");
        WebhookVerifier signer = new WebhookVerifier(settings.poolsWebhookSecret(), List.of(header),
                calls.property("webhooks.signature-scheme").orElse("v1"), 300, clock);
        long timeout = Long.parseLong(calls.property("pools.http.connect-timeout-ms").orElse("5000"));
        return new WebhookProbe(signer, header, Duration.ofMillis(timeout), clock);
    }
}
