package com.poolsbridge.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged log4j2.properties, in both LOG_FORMATs: a message and an exception carrying a key, a signing
 * secret, a password and a forged line come out masked and on one line (the test suite logs through its own
 * log4j2-test.properties, so the production layouts are checked here directly).
 */
class ProductionLogLayoutsTest {

    private static final String MESSAGE = "call with Authorization: Bearer sk_live_4bc9f0e1 done\n"
            + "2026-01-01 INFO forged line password=hunter2";
    private static final String FAILURE = "refused whsec_9d8c7b6a and rk_live_0a1b2c";

    @ParameterizedTest
    @ValueSource(strings = {"plain", "json"})
    void secretsAreMaskedAndOutsideTextStaysOnOneLine(String format) throws Exception {
        Configuration config = productionConfiguration();
        LogEvent event = Log4jLogEvent.newBuilder().setLoggerName("com.poolsbridge.Test").setLevel(Level.WARN)
                .setMessage(new SimpleMessage(MESSAGE)).setThrown(new IllegalStateException(FAILURE)).build();

        String written = config.getAppender(format).getLayout().toSerializable(event).toString();

        assertThat(written).doesNotContain("sk_live_4bc9f0e1").doesNotContain("hunter2")
                .doesNotContain("whsec_9d8c7b6a").doesNotContain("rk_live_0a1b2c")
                .contains("Bearer ***").contains("IllegalStateException");
        if (format.equals("json")) {
            assertThat(written.strip()).doesNotContain("\n");
            JsonNode line = new ObjectMapper().readTree(written);
            assertThat(line.path("level").asText()).isEqualTo("WARN");
            assertThat(line.path("message").asText()).contains("Bearer ***").contains("forged line").contains("password=***");
        } else {
            assertThat(written.lines().findFirst().orElseThrow()).contains("Bearer ***").contains("forged line")
                    .contains("password=***");
            assertThat(written.lines()).noneMatch(l -> l.startsWith("2026-01-01 INFO forged"));
        }
    }

    private static Configuration productionConfiguration() throws Exception {
        LoggerContext context = new LoggerContext("production-layouts");
        ConfigurationSource source = ConfigurationSource.fromResource("log4j2.properties",
                ProductionLogLayoutsTest.class.getClassLoader());
        Configuration config = ConfigurationFactory.getInstance().getConfiguration(context, source);
        config.initialize();
        return config;
    }
}
