package com.poolsbridge.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A Prometheus text scrape as series (name{labels} as exposed) to value, and the metric names it holds. */
public final class Scrape {

    private Scrape() {
    }

    public static Map<String, Double> parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String value = line.substring(space + 1);
            series.put(line.substring(0, space), value.equals("NaN") ? Double.NaN : Double.parseDouble(value));
        }
        return series;
    }

    public static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        for (String key : parse(text).keySet()) {
            int brace = key.indexOf('{');
            names.add(brace < 0 ? key : key.substring(0, brace));
        }
        return names;
    }
}
