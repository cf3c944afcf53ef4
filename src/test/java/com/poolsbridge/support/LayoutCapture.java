package com.poolsbridge.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects log output exactly as the console appender writes it (its layout, with every mask the pattern applies),
 * optionally with some loggers raised to another level while attached; {@link #close()} restores them.
 */
public final class LayoutCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Map<String, Level> previous;

    private LayoutCapture(Layout<?> layout, Map<String, Level> previous) {
        super("layout-capture", null, layout, true, Property.EMPTY_ARRAY);
        this.previous = previous;
    }

    /** @param levels logger name ("" = root) → level while the capture is attached */
    public static LayoutCapture attach(Map<String, Level> levels) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Map<String, Level> previous = new java.util.HashMap<>();
        levels.keySet().forEach(name -> previous.put(name, config.getLoggerConfig(name).getLevel()));
        LayoutCapture capture = new LayoutCapture(config.getAppender("console").getLayout(), previous);
        capture.start();
        config.getRootLogger().addAppender(capture, null, null);
        context.updateLoggers();
        levels.forEach((name, level) -> Configurator.setLevel(name.isEmpty() ? LogManager.ROOT_LOGGER_NAME : name, level));
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        lines.add(getLayout().toSerializable(event).toString());
    }

    public String all() {
        return String.join("", lines);
    }

    public int lineCount() {
        return lines.size();
    }

    @Override
    public void close() {
        previous.forEach((name, level) -> Configurator.setLevel(name.isEmpty() ? LogManager.ROOT_LOGGER_NAME : name, level));
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
