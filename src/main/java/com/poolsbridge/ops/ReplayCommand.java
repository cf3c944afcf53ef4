package com.poolsbridge.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import com.poolsbridge.app.BridgeApplication;
import com.poolsbridge.app.BridgeSettings;
import com.poolsbridge.infra.Database;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * {@code java -jar pools-bridge.jar replay [--order ID]... [--code CODE]... [--all] [--force] [--by NAME]}:
 * without a selection it lists the dead letters; with one it re-drives them (see {@link Replay}). Connections
 * from the same environment as the bridge: BROKER_URL, BROKER_USER, BROKER_PASSWORD(_FILE), DB_URL, DB_USER,
 * DB_PASSWORD(_FILE); queue names from the same properties as the bridge (queues.orders, queues.dead-letter,
 * queues.broker-dead-letter: POOLS_BRIDGE_CONFIG, then the packaged defaults, each with its QUEUE_* variable).
 * Exit status 0, or 3 when a selected dead letter was refused.
 */
public final class ReplayCommand {

    private ReplayCommand() {
    }

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(args, System.getenv()));
        } catch (IllegalArgumentException | BridgeSettings.InvalidSettingsException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    public static int run(String[] args, Map<String, String> env) throws Exception {
        List<String> orders = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        boolean all = false;
        boolean force = false;
        String operator = System.getProperty("user.name", "unknown");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--order" -> orders.add(value(args, ++i));
                case "--code" -> codes.add(value(args, ++i));
                case "--all" -> all = true;
                case "--force" -> force = true;
                case "--by" -> operator = value(args, ++i);
                default -> {
                    System.err.println("usage: replay [--order ID]... [--code CODE]... [--all] [--force] [--by NAME]");
                    return 64;
                }
            }
        }
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(require(env, "BROKER_URL"),
                env.get("BROKER_USER"), BridgeSettings.secret(env, "BROKER_PASSWORD"));
        try (broker; HikariDataSource db = Database.connect(require(env, "DB_URL"), env.get("DB_USER"),
                BridgeSettings.secret(env, "DB_PASSWORD"), 2)) {
            Function<String, String> property = properties(env);
            DeadLetterQueues queues = new DeadLetterQueues(broker, List.of(
                    property.apply("queues.dead-letter"), property.apply("queues.broker-dead-letter")));
            Replay replay = new Replay(queues, property.apply("queues.orders"), db);
            if (orders.isEmpty() && codes.isEmpty() && !all) {
                Replay.print(replay.list(), System.out);
                return 0;
            }
            Predicate<DeadLetter> selection = all ? letter -> true : Replay.byOrderId(orders).or(Replay.byCode(codes));
            List<Replay.Outcome> outcomes = replay.redrive(selection, force, operator);
            for (Replay.Outcome o : outcomes) {
                System.out.printf("%-9s %-28s %-26s %s%n", o.action(), Replay.orderIdOf(o.letter()).orElse("-"),
                        o.letter().code(), o.detail());
            }
            System.out.println(outcomes.size() + " selected, recorded in replay_record");
            return outcomes.stream().anyMatch(o -> o.action().equals("refused")) ? 3 : 0;
        }
    }

    /** Resolves a key as the bridge does (BridgeApplication.propertyLocations, {{env:...}} placeholders). */
    static Function<String, String> properties(Map<String, String> env) {
        PropertiesComponent props = new DefaultCamelContext().getPropertiesComponent();
        props.setLocation(BridgeApplication.propertyLocations(env));
        return key -> props.resolveProperty(key).orElseThrow(() -> new IllegalStateException("missing property " + key));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }
}
