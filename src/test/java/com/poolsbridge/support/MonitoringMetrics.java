package com.poolsbridge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names that k8s/monitoring (alerts and dashboard) query: each must be one the bridge exports. */
public final class MonitoringMetrics {

    public static final Path RULES = Path.of("k8s", "monitoring", "prometheusrule.yaml");
    public static final Path DASHBOARD = Path.of("k8s", "monitoring", "pools-bridge-dashboard.json");
    private static final Pattern METRIC = Pattern.compile(
            "\\b(?:pools_bridge|camel|jvm|hikaricp|httpcomponents|process|system)_[a-z0-9_]+\\b");

    private MonitoringMetrics() {
    }

    public static Set<String> used() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path file : new Path[]{RULES, DASHBOARD}) {
            Matcher m = METRIC.matcher(Files.readString(file));
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }
}
