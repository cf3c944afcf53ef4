package com.poolsbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's output: one row per figure (measured value, goal, whether the goal is met), then the detail
 * lines each phase adds. Goals are printed, never asserted.
 */
final class BenchReport {

    /** met: "yes", "no", or "—" when there is nothing to judge (a reference figure, or the phase failed). */
    record Row(String id, String figure, String measured, String goal, String met) {
    }

    private final List<String> header = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> details = new ArrayList<>();

    synchronized void header(String line) {
        header.add(line);
        System.out.println(line);
    }

    synchronized void row(String id, String figure, String measured, String goal, Boolean met) {
        Row row = new Row(id, figure, measured, goal, met == null ? "—" : met ? "yes" : "no");
        rows.add(row);
        System.out.println("BENCH " + id + " " + figure + ": " + measured + " (goal " + goal + ", met " + row.met() + ")");
    }

    synchronized void detail(String line) {
        details.add(line);
        System.out.println("BENCH   " + line);
    }

    /** The table in figure order (P1 … P6, rows of one figure as they came), the header and details around it. */
    synchronized String render() {
        List<Row> rows = new ArrayList<>(this.rows);
        rows.sort(java.util.Comparator.comparing(Row::id));
        int[] w = {2, 6, 8, 4, 3};
        for (Row r : rows) {
            w[0] = Math.max(w[0], r.id().length());
            w[1] = Math.max(w[1], r.figure().length());
            w[2] = Math.max(w[2], r.measured().length());
            w[3] = Math.max(w[3], r.goal().length());
        }
        StringBuilder out = new StringBuilder();
        header.forEach(h -> out.append(h).append('\n'));
        String format = "| %-" + w[0] + "s | %-" + w[1] + "s | %-" + w[2] + "s | %-" + w[3] + "s | %-" + w[4] + "s |\n";
        out.append(String.format(Locale.ROOT, format, "#", "figure", "measured", "goal", "met"));
        out.append(String.format(Locale.ROOT, format, "-".repeat(w[0]), "-".repeat(w[1]), "-".repeat(w[2]),
                "-".repeat(w[3]), "-".repeat(w[4])));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, format, r.id(), r.figure(), r.measured(), r.goal(), r.met()));
        }
        if (!details.isEmpty()) {
            out.append('\n');
            details.forEach(d -> out.append("  ").append(d).append('\n'));
        }
        return out.toString();
    }

    /** Prints the table to stdout and writes it to the file. */
    synchronized void write(Path file) throws IOException {
        String table = render();
        System.out.println();
        System.out.print(table);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, table);
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
