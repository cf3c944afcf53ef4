package com.poolsbridge.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** replay finds the queues where the bridge does: an operator's renamed queues are the ones it re-drives. */
class ReplayCommandTest {

    @Test
    void queueNamesComeFromTheOperatorsFileBeforeThePackagedDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bridge.properties");
        Files.writeString(file, "queues.orders = bank.orders.in\nqueues.dead-letter = bank.orders.dlq\n");

        var overridden = ReplayCommand.properties(Map.of("POOLS_BRIDGE_CONFIG", file.toString()));
        var packaged = ReplayCommand.properties(Map.of());

        // before: QUEUE_* variables only, so a file that renamed the queues left replay on pools.orders(.dlq)
        assertThat(overridden.apply("queues.orders")).isEqualTo("bank.orders.in");
        assertThat(overridden.apply("queues.dead-letter")).isEqualTo("bank.orders.dlq");
        assertThat(overridden.apply("queues.broker-dead-letter")).isEqualTo("DLQ");
        assertThat(packaged.apply("queues.orders")).isEqualTo("pools.orders");
        assertThat(packaged.apply("queues.dead-letter")).isEqualTo("pools.orders.dlq");
    }
}
