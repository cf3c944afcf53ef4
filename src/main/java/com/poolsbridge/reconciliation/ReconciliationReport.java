package com.poolsbridge.reconciliation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.poolsbridge.app.BridgeSettings;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The daily reconciliation report, read from the database: orders of the day per state and trade status,
 * findings per kind (latest finding per subject across the day's runs) and every finding that is not
 * {@code matched}, with its ids and differences. Optionally the findings as CSV.
 *
 * <pre>
 * java -cp pools-bridge.jar com.poolsbridge.reconciliation.ReconciliationReport [--day 2026-06-01] [--csv out.csv]
 *      [--db-url jdbc:postgresql://…] [--db-user …]   (defaults: DB_URL, DB_USER)
 * </pre>
 * The password comes from DB_PASSWORD or the file named by DB_PASSWORD_FILE, never from the command line
 * (where every user of the host could read it in the process list).
 */
public final class ReconciliationReport {

    /** One finding as the report shows it. */
    public record Row(String kind, String orderId, String transactId, String quoteId, String poolId, String statusOurs,
                      String statusTheirs, String differences, String runId, String foundAt) {
    }

    private static final String LATEST_FINDINGS = """
            SELECT DISTINCT ON (subject) kind, order_id, transact_id, quote_id, pool_id, status_ours, status_theirs,
                differences, run_id, found_at
            FROM reconciliation_finding WHERE found_at >= ? AND found_at < ?
            ORDER BY subject, found_at DESC, id DESC""";

    private ReconciliationReport() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts;
        try {
            opts = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String url = opts.getOrDefault("db-url", System.getenv("DB_URL"));
        if (url == null) {
            System.err.println("usage: report [--day YYYY-MM-DD] [--csv FILE] [--db-url URL] [--db-user U]"
                    + " (or DB_URL, DB_USER in the environment; the password from DB_PASSWORD or DB_PASSWORD_FILE)");
            System.exit(2);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(opts.getOrDefault("db-user", System.getenv("DB_USER")));
        ds.setPassword(BridgeSettings.secret(System.getenv(), "DB_PASSWORD"));
        LocalDate day = opts.containsKey("day") ? LocalDate.parse(opts.get("day")) : LocalDate.now(ZoneOffset.UTC);
        System.out.print(render(ds, day));
        if (opts.containsKey("csv")) {
            Path csv = Path.of(opts.get("csv"));
            writeCsv(ds, day, csv);
            System.out.println("CSV written to " + csv.toAbsolutePath());
        }
    }

    /** The command-line options; a password is refused there, as is any option the report does not know. */
    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (!List.of("day", "csv", "db-url", "db-user").contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option " + args[i]
                        + (name.contains("password") ? " (give the password in DB_PASSWORD or DB_PASSWORD_FILE)" : ""));
            }
            opts.put(name, args[i + 1]);
        }
        return opts;
    }

    /** The human-readable report of one UTC day. */
    public static String render(DataSource ds, LocalDate day) {
        try (Connection c = ds.getConnection()) {
            Timestamp from = Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
            Timestamp to = Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            StringBuilder out = new StringBuilder();
            String title = "pools-bridge reconciliation report " + day + " (UTC)";
            out.append(title).append('\n').append("=".repeat(title.length())).append("\n\n");

            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*), count(finished_at), coalesce(sum(resumed), 0), max(run_id) FILTER (WHERE finished_at IS NOT NULL)
                    FROM reconciliation_run WHERE started_at >= ? AND started_at < ?""")) {
                ps.setTimestamp(1, from);
                ps.setTimestamp(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.append(String.format("Runs: %d started, %d complete, %d resumes; last complete run: %s%n%n",
                            rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getString(4) == null ? "-" : rs.getString(4)));
                }
            }

            table(out, "Orders received (by state)", counts(c, """
                    SELECT state, count(*) FROM order_record WHERE received_at >= ? AND received_at < ?
                    GROUP BY state ORDER BY state""", from, to));
            table(out, "Trade status (ours) of reserved orders", counts(c, """
                    SELECT coalesce(trade_status, '-'), count(*) FROM order_record
                    WHERE received_at >= ? AND received_at < ? AND state = 'RESERVED'
                    GROUP BY trade_status ORDER BY 1""", from, to));

            List<Row> rows = findings(c, from, to);
            Map<Finding.Kind, Integer> perKind = new EnumMap<>(Finding.Kind.class);
            for (Finding.Kind kind : Finding.Kind.values()) {
                perKind.put(kind, 0);
            }
            rows.forEach(r -> perKind.merge(Finding.Kind.valueOf(r.kind()), 1, Integer::sum));
            Map<String, Integer> kinds = new LinkedHashMap<>();
            perKind.forEach((k, v) -> kinds.put(k.name(), v));
            table(out, "Findings (latest per trade/order across the day's runs)", kinds);

            List<Row> exceptions = rows.stream().filter(r -> !r.kind().equals("matched")).toList();
            out.append("Exceptions (").append(exceptions.size()).append(")\n");
            if (exceptions.isEmpty()) {
                out.append("  none\n");
            } else {
                out.append(String.format("  %-24s %-28s %-28s %-28s %-10s %-10s %s%n", "kind", "orderId", "transactId",
                        "quoteId", "ours", "theirs", "differences"));
                for (Row r : exceptions) {
                    out.append(String.format("  %-24s %-28s %-28s %-28s %-10s %-10s %s%n", r.kind(), dash(r.orderId()),
                            dash(r.transactId()), dash(r.quoteId()), dash(r.statusOurs()), dash(r.statusTheirs()),
                            dash(r.differences())));
                }
            }
            return out.toString();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot build the reconciliation report for " + day, e);
        }
    }

    /** The day's findings (latest per subject) as CSV. */
    public static void writeCsv(DataSource ds, LocalDate day, Path file) throws IOException {
        List<Row> rows;
        try (Connection c = ds.getConnection()) {
            rows = findings(c, Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant()),
                    Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read findings for " + day, e);
        }
        StringBuilder csv = new StringBuilder("kind,orderId,transactId,quoteId,poolId,statusOurs,statusTheirs,differences,runId,foundAt\n");
        for (Row r : rows) {
            csv.append(String.join(",", List.of(cell(r.kind()), cell(r.orderId()), cell(r.transactId()), cell(r.quoteId()),
                    cell(r.poolId()), cell(r.statusOurs()), cell(r.statusTheirs()), cell(r.differences()), cell(r.runId()),
                    cell(r.foundAt())))).append('\n');
        }
        Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
    }

    private static List<Row> findings(Connection c, Timestamp from, Timestamp to) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LATEST_FINDINGS)) {
            ps.setTimestamp(1, from);
            ps.setTimestamp(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getTimestamp(10).toInstant().toString()));
                }
            }
        }
        rows.sort((a, b) -> a.kind().equals(b.kind()) ? String.valueOf(a.transactId()).compareTo(String.valueOf(b.transactId()))
                : a.kind().compareTo(b.kind()));
        return rows;
    }

    private static Map<String, Integer> counts(Connection c, String sql, Timestamp from, Timestamp to) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, from);
            ps.setTimestamp(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return counts;
    }

    private static void table(StringBuilder out, String title, Map<String, Integer> counts) {
        out.append(title).append('\n');
        if (counts.isEmpty()) {
            out.append("  none\n");
        }
        counts.forEach((k, v) -> out.append(String.format("  %-24s %6d%n", k, v)));
        out.append(String.format("  %-24s %6d%n%n", "total", counts.values().stream().mapToInt(Integer::intValue).sum()));
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
