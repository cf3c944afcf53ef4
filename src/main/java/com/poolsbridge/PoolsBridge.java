package com.poolsbridge;

import java.util.Arrays;
import java.util.Map;

import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.app.ClassPreloader;

/**
 * Entry point of target/pools-bridge.jar, the production artifact (no demo, sandbox or embedded infrastructure):
 * <pre>
 *   java -jar pools-bridge.jar            run the bridge against the broker, database and 0Pools in the environment
 *   java -jar pools-bridge.jar report     the daily reconciliation report from the database (DB_URL, DB_USER, DB_PASSWORD)
 *   java -jar pools-bridge.jar check      launch readiness against the configured 0Pools, with evidence (README)
 *   java -jar pools-bridge.jar replay     list dead letters; re-drive chosen ones (see com.poolsbridge.ops.ReplayCommand)
 * </pre>
 * target/pools-bridge-demo.jar adds {@code demo} and {@code sandbox} (see {@code com.poolsbridge.demo.DemoMain}).
 */
public final class PoolsBridge {

    private PoolsBridge() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (mode) {
            case "run" -> run();
            case "report" -> com.poolsbridge.reconciliation.ReconciliationReport.main(rest);
            case "check" -> com.poolsbridge.check.CheckCommand.main(rest);
            case "replay" -> com.poolsbridge.ops.ReplayCommand.main(rest);
            default -> {
                System.err.println("usage: java -jar pools-bridge.jar [run|report|check|replay]");
                System.exit(64);
            }
        }
    }

    private static void run() throws Exception {
        BridgeSettings settings;
        try {
            settings = BridgeSettings.fromEnvironment(System.getenv()).validate();
        } catch (BridgeSettings.InvalidSettingsException e) {
            // fail closed: no consumer has started, nothing was read from the queue
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ClassPreloader.startInBackground(PoolsBridge.class.getClassLoader());
        try (BridgeApplication app = new BridgeApplication(settings, Map.of())) {
            app.run();
        }
    }
}
